"""Candidate lists from a CSV or XLSX template: one row per list, French or English
headers and an HXL row. A row names its election (code), party, body, place (P-code),
candidates as the form takes them (`FMFMMF` or `1F 2M 3F`), the women and men elected
(blank: not given, never 0), optionally the positions elected (`1 2 4`), and its source.

All or nothing: every problem of the file is listed — a row and its column, then a list
and its column through `elections.services`' own checks (the user's scope, the law's
verdicts as for the form) — and nothing is written unless there is none. A list is
known by its election, party, body and place: loading the same file again changes
nothing; a list already submitted or validated is not changed by an import.

The export (`export_rows`) writes the same layout from the database (lists only, not
the totals of all lists), so that a file exported and imported back changes nothing."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.elections import services
from musow.elections.models import CandidateList, Council, Election, Status
from musow.elections.services import ListInput, numbers_parse, positions_parse
from musow.geo.models import Place
from musow.intake.readers import (
    CellError,
    ReadError,
    cell_date,
    cell_integer,
    cell_text,
    open_workbook,
)
from musow.lib.i18n import colon

# key, French header, English header, HXL hashtag, required
COLUMNS = [
    ("election", "élection", "election", "#event+code", True),
    ("party", "parti", "party", "#org+name", True),
    ("council", "instance", "body", "#group+body+code", True),
    ("place", "lieu (P-code)", "place (P-code)", "#loc+code", True),
    ("candidates", "candidats (F/M)", "candidates (F/M)", "#indicator+candidates+sex", True),
    ("elected_women", "femmes élues", "women elected", "#indicator+elected+f+num", False),
    ("elected_men", "hommes élus", "men elected", "#indicator+elected+m+num", False),
    ("elected_positions", "positions élues", "positions elected", "#meta+elected", False),
    ("source", "source", "source", "#meta+source", True),
    ("source_date", "date de la source", "source date", "#date+source", False),
    ("url", "lien", "link", "#meta+url", False),
    ("note", "note", "note", "#meta+note", False),
]
TEXTS: tuple[str, ...] = ("election", "party", "council", "place", "candidates")
TEXTS += ("elected_positions", "source", "url", "note")


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _label(key: str) -> str:
    """The column's header in the user's language."""
    french = (get_language() or "fr").startswith("fr")
    return next(fr if french else en for k, fr, en, _t, _r in COLUMNS if k == key)


def _columns(header: list[str], tags: list[str]) -> dict[str, int]:
    """Where each column is: by HXL hashtag, else by its French or English header."""
    found: dict[str, int] = {}
    for key, fr, en, tag, _required in COLUMNS:
        for i, (text, hxl) in enumerate(zip(header, tags or [""] * len(header), strict=False)):
            if hxl.strip().lower() == tag or text.strip().lower() in (fr.lower(), en.lower()):
                found[key] = i
                break
    missing = [_label(key) for key, *_rest, required in COLUMNS if required and key not in found]
    if missing:
        raise ReadError(
            _("The file lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return found


@dataclass
class _Row:
    number: int
    data: ListInput


def rows_read(path: Path, name: str) -> tuple[list[_Row], list[str]]:
    """The file's lists, in order, and the problems of its rows."""
    book = open_workbook(path, name)
    elections = {e.code: e for e in Election.objects.all()}
    rows: list[_Row] = []
    problems: list[str] = []
    seen: dict[tuple[Any, ...], int] = {}
    try:
        table = book.tables[0]
        where = _columns(table.header, table.tags)
        for number, cells in table.rows:
            cells_by_key = {k: (cells[i] if i < len(cells) else None) for k, i in where.items()}
            found, data = _row(cells_by_key, elections)
            if data is not None:
                key = (data.election.pk, data.party.strip(), data.council, data.place)
                if key in seen:
                    found.append(
                        (
                            _label("party"),
                            _("row %(row)s has the same election, party, body and place.")
                            % {"row": seen[key]},
                        )
                    )
                seen.setdefault(key, number)
            for column, problem in found:
                problems.append(
                    _("Row %(row)s, %(field)s: %(problem)s")
                    % {"row": number, "field": column, "problem": problem}
                )
            if data is not None and not found:
                rows.append(_Row(number, data))
    finally:
        book.close()
    return rows, problems


