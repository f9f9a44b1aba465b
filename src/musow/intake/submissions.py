"""What KoboToolbox and ODK Central exports have in common: musow's own form, read back.

An export names each field of the form by its XML name (with or without the names of
the groups around it, joined by "/", "." or "-") or by its label in one of the form's
languages (with the group labels when asked), under an optional HXL hashtag row; it
gives a choice as its code or its label, and a multiple choice as one column (codes or
labels joined by spaces), as one 0/1 column per choice, or both. `Form` is the current
form — the fields, lists and labels `musow xlsform` writes — and turns each column of
an export into a column of the import template, each choice into its code, so the
importer reads an export as it reads a template (`kobo`, `odk`).

`Exports.open` is the importer's door: a ZIP of CSV files is an ODK Central export, a
JSON file a KoboToolbox one; any other file is looked at by `kobo` and `odk`, which
rewrite it if it is theirs and leave a template alone.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musow.activities.models import Activity
from musow.intake.columns import ACTIVITY_COLUMNS, ATTENDANCE_COLUMNS, HXL_TAG, fold, hxl_key
from musow.intake.readers import (
    COMMAND_LIMITS,
    CellError,
    Limits,
    Table,
    Workbook,
    cell_text,
    open_workbook,
)

# Question types that are metadata of the submission, not answers.
META_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "calculate",
    "note",
}
TAGS = {c.key: c.hxl for c in [*ATTENDANCE_COLUMNS, *ACTIVITY_COLUMNS]}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "select_one", "select_multiple", "text", "integer", "date", …
    list_name: str
    labels: tuple[str, ...]
    hxl: str
    groups: tuple[str, ...]  # names of the groups and repeats around the field
    group_labels: tuple[tuple[str, ...], ...]
    repeat: str  # the repeat the field is in, "" for the main table


@dataclass(frozen=True)
class Column:
    """What a column of an export holds: a field, or one choice of a multiple choice."""

    field: Field
    option: str | None = None


class Form:
    """The current XLSForm, read from `xlsform_rows` (the form `musow xlsform` writes)."""

    def __init__(self, survey: list[list[Any]], choices: list[list[Any]]) -> None:
        self.fields: dict[str, Field] = {}
        self.repeats: dict[str, tuple[str, ...]] = {}
        self.lists: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._read_survey(survey)
        self._read_choices(choices)

    @classmethod
    def current(cls) -> "Form":
        from musow.intake.xlsform import xlsform_rows

        rows = xlsform_rows(["fr", "en"])
        return cls(rows["survey"], rows["choices"])

    def _read_survey(self, survey: list[list[Any]]) -> None:
        head = [str(h or "") for h in survey[0]]
        labels = [i for i, h in enumerate(head) if h == "label" or h.startswith("label::")]
        hxl = head.index("hxl") if "hxl" in head else None
        groups: list[tuple[str, tuple[str, ...], bool]] = []
        for row in survey[1:]:
            cells = {h: row[i] if i < len(row) else None for i, h in enumerate(head)}
            kind = str(cells.get("type") or "").strip()
            name = str(cells.get("name") or "").strip()
            texts = tuple(str(row[i] or "") if i < len(row) else "" for i in labels)
            if kind in ("begin_group", "begin_repeat", "begin group", "begin repeat"):
                groups.append((name, texts, "repeat" in kind))
                if "repeat" in kind:
                    self.repeats[name] = texts
                continue
            if kind.startswith("end"):
                if groups:
                    groups.pop()
                continue
            if not name:
                continue
            parts = kind.split()
            repeat = next((g[0] for g in reversed(groups) if g[2]), "")
            self.fields[name] = Field(
                name=name,
                kind="meta" if parts[0] in META_TYPES else parts[0],
                list_name=parts[1] if len(parts) > 1 else "",
                labels=texts,
                hxl=str(row[hxl] or "") if hxl is not None and hxl < len(row) else "",
                groups=tuple(g[0] for g in groups),
                group_labels=tuple(g[1] for g in groups),
                repeat=repeat,
            )

    def _read_choices(self, choices: list[list[Any]]) -> None:
        head = [str(h or "") for h in choices[0]]
        labels = [i for i, h in enumerate(head) if h == "label" or h.startswith("label::")]
        for row in choices[1:]:
            list_name, code = str(row[0] or ""), str(row[1] or "")
            texts = tuple(str(row[i] or "") for i in labels if i < len(row))
            self.lists.setdefault(list_name, []).append((code, texts))

    # Columns ------------------------------------------------------------------------

    @cached_property
    def _index(self) -> dict[str, set[Column]]:
        """Every way an export may name a column (folded) → the columns it may be."""
        index: dict[str, set[Column]] = {}

        def add(text: str, column: Column) -> None:
            if text.strip():
                index.setdefault(fold(text), set()).add(column)

        for f in self.fields.values():
            path = [*f.groups, f.name]
            names = {f.name, *(sep.join(path) for sep in "/.-")}
            titles = set()
            for i, label in enumerate(f.labels):
                if not label:
                    continue
                titles.add(label)
                outer = [g[i] for g in f.group_labels if i < len(g) and g[i]]
                if outer:
                    titles |= {sep.join([*outer, label]) for sep in "/."}
            for text in names | titles:
                add(text, Column(f))
            if f.kind == "select_multiple":
                for code, option_labels in self.lists.get(f.list_name, []):
                    for text in names | titles:
                        for sep in "/.":
                            for option in {code, *option_labels}:
                                if option:
                                    add(f"{text}{sep}{option}", Column(f, code))
        return index

    @cached_property
    def _tags(self) -> dict[str, list[Field]]:
        tags: dict[str, list[Field]] = {}
        for f in self.fields.values():
            if f.hxl and HXL_TAG.match(f.hxl):
                tags.setdefault(hxl_key(f.hxl), []).append(f)
        return tags

    def column(self, header: str, tag: str, repeat: str, separators: str) -> Column | None:
        """The field (or choice) a column of a table of `repeat` ("" = main) holds.

        By name or label, by HXL hashtag, or — for the names of groups this form does
        not have, such as an older version's — by what follows a group separator."""
        text = str(header or "").strip()
        hit = self._lookup(text, repeat) if text else None
        if hit is not None:
            return hit
        # KoboToolbox puts a multiple choice's hashtag over its first column, which is
        # one of its 0/1 columns when the choices are exported as separate columns only:
        # the name or label says which, the hashtag only what the label does not say.
        if tag and HXL_TAG.match(tag):
            found = [f for f in self._tags.get(hxl_key(tag), []) if f.repeat == repeat]
            if len(found) == 1:
                return Column(found[0])
        for i, char in enumerate(text):
            if char in separators:
                hit = self._lookup(text[i + 1 :], repeat)
                if hit is not None:
                    return hit
        return None

    def _lookup(self, text: str, repeat: str) -> Column | None:
        found = {c for c in self._index.get(fold(text), ()) if c.field.repeat == repeat}
        return found.pop() if len(found) == 1 else None

    # Values -------------------------------------------------------------------------

    @cached_property
    def _codes(self) -> dict[str, dict[str, str | None]]:
        """For each list: a code or label (folded) → its code; None when two codes share it."""
        result: dict[str, dict[str, str | None]] = {}
        for list_name, items in self.lists.items():
            table: dict[str, str | None] = {}
            for code, _labels in items:
                table[fold(code)] = code
            for code, labels in items:
                for label in labels:
                    key = fold(label)
                    if key and key not in table:
                        table[key] = code
                    elif key and table[key] != code and fold(code) != key:
                        table[key] = None
            result[list_name] = table
        return result

    def choice(self, field: Field, value: Any, ticked: set[str] | None = None) -> Any:
        """A choice's code, from its code or label; anything else as it is (the importer
        names what it does not know). `ticked`: the choices a multiple choice's 0/1
        columns say, which settle labels joined by spaces that split more than one way."""
        if field.kind not in ("select_one", "select_multiple") or _empty(value):
            return value
        text = _text(value)
        if field.kind == "select_one":
            return self._codes.get(field.list_name, {}).get(fold(text)) or value
        ways = self._segment(fold(text), field.list_name)
        if len(ways) > 1 and ticked is not None:
            ways = [w for w in ways if set(w) == ticked]
        return " ".join(ways[0]) if len(ways) == 1 else value

    @cached_property
    def _labels(self) -> dict[str, list[str]]:
        return {
            name: sorted((k for k, v in table.items() if v), key=len, reverse=True)
            for name, table in self._codes.items()
        }

    def _segment(self, text: str, list_name: str, most: int = 8) -> list[list[str]]:
        """Codes or labels joined by spaces (labels: KoboToolbox's label exports) → the
        ways (at most `most`) the text splits into known codes and labels, as codes."""
        table = self._codes.get(list_name, {})
        labels = self._labels.get(list_name, [])
        ways: dict[int, list[list[str]]] = {len(text): [[]]}
        for start in range(len(text) - 1, -1, -1):
            if start and text[start - 1] != " ":
                continue
            found: list[list[str]] = []
            for label in labels:
                end = start + len(label)
                if text.startswith(label, start) and (end == len(text) or text[end] == " "):
                    after = end + 1 if end < len(text) else end
                    found += [[str(table[label]), *rest] for rest in ways.get(after, [])]
            if found:
                ways[start] = found[:most]
        distinct = {tuple(dict.fromkeys(codes)) for codes in ways.get(0, [])}
        return [list(codes) for codes in sorted(distinct)]


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    try:
        return cell_text(value)
    except CellError:
        return str(value)


