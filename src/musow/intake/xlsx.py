"""Reading an XLSX workbook as a stream of rows, within `Limits`.

openpyxl's read-only mode is not bounded: it loads the whole shared string table
(3 million strings: 800 MB), builds each cell's whole text before anyone can look at
its length (a 400 MB cell: 4 GB), and trusts the dimensions a sheet declares (it
pads every row to the declared width and yields every declared row, present or
not). This reader parses the workbook's XML parts itself with expat, 64 KB at a
time, and counts what it reads:

- the sizes the archive declares are checked before reading, and the bytes really
  unzipped are counted while reading (the same budget for every part);
- a cell's text is kept up to `MAX_CELL` characters; past that only its length is
  counted and the cell becomes an `Overlong` (refused on its row, never echoed);
- rows are counted as they are read, empty ones included, and a row may hold
  `Limits.columns` cells at most; rows absent from the file are not invented;
- the shared strings are counted; a DTD (entity expansion) is refused.

Cell values are what openpyxl gives: str, int, float, bool, datetime (a number with
a date format), None.
"""

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from musow.intake.tables import (
    EXCERPT,
    MAX_CELL,
    Limits,
    Overlong,
    ReadError,
    excerpt,
    too_many_columns,
    too_many_rows,
)

_CHUNK = 64 * 1024
_MAX_CELLS_IN_ROW = 16_384  # Excel's last column, XFD: empty styled cells included
_MAX_SHEETS = 1_000
_MAX_SHEET_NAME = 100  # Excel: 31
_OFFICE_DOCUMENT = "/officeDocument"
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d*)$")

Handler = tuple[Callable[[str, dict[str, str]], None], Callable[[str], None], Callable[[str], None]]


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _refuse_dtd(*_args: Any) -> None:
    raise ReadError("DTD")


class Archive:
    """The XLSX zip: its parts, read as streams against one budget of unzipped bytes."""

    def __init__(self, path: Path, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.unzipped = 0
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise self.damaged() from exc
        self.parts = {info.filename: info for info in infos}
        declared = sum(info.file_size for info in infos)
        if declared > limits.unzipped:
            self.zip.close()
            raise ReadError(
                _(
                    "%(file)s would unzip to %(size)s MB, more than the %(max)s MB a workbook "
                    "may hold here. Split the file, or ask the unit admin to import it with "
                    "“musow import”."
                )
                % {
                    "file": name,
                    "size": _mb(declared),
                    "max": _mb(limits.unzipped),
                }
            )

    def damaged(self) -> ReadError:
        return ReadError(
            _("The file %(file)s is not a readable Excel workbook (.xlsx).") % {"file": self.name}
        )

    def close(self) -> None:
        self.zip.close()

    def has(self, part: str) -> bool:
        return part in self.parts

    def parse(self, part: str, handler: Handler) -> Iterator[None]:
        """Parse a part chunk by chunk, yielding after each chunk (so the caller can hand
        out what the handlers collected)."""
        start, end, data = handler
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
        parser.EndElementHandler = lambda name: end(_local(name))
        parser.CharacterDataHandler = data
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        try:
            with self.zip.open(self.parts[part]) as stream:
                while chunk := stream.read(_CHUNK):
                    self.unzipped += len(chunk)
                    if self.unzipped > self.limits.unzipped:
                        raise ReadError(
                            _(
                                "%(file)s unzips to more than the %(max)s MB a workbook may "
                                "hold here."
                            )
                            % {"file": self.name, "max": _mb(self.limits.unzipped)}
                        )
                    parser.Parse(chunk, False)
                    yield
                parser.Parse(b"", True)
                yield
        except ReadError as exc:
            if str(exc) == "DTD":
                raise self.damaged() from exc
            raise
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise self.damaged() from exc

    def parse_all(self, part: str, handler: Handler) -> None:
        for _step in self.parse(part, handler):
            pass

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, target part) of a part's relationships."""
        folder, file = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", file + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if not self.has(rels):
            return found

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "Relationship" and len(found) < 10 * _MAX_SHEETS:
                target = attrs.get("Target", "")
                if target.startswith("/"):
                    target = target.lstrip("/")
                else:
                    target = posixpath.normpath(posixpath.join(folder, target))
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), target)

        self.parse_all(rels, (start, _ignore, _ignore))
        return found


