"""Reading spreadsheets row by row: CSV (UTF-8, UTF-16 or Windows-1252, any usual
separator), XLSX and KoboToolbox JSON, each within `Limits` (see `tables`).

Nothing here holds a whole file in memory: CSV is decoded as a stream, one line of at
most `Limits.line` characters at a time, in the one encoding `encodings` decided for
the file; XLSX is parsed as a stream (`xlsx`); JSON
with an event parser (`jsonstream`). Each sheet becomes a `Table`: its header, its
HXL hashtag row if it has one, and an iterator of (row number, cells). Cell values
are parsed by `cell_text`, `cell_date` and `cell_integer`, which accept what the
field really sends and refuse what is ambiguous. Every message names the file by the
name its user gave it, never by a temporary file's name.
"""

import csv
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from musow.intake.columns import HXL_TAG
from musow.intake.encodings import detect_encoding
from musow.intake.jsonstream import KoboJson, read_kobo_json
from musow.intake.tables import (
    COMMAND_LIMITS,
    MAX_CELL,
    MAX_HEADER,
    Limits,
    Overlong,
    ReadError,
    Table,
    Workbook,
    excerpt,
    header_too_long,
    too_many_columns,
    too_many_rows,
)

__all__ = [
    "COMMAND_LIMITS",
    "MAX_CELL",
    "CellError",
    "KoboJson",
    "Limits",
    "Overlong",
    "ReadError",
    "Table",
    "Workbook",
    "cell_date",
    "cell_integer",
    "cell_text",
    "excerpt",
    "neutralise",
    "open_workbook",
    "read_kobo_json",
    "sniff",
]

EXCEL_EPOCH = date(1899, 12, 30)
_CHUNK = 1 << 20


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, name: str | None = None) -> str:
    """ "xlsx", "csv", "json", or raise ReadError saying what the file is not.

    `name` is the file's name as its user knows it (an upload is stored under another)."""
    name = name or path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise ReadError(
            _("Cannot read the file %(file)s: %(error)s.") % {"file": name, "error": exc.strerror}
        ) from exc
    if size == 0 or not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ReadError(_("The file %(file)s is empty.") % {"file": name})
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        if _is_encrypted(path):
            raise ReadError(
                _(
                    "The workbook %(file)s is protected by a password: remove the password "
                    "in Excel (File › Info › Protect Workbook), save, and import again."
                )
                % {"file": name}
            )
        raise ReadError(
            _(
                "%(file)s is an old Excel 97–2003 workbook (.xls): save it as .xlsx "
                "or as CSV and import again."
            )
            % {"file": name}
        )
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    if b"\x00" in head or _binary(head):
        raise ReadError(
            _(
                "%(file)s is not a spreadsheet: import a CSV file, an Excel workbook (.xlsx) "
                "or a KoboToolbox JSON export."
            )
            % {"file": name}
        )
    return "csv"


def _binary(head: bytes) -> bool:
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return control > max(8, len(head) // 100)


def _is_encrypted(path: Path) -> bool:
    marker = "EncryptedPackage".encode("utf-16-le")
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            if marker in chunk:
                return True
    return False


def open_workbook(path: Path, name: str | None = None, limits: Limits = COMMAND_LIMITS) -> Workbook:
    """Open a CSV or XLSX file; its tables are read lazily, row by row, within `limits`.

    A JSON file gives an empty workbook of format "json": read it with `read_kobo_json`."""
    name = name or path.name
    kind = sniff(path, name)
    if kind == "xlsx":
        return _xlsx(path, name, limits)
    if kind == "csv":
        return _csv(path, name, limits)
    return Workbook(name=name, format="json")


# -- CSV: rows ------------------------------------------------------------------------


def _count_lines(path: Path) -> int:
    lines = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n")
    return lines


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts.values())
    if best == 0:
        return ","
    # On a tie, the comma (the CSV standard) wins.
    return next(d for d in (",", ";", "\t") if counts[d] == best)


