"""One sheet of a file as the importer reads it, and one row's cells parsed on demand.

`Row` turns a cell into text, a date, a number, a choice, a list of choices or a
place, and reports each problem on its cell (sheet, row, column, value).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from musow.activities.models import AgeGroup
from musow.activities.services import BatchItem
from musow.geo.models import Place
from musow.intake.columns import SHEETS, Column, SheetKind, fold
from musow.intake.readers import (
    CellError,
    Table,
    cell_date,
    cell_integer,
    cell_text,
    excerpt,
)
from musow.intake.report import Problem
from musow.intake.vocabulary import Vocabulary

if TYPE_CHECKING:
    from musow.intake.importer import Importer

COLUMNS_BY_KEY = {kind: {c.key: c for c in columns} for kind, columns in SHEETS.items()}

# -- reading a sheet ------------------------------------------------------------------


@dataclass
class Sheet:
    kind: SheetKind
    table: Table
    columns: dict[int, Column]  # cell index → column
    submission_id: int | None = None  # index of the submission UUID column (Kobo/ODK)
    form_version: int | None = None
    by_key: dict[str, Column] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.table.sheet

    def header(self, column: Column) -> str:
        if column.key in self.headers:
            return self.headers[column.key]
        for index, c in self.columns.items():
            if c.key == column.key:
                text = self.table.header[index] if index < len(self.table.header) else ""
                return text or column.hxl
        return column.header("fr")


@dataclass
class Cell:
    """Where a value came from: for messages."""

    sheet: str
    row: int
    column: str
    value: str = ""


@dataclass
class Prepared:
    """A row ready to write, with what maps the write path's messages back to cells, and
    what it leaves to its stored activity (an empty status or review comment)."""

    item: BatchItem
    row: "Row"
    origins: list["Cell | str"]  # a Cell, or the key of a column of the row itself
    media_origins: list["Cell | str"]
    attendance_origins: list["Cell"] = field(default_factory=list)
    keep_status: bool = False
    keep_comment: bool = False
    keep_attendance: bool = False

    def problem(self, name: str, message: str) -> None:
        """A message of the write path, on its cell (another sheet's for listed rows)."""
        pools: dict[str, Sequence[Cell | str]] = {
            "participation": self.origins,
            "media_reach": self.media_origins,
            "attendance": self.attendance_origins,
        }
        self.row.validation_problem(name, message, pools)


@dataclass
class Line:
    """A long-format row (participation, media, attendance) waiting for its activity."""

    cell: Cell
    item: Any


def age_group_of(vocabulary: Vocabulary, code: str) -> AgeGroup | None:
    found = vocabulary.index["age_group"].get(fold(code), [])
    return found[0] if len(found) == 1 else None


class Row:
    """One row's cells, parsed on demand; each problem is reported with its cell."""

    def __init__(
        self, importer: "Importer", sheet: Sheet, number: int, values: dict[str, Any], report: Any
    ) -> None:
        self.importer = importer
        self.sheet = sheet
        self.number = number
        self.values = values
        self.report = report
        self.ok = True

    def cell(self, key: str) -> Cell:
        column = self.sheet.by_key.get(key)
        header = self.sheet.header(column) if column else ""
        raw = self.values.get(key)
        return Cell(self.sheet.title, self.number, header, shown(raw))

    def problem(self, key: str, message: str) -> None:
        cell = self.cell(key) if key else Cell(self.sheet.title, self.number, "")
        self.report.problem(Problem(cell.sheet, cell.row, cell.column, cell.value, message))
        self.ok = False

    def validation_problem(
        self, name: str, message: str, pools: dict[str, Sequence[Cell | str]]
    ) -> None:
        """A message of the write path's validation, put back on its cell: a listed row
        (`participation[2]`, `attendance[3]`) on the row it came from, a whole list's
        problem on its first row, the rest on the activity's row."""
        m = re.match(r"(participation|media_reach|attendance)(?:\[(\d+)\])?", name)
        pool = pools.get(m[1], []) if m else []
        index = int(m[2]) - 1 if m and m[2] else 0
        if m and (m[2] or m[1] == "attendance") and 0 <= index < len(pool):
            c = pool[index]
            if isinstance(c, str):
                c = self.cell(c)
            self.report.problem(Problem(c.sheet, c.row, c.column, c.value, message))
            self.ok = False
            return
        key = FIELD_COLUMNS.get(name, "")
        self.problem(key, message)

    def has(self, key: str) -> bool:
        value = self.values.get(key)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:  # most columns of most rows: no call (import speed)
            return ""
        try:
            return cell_text(value)
        except CellError as exc:
            self.problem(key, str(exc))
            return ""

    def integer(self, key: str) -> int | None:
        value = self.values.get(key)
        if value is None:
            return None
        try:
            return cell_integer(value)
        except CellError as exc:
            self.problem(key, str(exc))
            return None

    def date(self, key: str, required: bool = False) -> date | None:
        try:
            value = cell_date(self.values.get(key))
        except CellError as exc:
            self.problem(key, str(exc))
            return None
        if value is None and required:
            self.problem(key, _("The date is required."))
        return value

    def choice(self, key: str, required: bool = False) -> Any:
        column = COLUMNS_BY_KEY[self.sheet.kind].get(key)
        text = self.text(key)
        if not text:
            if required:
                self.problem(key, _("This column is required."))
            return None
        assert column is not None
        try:
            return self.importer.vocabulary.resolve(column.choices, text)
        except CellError as exc:
            entry = self._code_from_date(column, key, exc)
            if isinstance(entry, CellError):
                self.problem(key, str(entry))
                return None
            return entry

    def _code_from_date(self, column: Column, key: str, error: CellError) -> Any:
        """A code that a spreadsheet turned into a date (`8-mars-2014` → 2014-03-08): the
        entry it was, or the error that says why none is taken (else `error`)."""
        found = self.importer.vocabulary.by_date(column.choices, self.values.get(key))
        return error if found is None else found

    def choices(self, key: str) -> list[Any]:
        """A cell of several values, whole names first (see `Vocabulary.resolve_many`)."""
        column = COLUMNS_BY_KEY[self.sheet.kind][key]
        text = self.text(key)
        if not text:
            return []
        found = []
        if isinstance(self.values.get(key), date):  # one code, turned into a date
            entry = self.importer.vocabulary.by_date(column.choices, self.values[key])
            if isinstance(entry, CellError):
                self.problem(key, str(entry))
                return []
            return [entry]
        for part, entry in self.importer.vocabulary.resolve_many(column.choices, text):
            if not isinstance(entry, CellError):
                found.append(entry)
                continue
            if part == text and (dated := self._code_from_date(column, key, entry)) is not entry:
                if not isinstance(dated, CellError):
                    found.append(dated)
                    continue
                entry = dated
            message = str(entry)
            if part != text:
                message = _("“%(value)s”: %(message)s") % {
                    "value": excerpt(part),
                    "message": message,
                }
            self.problem(key, message)
        return found

    def place(self) -> Place | None:
        parent: Place | None = None
        levels = (("region_code", "region"), ("cercle_code", "cercle"), ("commune_code", "commune"))
        for level, (code_key, name_key) in enumerate(levels, start=1):
            code, name = self.text(code_key), self.text(name_key)
            if not code and not name:
                continue
            try:
                parent = self.importer.places.resolve(level, code, name, parent)
            except CellError as exc:
                self.problem(code_key if code else name_key, str(exc))
                return None
        if parent is None:
            self.problem("region", _("The place is required: give at least the region."))
        return parent


# Write-path field names → the template's column keys.
FIELD_COLUMNS = {
    "title": "title",
    "description": "description",
    "end_date": "end_date",
    "start_date": "start_date",
    "campaign": "campaign",
    "status": "status",
    "review_comment": "review_comment",
    "participants_total": "total",
    "participation": "audience",
    "attendance": "",
    "source": "source",
    "source_key": "activity_id",
    "activity_type": "activity_type",
    "place": "region",
}


def shown(value: Any) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text[:80]
