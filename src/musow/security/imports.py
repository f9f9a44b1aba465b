"""Programme figures (DDR, recruitment, CVR) from a CSV or XLSX template: one row per
count (long format), French or English headers and an HXL row. All or nothing: every
problem of the file is listed (row by row, then record by record through
`report_check`) and nothing is written unless there is none; loading the same file again
changes nothing (a record is found again by programme, place, period and force)."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from musow.activities.models import AgeGroup
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.intake.readers import (
    CellError,
    ReadError,
    cell_date,
    cell_integer,
    cell_text,
    open_workbook,
)
from musow.security import services
from musow.security.models import Force, Programme, Report, Stage
from musow.security.services import Cell, ReportInput

# key, French header, English header, HXL hashtag
COLUMNS = [
    ("programme", "programme", "programme", "#indicator+programme"),
    ("place", "lieu", "place", "#adm1+code"),
    ("start", "du", "from", "#date+start"),
    ("end", "au", "to", "#date+end"),
    ("force", "force", "force", "#org+force"),
    ("stage", "étape", "stage", "#indicator+stage"),
    ("sex", "sexe", "sex", "#group+sex"),
    ("age", "tranche d'âge", "age group", "#group+age"),
    ("count", "nombre", "count", "#affected+num"),
    ("source", "source", "source", "#meta+source"),
]
OPTIONAL = {"force"}


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


Key = tuple[str, int, date, date, str]


def _columns(header: list[str], tags: list[str]) -> dict[str, int]:
    """Where each column is: by HXL hashtag, else by its French or English header."""
    found: dict[str, int] = {}
    for key, fr, en, tag in COLUMNS:
        for i, (text, hxl) in enumerate(zip(header, tags or [""] * len(header), strict=False)):
            if hxl.strip().lower() == tag or text.strip().lower() in (fr, en):
                found[key] = i
                break
    missing = [en for key, _fr, en, _t in COLUMNS if key not in found and key not in OPTIONAL]
    if missing:
        raise ReadError(
            _("The file lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return found


def rows_read(path: Path, name: str) -> tuple[dict[Key, dict[str, Any]], list[str]]:
    """The file's records, by (programme, place, start, end, force), and its rows' problems."""
    book = open_workbook(path, name)
    records: dict[Key, dict[str, Any]] = {}
    problems: list[str] = []
    places = {
        p.pcode: p
        for p in Place.objects.filter(gazetteer__code=SHIPPED_GAZETTEER)
        .exclude(pcode="")
        .defer("boundary")
    }
    forces = {f.code: f for f in Force.objects.all()}
    try:
        table = book.tables[0]
        where = _columns(table.header, table.tags)
        for number, cells in table.rows:
            row = {k: (cells[i] if i < len(cells) else None) for k, i in where.items()}
            try:
                problem = _row(row, places, forces, records)
            except CellError as exc:
                problem = str(exc)
            if problem:
                problems.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
    finally:
        book.close()
    return records, problems


def _row(
    row: dict[str, Any],
    places: dict[str, Place],
    forces: dict[str, Force],
    records: dict[Key, dict[str, Any]],
) -> str | None:
    text = {k: cell_text(v).strip() for k, v in row.items() if k not in ("count", "start", "end")}
    programme = text["programme"].lower()
    if programme not in Programme.values:
        return _("unknown programme “%(value)s” (ddr, recruitment or cvr).") % {"value": programme}
    place = places.get(text["place"])
    if place is None:
        return _("unknown P-code “%(code)s”.") % {"code": text["place"]}
    start, end = cell_date(row["start"]), cell_date(row["end"])
    if start is None or end is None:
        return _("the period needs its first and last days.")
    force_code = text.get("force", "")
    if force_code and force_code not in forces:
        return _("unknown force “%(code)s”.") % {"code": force_code}
    try:
        count = cell_integer(row["count"])
    except ValueError:
        count = None
    if count is None:
        return _("the count is not a whole number.")
    record = records.setdefault(
        (programme, place.pk, start, end, force_code),
        {"place": place, "force": forces.get(force_code), "cells": [], "sources": set()},
    )
    # Unknown stages, age groups and sexes, negative numbers and cells given twice are
    # said by the service's check, naming the cell.
    record["cells"].append(Cell(text["stage"], text["sex"].lower(), text["age"], count))
    if text["source"]:
        record["sources"].add(text["source"])
    return None


def _input(key: Key, record: dict[str, Any]) -> ReportInput:
    programme, _place, start, end, _force = key
    return ReportInput(
        programme=programme,
        place=record["place"],
        period_start=start,
        period_end=end,
        cells=tuple(record["cells"]),
        force=record["force"],
        source_document=" / ".join(sorted(record["sources"])),
    )


@transaction.atomic
def reports_import(*, user: Any, path: Path, name: str) -> Outcome:
    """Write every record of the file, or nothing (ValidationError listing every problem)."""
    try:
        records, problems = rows_read(path, name)
    except ReadError as exc:
        raise ValidationError([str(exc)]) from exc
    outcome = Outcome()
    for key, record in records.items():
        data = _input(key, record)
        label = f"{key[0]} {data.place.pcode} {key[2]:%Y-%m-%d}..{key[3]:%Y-%m-%d}"
        stored = Report.objects.filter(
            programme=key[0],
            place=data.place,
            period_start=key[2],
            period_end=key[3],
            force=data.force,
        ).first()
        try:
            if stored is None:
                services.report_save(data=data, user=user)
                outcome.created += 1
            elif _cells(stored) == {(c.stage, c.sex, c.age_group): c.count for c in data.cells}:
                outcome.unchanged += 1
            else:
                services.report_save(
                    data=data, report=stored, user=user, expected_version=stored.version
                )
                outcome.updated += 1
        except ValidationError as exc:
            for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                problems += [
                    f"{label} — {field}: {m}" if field else f"{label}: {m}" for m in messages
                ]
    if problems:
        raise ValidationError(problems)
    return outcome


def _cells(report: Report) -> dict[tuple[str, str, str], int]:
    rows = report.counts.values_list("stage__code", "sex", "age_group__code", "count")
    return {(stage, sex, age): n for stage, sex, age, n in rows}


# --- the template -------------------------------------------------------------------


def template_header(lang: str) -> tuple[list[str], list[str]]:
    return [fr if lang == "fr" else en for _k, fr, en, _t in COLUMNS], [t for *_x, t in COLUMNS]


def template_csv(lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fr" else ",", lineterminator="\r\n")
    header, tags = template_header(lang)
    writer.writerow(header)
    writer.writerow(tags)
    return "\ufeff" + out.getvalue()


def template_xlsx(lang: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "chiffres" if lang == "fr" else "figures"
    header, tags = template_header(lang)
    sheet.append(header)
    sheet.append(tags)
    codes = book.create_sheet("codes")
    codes.append([_("programme"), _("stage"), _("force"), _("age group")])
    ages = " / ".join(AgeGroup.objects.values_list("code", flat=True))
    for stage in Stage.objects.order_by("programme", "order"):
        force = ""
        if stage.programme == Programme.RECRUITMENT:
            force = " / ".join(Force.objects.values_list("code", flat=True))
        codes.append([stage.programme, stage.code, force, ages])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