def _bounded_lines(fh: IO[str], name: str, limits: Limits) -> Iterator[str]:
    """The file's lines, each of at most `limits.line` characters; a longer one (26
    million columns on one line) is refused before it is split into cells."""
    number = 0
    while line := fh.readline(limits.line + 1):
        number += 1
        if len(line) > limits.line:
            raise ReadError(
                _(
                    "%(file)s, row %(row)s: the row is longer than %(max)s characters. Check "
                    "the separator, or split the file."
                )
                % {"file": name, "row": number, "max": _number(limits.line)}
            )
        yield line


def _csv(path: Path, name: str, limits: Limits) -> Workbook:
    encoding = detect_encoding(path, name)
    fh: IO[str] = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by Workbook
    book = Workbook(name=name, format="csv", _closers=[fh.close])
    first = ""
    try:
        for line in _bounded_lines(fh, name, limits):
            if line.strip().strip(",;\t"):
                first = line
                break
    except ReadError:
        book.close()
        raise
    fh.seek(0)
    reader = csv.reader(_bounded_lines(fh, name, limits), delimiter=_delimiter(first))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number = reader.line_num
                raise ReadError(
                    _("Row %(row)s cannot be read as CSV: %(error)s.")
                    % {"row": number, "error": _csv_error(exc)}
                ) from exc
            number = reader.line_num
            if number > limits.rows:
                raise too_many_rows(name, name, limits)
            if len(cells) > limits.columns:
                while cells and not cells[-1].strip():
                    cells.pop()
                if len(cells) > limits.columns:
                    raise too_many_columns(name, name, number, limits)
            yield number, [c.lstrip("\ufeff") if i == 0 else c for i, c in enumerate(cells)]

    try:
        book.tables.append(_table(name, name, rows(), total=_count_lines(path)))
    except ReadError:
        book.close()
        raise
    return book


