"""Helpers for the intake tests: write template files, run `musow import`."""

import csv
import io
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

EN_HEADER = [
    "ID",
    "Activity type",
    "Title",
    "Start date",
    "End date",
    "Region",
    "Themes",
    "Audience",
    "Women (18 and over)",
    "Men (18 and over)",
    "Status",
]
FR_HEADER = [
    "Identifiant",
    "Type d'activité",
    "Titre",
    "Date de début",
    "Date de fin",
    "Région",
    "Thèmes",
    "Public",
    "Femmes (18 ans et plus)",
    "Hommes (18 ans et plus)",
    "Statut",
]
TAGS = [
    "#activity+id",
    "#activity+type",
    "#activity+name",
    "#date+start",
    "#date+end",
    "#adm1+name",
    "#sector+theme",
    "#reached+audience",
    "#reached+f+adults",
    "#reached+m+adults",
    "#status",
]


def row(key: str = "A-1", **over: Any) -> list[Any]:
    values = {
        "id": key,
        "type": "conference",
        "title": "Conférence sur les VBG",
        "start": "2014-11-26",
        "end": "",
        "region": "Gao",
        "themes": "gbv",
        "audience": "general-public",
        "f": 30,
        "m": 20,
        "status": "validated",
    }
    values.update(over)
    return list(values.values())


def write_csv(
    path: Path,
    rows: list[list[Any]],
    *,
    header: list[str] | None = None,
    tags: list[str] | None = TAGS,
    sep: str = ";",
    encoding: str = "utf-8",
) -> Path:
    lines = [header or FR_HEADER]
    if tags:
        lines.append(tags)
    lines += rows
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerows([["" if c is None else str(c) for c in line] for line in lines])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r in rows:
            sheet.append(r)
    book.save(path)
    return path


def run_import(*args: Any, lang: str = "en") -> tuple[bool, str]:
    """(succeeded, output or error message) of `musow import ARGS --lang LANG`."""
    out = StringIO()
    try:
        call_command("import", *[str(a) for a in args], "--lang", lang, stdout=out)
    except CommandError as exc:
        return False, str(exc)
    return True, out.getvalue()