def ticked(value: Any) -> bool:
    """A 0/1 column of a multiple choice: is this choice made?"""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    return str(value or "").strip().lower() in ("1", "1.0", "true", "vrai", "yes", "oui")


def bare_uuid(value: Any) -> str:
    """`uuid:5b0f…` → `5b0f…`; an ODK repeat's `uuid:5b0f…/attendees[2]` → `5b0f…`."""
    text = "" if value is None else str(value).strip()
    if text.lower().startswith("uuid:"):
        text = text[5:]
    return text.split("/", 1)[0]


# Reviews on the server --------------------------------------------------------------

APPROVED, REJECTED, ON_HOLD = "approved", "rejected", "on-hold"
_REVIEW_STATES = {
    # KoboToolbox `_validation_status`: uid (XML values) or label
    "validation_status_approved": APPROVED,
    "approved": APPROVED,
    "validation_status_not_approved": REJECTED,
    "not approved": REJECTED,
    "validation_status_on_hold": ON_HOLD,
    "on hold": ON_HOLD,
    # ODK Central `ReviewState` (`edited` and `received` say nothing of the content)
    "rejected": REJECTED,
    "hasissues": ON_HOLD,
}
_REVIEWS = {fold(k): v for k, v in _REVIEW_STATES.items()}


@dataclass
class Reviews:
    """The server's review of each submission → its status in musow.

    Approved → validated, when the person importing may validate (else the status is
    left to the importer, and a warning says so); rejected → draft, so it is never
    counted; on hold / has issues → submitted, awaiting a gender officer."""

    validator: bool
    approved_not_validated: int = 0
    rejected: int = 0

    def status(self, review: Any) -> str:
        if isinstance(review, dict):  # KoboToolbox JSON: {"uid": …, "label": …}
            review = review.get("uid") or review.get("label") or ""
        state = _REVIEWS.get(fold(str(review or "")), "")
        if state == APPROVED:
            if self.validator:
                return str(Activity.Status.VALIDATED)
            self.approved_not_validated += 1
            return ""
        if state == REJECTED:
            self.rejected += 1
            return str(Activity.Status.DRAFT)
        if state == ON_HOLD:
            return str(Activity.Status.SUBMITTED)
        return ""

    def warnings(self) -> list[str]:
        result = []
        if self.approved_not_validated:
            result.append(
                ngettext(
                    "%(n)s submission approved on the server was not imported as validated: "
                    "only a gender officer or the unit admin validates activities.",
                    "%(n)s submissions approved on the server were not imported as "
                    "validated: only a gender officer or the unit admin validates activities.",
                    self.approved_not_validated,
                )
                % {"n": self.approved_not_validated}
            )
        if self.rejected:
            result.append(
                ngettext(
                    "%(n)s submission rejected on the server was imported as a draft "
                    "(not counted).",
                    "%(n)s submissions rejected on the server were imported as drafts "
                    "(not counted).",
                    self.rejected,
                )
                % {"n": self.rejected}
            )
        return result


