"""Compositions and sittings from a CSV or XLSX template: one row per role (long format),
with French or English headers and an HXL row. Rows of the same record (composition or
sitting), body and date make one record; their source, declared total and note must
agree. All or nothing: every problem of the file is listed — a row and its field, then a
record and its field through the services' own checks — and nothing is written unless
there is none. Loading the same file again changes nothing; a record already submitted
or validated is not changed by an import (return it to draft first).

The export (`export_rows`) writes the same layout from the database, so that a file
exported and imported back changes nothing."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from musow.intake.readers import (
    CellError,
    ReadError,
    cell_date,
    cell_integer,
    cell_text,
    open_workbook,
)
from musow.lib.i18n import colon
from musow.representation import services
from musow.representation.models import Body, Composition, Sitting, Status
from musow.representation.services import CompositionInput, Count, SittingInput

# key, French header, English header, HXL hashtag, required
COLUMNS = [
    ("record", "enregistrement", "record", "#meta+record", False),
    ("body", "instance", "body", "#group+body+code", True),
    ("date", "date", "date", "#date", True),
    ("role", "rôle", "role", "#group+role+code", True),
    ("women", "femmes", "women", "#indicator+f+num", True),
    ("men", "hommes", "men", "#indicator+m+num", True),
    ("total", "total", "total", "#indicator+num", False),
    ("declared_total", "total déclaré", "declared total", "#indicator+declared+num", False),
    ("source", "source", "source", "#meta+source", True),
    ("source_date", "date de la source", "source date", "#date+source", False),
    ("url", "lien", "link", "#meta+url", False),
    ("title", "intitulé", "title", "#event+name", False),
    ("note", "note", "note", "#meta+note", False),
]
RECORDS = {"composition": "composition", "sitting": "sitting", "séance": "sitting"}
SHARED = ("declared_total", "source", "source_date", "url", "title", "note")


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Record:
    kind: str  # "composition" or "sitting"
    body: Body
    day: date
    rows: list[int]
    shared: dict[str, Any]
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def label(self) -> str:
        what = {"body": self.body.code, "day": self.day.isoformat(), "rows": self.rows[0]}
        if len(self.rows) == 1:
            return _("Row %(rows)s (%(body)s, %(day)s)") % what
        what["rows"] = f"{self.rows[0]}–{self.rows[-1]}"
        return _("Rows %(rows)s (%(body)s, %(day)s)") % what

    def cells(self) -> tuple[Count, ...]:
        return tuple(Count(role, sex, n) for (role, sex), n in self.counts.items())

    def composition(self) -> CompositionInput:
        return CompositionInput(
            body=self.body,
            as_of=self.day,
            counts=self.cells(),
            source_document=self.shared["source"],
            declared_total=self.shared["declared_total"],
            source_date=self.shared["source_date"],
            source_url=self.shared["url"],
            note=self.shared["note"],
        )

    def sitting(self) -> SittingInput:
        return SittingInput(
            body=self.body,
            held_on=self.day,
            counts=self.cells(),
            source_document=self.shared["source"],
            title=self.shared["title"],
            source_date=self.shared["source_date"],
            source_url=self.shared["url"],
            note=self.shared["note"],
        )


def _label(key: str) -> str:
    """The column's header in the user's language."""
    french = (get_language() or "fr").startswith("fr")
    return next(fr if french else en for k, fr, en, _t, _r in COLUMNS if k == key)


def _columns(header: list[str], tags: list[str]) -> dict[str, int]:
    """Where each column is: by HXL hashtag, else by its French or English header."""
    found: dict[str, int] = {}
    for key, fr, en, tag, _required in COLUMNS:
        for i, (text, hxl) in enumerate(zip(header, tags or [""] * len(header), strict=False)):
            if hxl.strip().lower() == tag or text.strip().lower() in (fr, en):
                found[key] = i
                break
    missing = [en for key, _fr, en, _tag, required in COLUMNS if required and key not in found]
    if missing:
        raise ReadError(
            _("The file lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return found


def records_read(path: Path, name: str) -> tuple[list[_Record], list[str]]:
    """The file's records, in the order of their first row, and the problems of its rows."""
    book = open_workbook(path, name)
    bodies = {b.code: b for b in Body.objects.all()}
    records: dict[tuple[str, str, date], _Record] = {}
    problems: list[str] = []
    try:
        table = book.tables[0]
        where = _columns(table.header, table.tags)
        for number, cells in table.rows:
            row = {k: (cells[i] if i < len(cells) else None) for k, i in where.items()}
            for name_, problem in _row(number, row, bodies, records):
                problems.append(
                    _("Row %(row)s, %(field)s: %(problem)s")
                    % {"row": number, "field": name_, "problem": problem}
                )
    finally:
        book.close()
    return list(records.values()), problems