def _ignore(*_args: Any) -> None:
    pass


def _mb(size: int) -> str:
    from musow.lib.i18n import number

    return number(max(1, round(size / 1024**2)))


class Text:
    """Character data of one cell or string, kept up to a limit, counted beyond."""

    __slots__ = ("pieces", "length", "limit", "on", "cut")

    def __init__(self, limit: int = MAX_CELL) -> None:
        self.limit = limit
        self.reset()

    def reset(self) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self.on = False
        self.cut = False

    def add(self, data: str) -> None:
        if not self.on:
            return
        self.length += len(data)
        if self.length <= self.limit:
            self.pieces.append(data)
        elif not self.cut:
            # Past the limit only the beginning is kept, for the message.
            self.pieces = [("".join(self.pieces) + data[:EXCERPT])[:EXCERPT]]
            self.cut = True

    def value(self) -> "str | Overlong":
        text = "".join(self.pieces)
        if self.cut:
            return Overlong(self.length, text)
        return text


# -- the workbook's own parts ---------------------------------------------------------


def workbook_part(archive: Archive) -> str:
    for kind, target in archive.relationships("").values():
        if kind.endswith(_OFFICE_DOCUMENT) and archive.has(target):
            return target
    if archive.has("xl/workbook.xml"):
        return "xl/workbook.xml"
    raise ReadError(
        _("%(file)s is a ZIP archive but not an Excel workbook (.xlsx).") % {"file": archive.name}
    )


def sheets_of(archive: Archive, part: str) -> tuple[list[tuple[str, str]], bool]:
    """[(sheet name, sheet part)] in the workbook's order, and whether dates count from 1904."""
    listed: list[tuple[str, str]] = []
    date1904 = [False]

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "workbookPr":
            date1904[0] = attrs.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            if len(listed) >= _MAX_SHEETS:
                raise archive.damaged()
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            listed.append((attrs.get("name", "")[:_MAX_SHEET_NAME], rid))

    archive.parse_all(part, (start, _ignore, _ignore))
    rels = archive.relationships(part)
    sheets = []
    for title, rid in listed:
        kind, target = rels.get(rid, ("", ""))
        if kind.endswith("/worksheet") and archive.has(target):
            sheets.append((title, target))
    return sheets, date1904[0]