# The template's shape ---------------------------------------------------------------


@dataclass
class Rewrite:
    """How the columns of an export's table become the template's.

    `columns` maps each field found to the index of its column; `options` the 0/1 columns
    of a multiple choice; `others` the columns that are neither the form's nor the
    server's metadata, passed on so the importer lists them as not recognised."""

    form: Form
    columns: dict[str, int] = field(default_factory=dict)
    options: dict[str, dict[str, int]] = field(default_factory=dict)
    others: list[int] = field(default_factory=list)

    def add(self, index: int, column: Column) -> bool:
        name = column.field.name
        if column.option is not None:
            self.options.setdefault(name, {}).setdefault(column.option, index)
            return True
        if name in self.columns:
            return False
        self.columns[name] = index
        return True

    @property
    def names(self) -> list[str]:
        found = [f for f in self.form.fields if f in self.columns or f in self.options]
        return [f for f in found if self.form.fields[f].kind != "meta"]

    def header(self, table: Table) -> tuple[list[str], list[str]]:
        """The header and hashtag row: each field keeps the export's own header (the
        report names the column the user sees), under the template's hashtag (the
        importer recognises the column by it)."""
        names = self.names
        heads = [shown(table, self.columns.get(n), n) for n in names]
        others = [table.header[i] for i in self.others]
        return heads + others, [TAGS.get(n, "") for n in names] + [""] * len(others)

    def values(self, cells: list[Any]) -> list[Any]:
        result = []
        for name in self.names:
            f = self.form.fields[name]
            index = self.columns.get(name)
            value = cells[index] if index is not None and index < len(cells) else None
            ticks = None
            if name in self.options:  # the 0/1 columns of a multiple choice
                ticks = [
                    c for c, i in self.options[name].items() if i < len(cells) and ticked(cells[i])
                ]
                if _empty(value):
                    value = " ".join(ticks)
            result.append(self.form.choice(f, value, None if ticks is None else set(ticks)))
        result += [cells[i] if i < len(cells) else None for i in self.others]
        return result