def _row(
    number: int,
    row: dict[str, Any],
    bodies: dict[str, Body],
    records: dict[tuple[str, str, date], _Record],
) -> list[tuple[str, str]]:
    """This row's problems, as (column, message); when none, it joins its record."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for key in ("record", "body", "role", "source", "url", "title", "note"):
        try:
            values[key] = cell_text(row.get(key))
        except CellError as exc:
            problems.append((_label(key), str(exc)))
            values[key] = ""
    kind = RECORDS.get((values["record"] or "composition").lower())
    if kind is None:
        problems.append(
            (_label("record"), _("write composition or sitting, not “%(value)s”.") % values)
        )
    body = bodies.get(values["body"])
    if body is None:
        problems.append(
            (_label("body"), _("unknown body “%(code)s”.") % {"code": values["body"][:80]})
        )
    for key in ("date", "source_date"):
        try:
            values[key] = cell_date(row.get(key))
        except CellError as exc:
            problems.append((_label(key), str(exc)))
            values[key] = None
    if values["date"] is None and not any(p[0] == _label("date") for p in problems):
        problems.append((_label("date"), _("the date is missing (e.g. 2015-06-20).")))
    for key in ("women", "men", "total", "declared_total"):
        try:
            values[key] = cell_integer(row.get(key))
        except (CellError, ValueError) as exc:
            problems.append((_label(key), str(exc)))
            values[key] = None
    for key in ("women", "men"):
        if values[key] is None and not any(p[0] == _label(key) for p in problems):
            values[key] = 0
    if not values["role"]:
        problems.append((_label("role"), _("the role's code is missing.")))
    if (
        values["total"] is not None
        and values["women"] is not None
        and values["men"] is not None
        and values["women"] + values["men"] != values["total"]
    ):
        problems.append(
            (
                _label("total"),
                _("%(women)s women and %(men)s men make %(sum)s, not %(total)s.")
                % {**values, "sum": values["women"] + values["men"]},
            )
        )
    if problems or kind is None or body is None:
        return problems
    shared = {key: values[key] for key in SHARED}
    record = records.setdefault(
        (kind, body.code, values["date"]), _Record(kind, body, values["date"], [], shared)
    )
    for key in SHARED:
        if record.shared[key] != shared[key]:
            problems.append(
                (
                    _label(key),
                    _("differs from row %(row)s of the same record: write it the same.")
                    % {"row": record.rows[0]},
                )
            )
    role = values["role"]
    if any((role, sex) in record.counts for sex in ("f", "m")):
        problems.append(
            (_label("role"), _("the role “%(role)s” is given twice for this record.") % values)
        )
    if problems:
        return problems
    record.rows.append(number)
    record.counts[(role, "f")] = values["women"]
    record.counts[(role, "m")] = values["men"]
    return []


@transaction.atomic
def records_import(*, user: Any, path: Path, name: str) -> Outcome:
    """Write every record of the file, or nothing (ValidationError listing every problem)."""
    try:
        records, problems = records_read(path, name)
    except ReadError as exc:
        raise ValidationError([str(exc)]) from exc
    outcome = Outcome()
    for record in records:
        try:
            _write(record, user, outcome)
        except ValidationError as exc:
            for field_name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                where = _field_label(field_name)
                for message in messages:
                    label = f"{record.label()}, {where}" if where else record.label()
                    problems.append(colon(label, message))
    if problems:
        raise ValidationError(problems)
    return outcome


def _field_label(name: str) -> str:
    columns = {
        "as_of": "date",
        "held_on": "date",
        "body": "body",
        "declared_total": "declared_total",
        "source_document": "source",
        "note": "note",
    }
    if name in columns:
        return _label(columns[name])
    return {"counts": _("role, women, men"), "status": _("status")}.get(name, name)


def _write(record: _Record, user: Any, outcome: Outcome) -> None:
    check: Any
    save: Any
    if record.kind == "composition":
        data: Any = record.composition()
        stored: Any = (
            Composition.objects.filter(body=record.body, as_of=record.day).order_by("-pk").first()
        )
        check, save = services.composition_check, services.composition_save
        same = stored is not None and composition_fields(stored) == _fields(data)
    else:
        data = record.sitting()
        stored = (
            Sitting.objects.filter(body=record.body, held_on=record.day).order_by("-pk").first()
        )
        check, save = services.sitting_check, services.sitting_save
        same = stored is not None and sitting_fields(stored) == _fields(data)
    problems = check(data=data, user=user)
    problems.raise_any()
    if same:
        outcome.unchanged += 1
        return
    if stored is not None and stored.status != Status.DRAFT:
        raise ValidationError(
            {
                "status": _(
                    "this record is %(status)s: return it to draft before changing it by an import."
                )
                % {"status": stored.get_status_display()}
            }
        )
    if record.kind == "composition":
        save(data=data, composition=stored, user=user)
    else:
        save(data=data, sitting=stored, user=user)
    outcome.created += stored is None
    outcome.updated += stored is not None


def _fields(data: Any) -> dict[str, Any]:
    return {
        "counts": {(c.role, c.sex): c.count for c in data.counts if c.count},
        "source": data.source_document.strip(),
        "source_date": data.source_date,
        "url": data.source_url.strip(),
        "note": data.note.strip(),
        "declared_total": getattr(data, "declared_total", None),
        "title": getattr(data, "title", "").strip(),
    }


def composition_fields(c: Composition) -> dict[str, Any]:
    return {
        "counts": {
            (s.role.code, s.sex): s.count for s in c.seats.select_related("role") if s.count
        },
        "source": c.source_document,
        "source_date": c.source_date,
        "url": c.source_url,
        "note": c.note,
        "declared_total": c.declared_total,
        "title": "",
    }


def sitting_fields(s: Sitting) -> dict[str, Any]:
    return {
        "counts": {
            (p.role.code, p.sex): p.count for p in s.presences.select_related("role") if p.count
        },
        "source": s.source_document,
        "source_date": s.source_date,
        "url": s.source_url,
        "note": s.note,
        "declared_total": None,
        "title": s.title,
    }


# --- the template and the export -----------------------------------------------------


def template_header(lang: str) -> tuple[list[str], list[str]]:
    return (
        [fr if lang == "fr" else en for _k, fr, en, _t, _r in COLUMNS],
        [t for _k, _fr, _en, t, _r in COLUMNS],
    )


def export_rows(compositions: Any, sittings: Any, lang: str) -> list[list[Any]]:
    """The records as template rows (one per role), the database's content as it is."""
    rows: list[list[Any]] = []
    kinds = {"composition": "composition", "sitting": "séance" if lang == "fr" else "sitting"}
    for kind, qs, day, related in (
        ("composition", compositions, "as_of", "seats"),
        ("sitting", sittings, "held_on", "presences"),
    ):
        for record in qs.select_related("body").prefetch_related(f"{related}__role"):
            by_role: dict[str, dict[str, int]] = {}
            order: dict[str, int] = {}
            for cell in getattr(record, related).all():
                by_role.setdefault(cell.role.code, {"f": 0, "m": 0})[cell.sex] = cell.count
                order[cell.role.code] = cell.role.order
            for role in sorted(by_role, key=lambda r: (order[r], r)):
                women, men = by_role[role]["f"], by_role[role]["m"]
                rows.append(
                    [
                        kinds[kind],
                        record.body.code,
                        getattr(record, day),
                        role,
                        women,
                        men,
                        women + men,
                        getattr(record, "declared_total", None),
                        record.source_document,
                        record.source_date,
                        record.source_url,
                        getattr(record, "title", ""),
                        record.note,
                    ]
                )
    return rows


def template_csv(lang: str, rows: list[list[Any]] = ()) -> str:  # type: ignore[assignment]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    header, tags = template_header(lang)
    writer.writerow(header)
    writer.writerow(tags)
    for row in rows:
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row]
        )
    return "\ufeff" + out.getvalue()


def template_xlsx(lang: str, rows: list[list[Any]] = ()) -> bytes:  # type: ignore[assignment]
    from openpyxl import Workbook

    from musow.representation.models import Role

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "compositions"
    header, tags = template_header(lang)
    sheet.append(header)
    sheet.append(tags)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=3):
        for cell in (cells[2], cells[9]):
            cell.number_format = "yyyy-mm-dd"
    codes = book.create_sheet("codes")
    codes.append([_("role"), _("name (French)"), _("name (English)")])
    for role in Role.objects.filter(is_active=True).order_by("order", "code"):
        codes.append([role.code, role.name_fr, role.name_en])
    codes.append([])
    codes.append([_("body"), _("name (French)"), _("name (English)")])
    for body in Body.objects.order_by("code"):
        codes.append([body.code, body.name_fr, body.name_en])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