def date_styles(archive: Archive, part: str) -> set[int]:
    """The indexes of the cell styles whose number format is a date or a time."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    styles = [
        target
        for kind, target in archive.relationships(part).values()
        if kind.endswith("/styles") and archive.has(target)
    ]
    if not styles:
        return set()
    formats: dict[int, str] = dict(BUILTIN_FORMATS)
    xfs: list[int] = []
    depth = {"cellXfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "numFmt":
            try:
                formats[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")[:200]
            except ValueError:
                pass
        elif name == "cellXfs":
            depth["cellXfs"] = True
        elif name == "xf" and depth["cellXfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(name: str) -> None:
        if name == "cellXfs":
            depth["cellXfs"] = False

    archive.parse_all(styles[0], (start, end, _ignore))
    return {index for index, fmt in enumerate(xfs) if is_date_format(formats.get(fmt))}


def shared_strings(archive: Archive, part: str) -> list["str | Overlong"]:
    found = [
        target
        for kind, target in archive.relationships(part).values()
        if kind.endswith("/sharedStrings") and archive.has(target)
    ]
    strings: list[str | Overlong] = []
    if not found:
        return strings
    text = Text()
    state = {"rph": False}
    limit = archive.limits.shared_strings

    def start(name: str, _attrs: dict[str, str]) -> None:
        if name == "si":
            text.reset()
        elif name == "t" and not state["rph"]:
            text.on = True
        elif name == "rPh":
            state["rph"] = True

    def end(name: str) -> None:
        if name == "t":
            text.on = False
        elif name == "rPh":
            state["rph"] = False
        elif name == "si":
            if len(strings) >= limit:
                raise ReadError(
                    _(
                        "%(file)s holds more than %(max)s different texts. Split the file, or "
                        "ask the unit admin to import it with “musow import”."
                    )
                    % {"file": archive.name, "max": _count(limit)}
                )
            value = text.value()
            strings.append(value.replace("x005F_", "") if isinstance(value, str) else value)

    archive.parse_all(found[0], (start, end, text.add))
    return strings


def _count(value: int) -> str:
    from musow.lib.i18n import number

    return number(value)


# -- a sheet --------------------------------------------------------------------------


def _column(ref: str | None) -> int | None:
    """1-based column of a cell reference ("AB12" → 28), None if there is none."""
    if not ref:
        return None
    m = _CELL_REF.match(ref)
    if not m:
        return None
    column = 0
    for letter in m[1].upper():
        column = column * 26 + ord(letter) - 64
    return column


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class SheetReader:
    """One worksheet part, parsed as a stream: `rows()` yields (row number, cells) for
    the rows that hold at least one value."""

    def __init__(
        self,
        archive: Archive,
        title: str,
        part: str,
        strings: list["str | Overlong"],
        dates: set[int],
        date1904: bool,
    ) -> None:
        self.archive = archive
        self.title = title
        self.part = part
        self.strings = strings
        self.dates = dates
        self.date1904 = date1904
        self.declared_rows: int | None = None
        self._done: list[tuple[int, list[Any]]] = []
        self._read = 0  # rows read, empty ones included
        self._row = 0
        self._cells: dict[int, Any] = {}
        self._in_row = 0
        self._col = 0
        self._type = "n"
        self._style = 0
        self._inline = False
        self._has_inline = False
        self._rph = False
        self._text = Text()

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        for _step in self.archive.parse(self.part, (self._start, self._end, self._text.add)):
            done, self._done = self._done, []
            yield from done

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "c":
            self._in_row += 1
            if self._in_row > _MAX_CELLS_IN_ROW:
                raise self._too_wide()
            column = _column(attrs.get("r"))
            self._col = column if column is not None else self._col + 1
            self._type = attrs.get("t", "n")
            style = attrs.get("s")
            self._style = int(style) if style and style.isdigit() else 0
            self._text.reset()
            self._inline = False
            self._has_inline = False
        elif name == "v":
            self._text.on = True
        elif name == "row":
            self._read += 1
            if self._read > self.archive.limits.rows:
                raise too_many_rows(self.archive.name, self.title, self.archive.limits)
            number = attrs.get("r", "")
            self._row = int(number) if number.isdigit() else self._row + 1
            self._cells = {}
            self._in_row = 0
            self._col = 0
        elif name == "is":
            self._inline = self._has_inline = True
        elif name == "t" and self._inline and not self._rph:
            self._text.on = True
        elif name == "rPh":
            self._rph = True
        elif name == "dimension":
            m = _CELL_REF.match((attrs.get("ref") or "").rpartition(":")[2])
            if m and m[2]:
                self.declared_rows = int(m[2])

    def _end(self, name: str) -> None:
        if name in ("v", "t"):
            self._text.on = False
        elif name == "c":
            value = self._value()
            if value is not None:
                if self._col > self.archive.limits.columns:
                    raise self._too_wide()
                self._cells[self._col] = value
        elif name == "row":
            if self._cells:
                cells: list[Any] = [None] * max(self._cells)
                for column, value in self._cells.items():
                    cells[column - 1] = value
                self._done.append((self._row, cells))
                self._cells = {}
        elif name == "rPh":
            self._rph = False
        elif name == "is":
            self._inline = False

    def _too_wide(self) -> ReadError:
        return too_many_columns(self.archive.name, self.title, self._row, self.archive.limits)

    def _value(self) -> Any:
        text = self._text.value()
        kind = self._type
        if isinstance(text, Overlong):
            return text
        if kind == "inlineStr":
            return text if self._has_inline else None
        if not text:
            return None
        try:
            if kind == "s":
                return self.strings[int(text)]
            if kind in ("str", "e"):
                return text
            if kind == "b":
                return bool(int(text))
            if kind == "d":
                return datetime.fromisoformat(text.rstrip("Z"))
            number = _number(text)
        except (ValueError, IndexError) as exc:
            raise ReadError(
                _("%(file)s, sheet %(sheet)s, row %(row)s: the cell “%(value)s” is damaged.")
                % {
                    "file": self.archive.name,
                    "sheet": excerpt(self.title),
                    "row": self._row,
                    "value": excerpt(text),
                }
            ) from exc
        if self._style in self.dates:
            from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

            try:
                return from_excel(number, MAC_EPOCH if self.date1904 else WINDOWS_EPOCH)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