def shown(table: Table, index: int | None, name: str) -> str:
    """The export's own header for a field, if it has one and the field a hashtag (the
    importer recognises the column by the hashtag); else the field's name."""
    if index is not None and index < len(table.header) and table.header[index] and TAGS.get(name):
        return table.header[index]
    return name


def rewritten(
    table: Table, header: list[str], tags: list[str], rows: Iterator[tuple[int, list[Any]]]
) -> Table:
    """The table in the template's shape; its title and row numbers stay the export's."""
    return Table(
        sheet=table.sheet,
        header=header,
        tags=tags,
        rows=rows,
        total=table.total,
        header_row=table.header_row,
    )


def missing_attendance(where: str, how: str) -> str:
    """The warning for an export that holds the main table only."""
    return _(
        "%(file)s holds the main table only: the attendance lists of its submissions "
        "(if any) are not in it and were not imported; an activity imported before with "
        "its list has kept it. To import them, download the export with its repeat "
        "groups: %(how)s."
    ) % {"file": where, "how": how}


# The door ---------------------------------------------------------------------------


@dataclass
class Exports:
    """The files of one import, as the importer opens them: a KoboToolbox or ODK Central
    export is rewritten into the template's shape, a template is left as it is. What one
    file lacks may be in another (ODK Central's CSV files given one by one), so the
    rewrites of one import share this."""

    validator: bool
    limits: Limits = COMMAND_LIMITS  # what any reader reads before refusing a file
    repeats: set[str] = field(default_factory=set)  # the repeat groups of every file
    _form: Form | None = None

    @property
    def form(self) -> Form:
        if self._form is None:
            self._form = Form.current()
        return self._form

    def open(self, path: Path, name: str) -> Workbook:
        from musow.intake import kobo, odk

        if odk.is_csv_zip(path):
            return odk.zip_workbook(path, name, self)
        book = open_workbook(path, name, self.limits)
        if book.format == "json":
            book.close()
            return kobo.json_workbook(path, name, self)
        for kind in (kobo, odk):
            if kind.owns(book):
                return kind.rewrite(book, self, path=path)
        return book

    def lacks_repeats(self) -> bool:
        """The form has repeat groups (the attendance list) and no file holds them."""
        return bool(self.form.repeats) and not self.repeats & set(self.form.repeats)
