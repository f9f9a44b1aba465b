"""What every reader returns, and the limits every reader keeps.

A file is a `Workbook` of `Table`s; a table is a header, an optional HXL row and an
iterator of (row number, cells). Readers never trust what a file declares about
itself (its sizes, its dimensions): they count what they read and stop at the
first limit passed, with a message for the user that names the file, the sheet
and the row. A reader's memory is bounded by its `Limits`, not by the file.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

# Excel's own limit on the length of a cell; longer cells are refused, not cut.
MAX_CELL = 32_767
# A column's header is a label, not a text: longer ones are refused.
MAX_HEADER = 1_000
# What any message or page shows of a cell: an excerpt, never the whole cell.
EXCERPT = 80


class ReadError(Exception):
    """The file cannot be read as a table; the message is for the user (translated)."""


def excerpt(value: Any, length: int = EXCERPT) -> str:
    """The beginning of a cell for a message: at most `length` characters, "…" if cut."""
    text = "" if value is None else str(value)
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class Overlong:
    """A cell longer than `MAX_CELL`: what is kept of it is its length and an excerpt.

    Readers put this in place of the text so that a too long cell costs no memory and
    is reported on its row like any other bad cell (`cell_text` refuses it)."""

    length: int
    start: str

    def __str__(self) -> str:
        return excerpt(self.start)


@dataclass(frozen=True)
class Limits:
    """How much of a file a reader reads before it refuses it.

    The defaults are the command line's (`musow import`, run by the unit admin on the
    server): they hold any real export. `Limits.for_web` are the upload page's: a
    request must end well within the server's timeout (gunicorn: 30 s).
    """

    # rows read on one sheet (XLSX rows, CSV lines, JSON submissions), empty ones included
    rows: int = 5_000_000
    # columns of a row (Excel: 16 384; the template has about 40, a Kobo export a few
    # hundred at most)
    columns: int = 1_000
    # bytes of XML an XLSX may unzip to (all the parts read), checked against what the
    # archive declares before reading and counted while reading
    unzipped: int = 4 * 1024**3
    # texts of an XLSX's shared string table (each costs memory until the end)
    shared_strings: int = 5_000_000
    # characters of one CSV line (a row of the template with every cell full is ~1.3 M)
    line: int = 4_000_000
    # nesting of a JSON export (a Kobo submission with repeats in groups: under 10)
    json_depth: int = 32
    # values (strings, numbers, objects, lists) in a JSON export, all submissions together
    json_values: int = 200_000_000

    @classmethod
    def for_web(cls, max_rows: int) -> "Limits":
        """The upload page's limits for files of at most `max_rows` rows of data.

        Empty rows count as read (a sheet of a million formatted but empty rows is
        refused early): twice the data rows are allowed."""
        rows = 2 * max_rows + 100
        return replace(
            cls(),
            rows=rows,
            # 20 000 rows: 200 MB of XML (a full row of the template is under 3 KB)
            unzipped=5_000 * rows,
            shared_strings=10 * rows,
            json_values=100 * rows,
        )


COMMAND_LIMITS = Limits()


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


def too_many_rows(file: str, sheet: str, limits: Limits) -> ReadError:
    return ReadError(
        _(
            "%(file)s, sheet %(sheet)s: more than %(max)s rows, empty rows included. Delete "
            "the empty rows under the data (select them, then Delete rows), or split the file."
        )
        % {"file": file, "sheet": excerpt(sheet), "max": _number(limits.rows)}
    )


def too_many_columns(file: str, sheet: str, row: int, limits: Limits) -> ReadError:
    return ReadError(
        _(
            "%(file)s, sheet %(sheet)s, row %(row)s: more than %(max)s columns. Delete the "
            "columns that hold no data, or check the separator."
        )
        % {"file": file, "sheet": excerpt(sheet), "row": row, "max": _number(limits.columns)}
    )


def header_too_long(file: str, sheet: str, row: int, length: int | str) -> ReadError:
    return ReadError(
        _(
            "%(file)s, sheet %(sheet)s, row %(row)s: a column header holds %(length)s "
            "characters; a header holds at most %(max)s. Is this row really the header?"
        )
        % {
            "file": file,
            "sheet": excerpt(sheet),
            "row": row,
            "length": length,
            "max": _number(MAX_HEADER),
        }
    )


def _number(value: int) -> str:
    from musow.lib.i18n import number

    return number(value)