def _csv_error(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return _("a cell is longer than %(max)s characters") % {"max": csv.field_size_limit()}
    return excerpt(text)


def _number(value: int) -> str:
    from musow.lib.i18n import number

    return number(value)


# -- XLSX -----------------------------------------------------------------------------


def _xlsx(path: Path, name: str, limits: Limits) -> Workbook:
    from musow.intake import xlsx

    archive = xlsx.Archive(path, name, limits)
    result = Workbook(name=name, format="xlsx", _closers=[archive.close])
    try:
        part = xlsx.workbook_part(archive)
        sheets, date1904 = xlsx.sheets_of(archive, part)
        dates = xlsx.date_styles(archive, part)
        strings = xlsx.shared_strings(archive, part)
        for title, sheet_part in sheets:
            reader = xlsx.SheetReader(archive, title, sheet_part, strings, dates, date1904)
            table = _table(name, title, reader.rows(), total=None)
            declared = reader.declared_rows
            table.total = declared if declared is not None and declared <= limits.rows else None
            result.tables.append(table)
    except ReadError:
        result.close()
        raise
    return result


# -- header ---------------------------------------------------------------------------


def _is_tag_row(cells: list[Any]) -> bool:
    texts = [str(c).strip() for c in cells if c not in (None, "")]
    return bool(texts) and all(HXL_TAG.match(t) for t in texts)


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(
    file: str, sheet: str, rows: Iterator[tuple[int, list[Any]]], total: int | None
) -> Table:
    """Header = first non-blank row; an HXL hashtag row under it (or alone) is recognised.

    A header cell is a label: one longer than `MAX_HEADER` characters is refused."""
    header: list[str] = []
    tags: list[str] = []
    header_row = 0
    pending: tuple[int, list[Any]] | None = None
    for number, cells in rows:
        if _blank(cells):
            continue
        if not header and not tags:
            header_row = number
            _check_header(file, sheet, number, cells)
            if _is_tag_row(cells):
                tags = [_header_text(c) for c in cells]
                header = list(tags)
                break
            header = [_header_text(c) for c in cells]
            continue
        if _is_tag_row(cells):
            _check_header(file, sheet, number, cells)
            tags = [_header_text(c) for c in cells]
        else:
            pending = (number, cells)
        break

    def body() -> Iterator[tuple[int, list[Any]]]:
        if pending is not None:
            yield pending
        for number, cells in rows:
            if not _blank(cells):
                yield number, cells

    while header and header[-1] == "" and (len(tags) < len(header) or tags[-1] == ""):
        header.pop()
    return Table(
        sheet=sheet,
        header=header,
        tags=tags[: len(header)] if tags else [],
        rows=body(),
        total=total,
        header_row=header_row,
    )


def _check_header(file: str, sheet: str, number: int, cells: list[Any]) -> None:
    for cell in cells:
        if isinstance(cell, Overlong):
            raise header_too_long(file, sheet, number, _number(cell.length))
        if isinstance(cell, str) and len(cell) > MAX_HEADER:
            raise header_too_long(file, sheet, number, _number(len(cell)))


def _header_text(value: Any) -> str:
    return "" if value is None else str(value).strip().lstrip("\ufeff")


# -- cells ----------------------------------------------------------------------------


FORMULA_START = ("=", "+", "-", "@")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe.

    `cell_text` removes that apostrophe again, so an export imports back to the same text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class CellError(ValueError):
    """A cell value that cannot be used; the message is for the user (translated)."""


def _refuse_overlong(value: Any) -> None:
    if isinstance(value, Overlong):
        raise CellError(
            _("The cell holds %(length)s characters; at most %(max)s are accepted.")
            % {"length": _number(value.length), "max": _number(MAX_CELL)}
        )


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    _refuse_overlong(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if len(text) > MAX_CELL:
        raise CellError(
            _("The cell holds %(length)s characters; at most %(max)s are accepted.")
            % {"length": _number(len(text)), "max": _number(MAX_CELL)}
        )
    if "\x00" in text:
        raise CellError(_("The text contains a NUL character, which cannot be stored."))
    if text.startswith("'") and text[1:2] in FORMULA_START and len(text) > 1:
        text = text[1:]
    return text.strip()


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+)?$")
_SERIAL = re.compile(r"^\d{1,7}(?:\.0+)?$")


def cell_date(value: Any) -> date | None:
    """2014-11-25, 25/11/2014 (day first, as in French), or an Excel serial (41968)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    _refuse_overlong(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a date.") % {"value": value})
    if isinstance(value, int | float):
        return _serial(value)
    text = str(value).strip()
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if _SERIAL.match(text):
            return _serial(float(text))
    except ValueError:
        pass
    raise CellError(
        _("“%(value)s” is not a date: write 2014-11-25 or 25/11/2014.") % {"value": text[:40]}
    )


def _serial(number: float) -> date:
    # 1 is 1900-01-01; 2 958 465 is 9999-12-31. Fractions are a time of day.
    if number != number or not 1 <= number <= 2_958_465:
        raise CellError(_("%(value)s is not a date.") % {"value": number})
    return EXCEL_EPOCH + timedelta(days=int(number))


_SPACES = re.compile(r"[ \u00a0\u202f]")
_INTEGER = re.compile(r"[+-]?\d{1,15}(\.0+)?")
_GROUPED = re.compile(r"^-?\d{1,3}([ \u00a0\u202f]\d{3})+$")


def cell_integer(value: Any) -> int | None:
    """12, "12", "12.0", "1 200" (spaces as thousands separators); never 12.5 or "1,200"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    _refuse_overlong(value)
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    text = str(value).strip()
    if _GROUPED.match(text):
        text = _SPACES.sub("", text)
    if _INTEGER.fullmatch(text):
        return int(float(text)) if "." in text else int(text)
    raise CellError(_("“%(value)s” is not a whole number.") % {"value": text[:40]})