def _row(row: dict[str, Any], elections: dict[str, Election]) -> tuple[list[Any], Any]:
    """This row's problems as (column, message), and its input when it has none."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for key in TEXTS:
        try:
            values[key] = cell_text(row.get(key))
        except CellError as exc:
            problems.append((_label(key), str(exc)))
            values[key] = ""
    election = elections.get(values["election"])
    if election is None:
        problems.append(
            (
                _label("election"),
                _("unknown election “%(code)s”.") % {"code": values["election"][:80]},
            )
        )
    if values["council"] not in Council.values:
        problems.append(
            (
                _label("council"),
                _("unknown body “%(code)s” (see the codes).") % {"code": values["council"][:80]},
            )
        )
    place = None
    if values["place"]:
        place = Place.objects.defer("boundary").filter(pcode=values["place"]).first()
        if place is None:
            problems.append(
                (_label("place"), _("unknown P-code “%(code)s”.") % {"code": values["place"][:40]})
            )
    for key in ("elected_women", "elected_men"):
        try:
            values[key] = cell_integer(row.get(key))
        except (CellError, ValueError) as exc:
            problems.append((_label(key), str(exc)))
            values[key] = None
    try:
        values["source_date"] = cell_date(row.get("source_date"))
    except CellError as exc:
        problems.append((_label("source_date"), str(exc)))
        values["source_date"] = None
    try:
        elected_positions = numbers_parse(values["elected_positions"])
    except ValueError:
        problems.append(
            (
                _label("elected_positions"),
                _("write the positions elected as numbers separated by spaces, e.g. 1 2 4."),
            )
        )
        elected_positions = ()
    if problems or election is None:
        return problems, None
    return problems, ListInput(
        election=election,
        party=values["party"],
        council=values["council"],
        place=place,
        candidates=positions_parse(values["candidates"]),
        elected_women=values["elected_women"],
        elected_men=values["elected_men"],
        elected_positions=elected_positions,
        source_document=values["source"],
        source_date=values["source_date"],
        source_url=values["url"],
        note=values["note"],
    )


@transaction.atomic
def lists_import(*, user: Any, path: Path, name: str, check: bool = False) -> Outcome:
    """Write every list of the file, or nothing (ValidationError listing every problem).
    `check`: find the problems and count what would change, but write nothing."""
    try:
        rows, problems = rows_read(path, name)
    except ReadError as exc:
        raise ValidationError([str(exc)]) from exc
    outcome = Outcome()
    for row in rows:
        try:
            _write(row.data, user, outcome)
        except ValidationError as exc:
            for field_name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                where = _field_label(field_name)
                label = _("Row %(row)s (%(party)s)") % {"row": row.number, "party": row.data.party}
                for message in messages:
                    problems.append(colon(f"{label}, {where}" if where else label, message))
    if problems:
        raise ValidationError(problems)
    if check:
        transaction.set_rollback(True)
    return outcome


def _field_label(name: str) -> str:
    columns = {
        "election": "election",
        "party": "party",
        "council": "council",
        "place": "place",
        "candidates": "candidates",
        "elected_women": "elected_women",
        "elected_men": "elected_men",
        "elected_positions": "elected_positions",
        "source_document": "source",
        "note": "note",
    }
    if name in columns:
        return _label(columns[name])
    return {"status": _("status"), "is_total": _("total of all lists")}.get(name, name)


def _stored(data: ListInput) -> CandidateList | None:
    return (
        CandidateList.objects.filter(
            election=data.election,
            party=data.party.strip(),
            council=data.council,
            place=data.place,
            is_total=False,
        )
        .order_by("-pk")
        .first()
    )


def _write(data: ListInput, user: Any, outcome: Outcome) -> None:
    stored = _stored(data)
    services.list_check(data=data, user=user, candidate_list=stored).raise_any()
    if stored is not None and list_fields(stored) == _fields(data):
        outcome.unchanged += 1
        return
    if stored is not None and user is not None and not scopes.may_edit_list(user, stored):
        raise ValidationError(
            {"status": _("this list was entered by someone else: you may not change it.")}
        )
    if stored is not None and stored.status != Status.DRAFT:
        raise ValidationError(
            {
                "status": _(
                    "this list is %(status)s: return it to draft before changing it by an import."
                )
                % {"status": stored.get_status_display()}
            }
        )
    services.list_save(data=data, candidate_list=stored, user=user)
    outcome.created += stored is None
    outcome.updated += stored is not None


def _fields(data: ListInput) -> dict[str, Any]:
    ordered = sorted(data.candidates, key=lambda c: c.position)
    sexes = "".join(str(c.sex).lower() for c in ordered)
    women, men = data.elected_women, data.elected_men
    at = set(data.elected_positions)
    if at:  # as list_save fills them in
        women = sum(1 for p in at if sexes[p - 1] == "f") if women is None else women
        men = sum(1 for p in at if sexes[p - 1] == "m") if men is None else men
    return {
        "sexes": sexes,
        "elected_at": sorted(at),
        "women": women,
        "men": men,
        "source": data.source_document.strip(),
        "source_date": data.source_date,
        "url": data.source_url.strip(),
        "note": data.note.strip(),
    }


def list_fields(c: CandidateList) -> dict[str, Any]:
    cands = list(c.candidates.order_by("position").values_list("position", "sex", "elected"))
    return {
        "sexes": "".join(sex for _p, sex, _e in cands),
        "elected_at": [p for p, _s, e in cands if e],
        "women": c.elected_women,
        "men": c.elected_men,
        "source": c.source_document,
        "source_date": c.source_date,
        "url": c.source_url,
        "note": c.note,
    }


# --- the template and the export -----------------------------------------------------


def template_header(lang: str) -> tuple[list[str], list[str]]:
    return (
        [fr if lang == "fr" else en for _k, fr, en, _t, _r in COLUMNS],
        [t for _k, _fr, _en, t, _r in COLUMNS],
    )


def export_rows(lists: Any) -> list[list[Any]]:
    """The lists (not the totals) as template rows, the database's content as it is."""
    rows: list[list[Any]] = []
    for c in lists.filter(is_total=False).select_related("election", "place"):
        fields = list_fields(c)
        rows.append(
            [
                c.election.code,
                c.party,
                c.council,
                c.place.pcode if c.place else "",
                fields["sexes"].upper(),
                c.elected_women,
                c.elected_men,
                " ".join(map(str, fields["elected_at"])),
                c.source_document,
                c.source_date,
                c.source_url,
                c.note,
            ]
        )
    return rows


def template_csv(lang: str, rows: list[list[Any]] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    header, tags = template_header(lang)
    writer.writerow(header)
    writer.writerow(tags)
    for row in rows or []:
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row]
        )
    return "\ufeff" + out.getvalue()


def template_xlsx(lang: str, rows: list[list[Any]] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "listes" if lang == "fr" else "lists"
    header, tags = template_header(lang)
    sheet.append(header)
    sheet.append(tags)
    for row in rows or []:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=3):
        cells[9].number_format = "yyyy-mm-dd"
        for cell in (cells[4], cells[7]):  # text, so that "1 2 4" stays as typed
            cell.number_format = "@"
    codes = book.create_sheet("codes")
    codes.append([_("election"), _("name (French)"), _("name (English)")])
    for election in Election.objects.order_by("-held_on", "code"):
        codes.append([election.code, election.name_fr, election.name_en])
    codes.append([])
    codes.append([_("body"), _("name")])
    for value, label in Council.choices:
        codes.append([value, str(label)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
