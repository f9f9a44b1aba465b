"""Reading spreadsheets row by row: CSV (any usual encoding and separator) and XLSX.

Nothing here holds a whole file in memory: CSV is decoded as a stream, XLSX is
read with openpyxl's read-only mode. Each sheet becomes a `Table`: its header,
its HXL hashtag row if it has one, and an iterator of (row number, cells).
Cell values are parsed by `cell_text`, `cell_date` and `cell_integer`, which
accept what the field really sends and refuse what is ambiguous.
"""

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from musow.intake.columns import HXL_TAG

# Excel's own limit on the length of a cell; longer cells are refused, not cut.
MAX_CELL = 32_767
EXCEL_EPOCH = date(1899, 12, 30)
_CHUNK = 1 << 20


class ReadError(Exception):
    """The file cannot be read as a table; the message is for the user (translated)."""


@dataclass
class Table:
    sheet: str
    header: list[str]
    tags: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    total: int | None = None  # number of rows, when known cheaply (for the progress bar)
    header_row: int = 1


@dataclass
class Workbook:
    """The tables of one file, and what to close when done."""

    name: str
    format: str  # "csv" | "xlsx" | "json"
    tables: list[Table] = field(default_factory=list)
    _closers: list[Any] = field(default_factory=list)
    # What the file lacks, said to the user (a KoboToolbox CSV without its attendance
    # lists, one page of an API export…); filled as the tables are read.
    warnings: list[str] = field(default_factory=list)

    def close(self) -> None:
        for closer in self._closers:
            try:
                closer()
            except Exception:  # noqa: S110 - closing a damaged workbook may fail; nothing to do
                pass


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path) -> str:
    """ "xlsx", "csv", "json", or raise ReadError saying what the file is not."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise ReadError(
            _("Cannot read the file %(file)s: %(error)s.")
            % {"file": path.name, "error": exc.strerror}
        ) from exc
    if size == 0 or not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ReadError(_("The file %(file)s is empty.") % {"file": path.name})
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        if _is_encrypted(path):
            raise ReadError(
                _(
                    "The workbook %(file)s is protected by a password: remove the password "
                    "in Excel (File › Info › Protect Workbook), save, and import again."
                )
                % {"file": path.name}
            )
        raise ReadError(
            _(
                "%(file)s is an old Excel 97–2003 workbook (.xls): save it as .xlsx "
                "or as CSV and import again."
            )
            % {"file": path.name}
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
            % {"file": path.name}
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


def open_workbook(path: Path, name: str | None = None) -> Workbook:
    """Open a CSV or XLSX file; its tables are read lazily, row by row."""
    name = name or path.name
    kind = sniff(path)
    if kind == "xlsx":
        return _xlsx(path, name)
    if kind == "csv":
        return _csv(path, name)
    return Workbook(name=name, format="json")


# -- CSV ------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-16 (by BOM), UTF-8 with or without BOM, else Windows-1252 (or Latin-1)."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return "utf-16"
        fh.seek(0)
        decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"


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


def _csv(path: Path, name: str) -> Workbook:
    encoding = detect_encoding(path)
    fh: IO[str] = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by Workbook
    book = Workbook(name=name, format="csv", _closers=[fh.close])
    first = ""
    for line in fh:
        if line.strip().strip(",;\t"):
            first = line
            break
        if len(line) > MAX_CELL * 4:
            break
    fh.seek(0)
    reader = csv.reader(fh, delimiter=_delimiter(first[: MAX_CELL * 4]))

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
            yield number, [c.lstrip("\ufeff") if i == 0 else c for i, c in enumerate(cells)]

    book.tables.append(_table(name, rows(), total=_count_lines(path)))
    return book


def _csv_error(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return _("a cell is longer than %(max)s characters") % {"max": csv.field_size_limit()}
    return text


# -- XLSX -----------------------------------------------------------------------------


def _xlsx(path: Path, name: str) -> Workbook:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise ReadError(
                _("%(file)s is a ZIP archive but not an Excel workbook (.xlsx).") % {"file": name}
            )
        book = load_workbook(path, read_only=True, data_only=True)
    except ReadError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged file
        raise ReadError(
            _("The file %(file)s is not a readable Excel workbook (.xlsx).") % {"file": name}
        ) from exc
    result = Workbook(name=name, format="xlsx", _closers=[book.close])
    for sheet in book.worksheets:
        total = sheet.max_row if isinstance(sheet.max_row, int) else None

        def rows(sheet: Any = sheet) -> Iterator[tuple[int, list[Any]]]:
            try:
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    yield number, list(values)
            except Exception as exc:  # a damaged sheet part
                raise ReadError(
                    _("The sheet “%(sheet)s” cannot be read: %(error)s.")
                    % {"sheet": sheet.title, "error": type(exc).__name__}
                ) from exc

        try:
            result.tables.append(_table(sheet.title, rows(), total=total))
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


def _table(sheet: str, rows: Iterator[tuple[int, list[Any]]], total: int | None) -> Table:
    """Header = first non-blank row; an HXL hashtag row under it (or alone) is recognised."""
    header: list[str] = []
    tags: list[str] = []
    header_row = 0
    pending: tuple[int, list[Any]] | None = None
    for number, cells in rows:
        if _blank(cells):
            continue
        if not header and not tags:
            header_row = number
            if _is_tag_row(cells):
                tags = [_header_text(c) for c in cells]
                header = list(tags)
                break
            header = [_header_text(c) for c in cells]
            continue
        if _is_tag_row(cells):
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


def cell_text(value: Any) -> str:
    if value is None:
        return ""
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
            % {"length": len(text), "max": MAX_CELL}
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


def json_rows(data: Any) -> list[dict[str, Any]]:
    """The submissions of a KoboToolbox JSON export (a list, or an API page with results)."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ReadError(
            _("The JSON file must hold a list of submissions (as KoboToolbox exports it).")
        )
    return data


def read_json(path: Path) -> Any:
    import json

    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ReadError(
            _("%(file)s is not valid JSON: %(error)s.") % {"file": path.name, "error": exc}
        ) from exc
