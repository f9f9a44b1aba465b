"""Reading a KoboToolbox JSON export as a stream of submissions, within `Limits`.

`json.load` builds the whole file in memory before anyone can look at it: a 30 MB
file of empty objects is 15 million dictionaries (1.5 GB). This reader uses ijson,
an event parser (its C backend, yajl, reads 64 KB at a time): one submission is built
at a time, and the reader counts as it goes — submissions (`Limits.rows`), nesting
depth, keys of an object (`Limits.columns`) and values of the whole file — and stops
at the first limit passed. A text longer than `MAX_CELL` becomes an `Overlong`
(refused on its row, never echoed). The parser holds a whole text before handing it
over, so the file is watched as it is read: more than `MAX_TOKEN` bytes without a
quotation mark (a text of megabytes) is refused before the parser holds it.

ijson was chosen over the alternatives because it is the maintained streaming parser
for Python with a C backend (fast enough for a million submissions), reads both a
top-level list and the list inside an API page, and is a small wheel with no
dependencies; `json.JSONDecoder.raw_decode` cannot stream nested values, and the pure
Python streaming parsers are ten times slower.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from musow.intake.tables import (
    EXCERPT,
    MAX_CELL,
    MAX_HEADER,
    Limits,
    Overlong,
    ReadError,
    excerpt,
    too_many_columns,
    too_many_rows,
)

_BUFFER = 64 * 1024
# Bytes of one text, at most: MAX_CELL characters each written as a six-byte \u escape
# (backslash, u, four hex digits) are 196 602.
MAX_TOKEN = 1024 * 1024


class _TooLongText(Exception):
    pass


class _Watched:
    """The file as the parser reads it, watched for a text longer than MAX_TOKEN bytes
    (the distance between two quotation marks that are not escaped)."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.since_quote = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # the parser asks whether the file gives bytes or text
            return b""
        data = self.fh.read(size if 0 < size <= _BUFFER else _BUFFER)
        first = _quote(data, forward=True)
        if first < 0:
            self.since_quote += len(data)
        else:
            if self.since_quote + first > MAX_TOKEN:
                raise _TooLongText
            self.since_quote = len(data) - _quote(data, forward=False) - 1
        if self.since_quote > MAX_TOKEN:
            raise _TooLongText
        return data


def _quote(data: bytes, *, forward: bool) -> int:
    """The index of the first (or last) quotation mark not escaped by a backslash, -1."""
    index = data.find(b'"') if forward else data.rfind(b'"')
    while index >= 0:
        before = index - 1
        while before >= 0 and data[before] == 0x5C:  # a backslash
            before -= 1
        if (index - 1 - before) % 2 == 0:
            return index
        index = data.find(b'"', index + 1) if forward else data.rfind(b'"', 0, index)
    return -1


_PAGE_KEYS = ("count", "next", "previous")


class KoboJson:
    """The submissions of a KoboToolbox JSON export: a list of submissions, or one page
    of the API (`{"count": 120, "next": "https://…?start=30", "previous": null,
    "results": [...]}`).

    Iterating yields the submissions (dicts) one at a time; it may be done again (the
    file is read again). `count`, `next` and `previous` are the page's (None for a
    plain list): known at once when the page writes them before its results, as
    KoboToolbox does, and in any case once the submissions have been read.
    """

    def __init__(self, path: Path, name: str, limits: Limits) -> None:
        self.path = path
        self.name = name
        self.limits = limits
        self.count: int | None = None
        self.next: str | None = None
        self.previous: str | None = None
        self.is_page = False
        self._values = 0
        self._number = 0
        for _submission in self._read(header_only=True):
            break

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._read(header_only=False)

    # -- reading ----------------------------------------------------------------------

    def _read(self, *, header_only: bool) -> Iterator[dict[str, Any]]:
        import ijson

        self._values = 0
        try:
            with open(self.path, "rb") as fh:
                if fh.read(3) != b"\xef\xbb\xbf":
                    fh.seek(0)
                watched = _Watched(fh)
                events = iter(ijson.basic_parse(watched, buf_size=_BUFFER, use_float=True))
                yield from self._top(events, header_only)
        except _TooLongText as exc:
            raise ReadError(
                _(
                    "%(file)s, submission %(row)s: a text is longer than %(max)s characters; "
                    "a cell holds at most %(max)s."
                )
                % {"file": self.name, "row": max(self._number, 1), "max": _count(MAX_CELL)}
            ) from exc
        except ijson.JSONError as exc:
            raise self._invalid(exc) from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise self._invalid(exc) from exc
        except OSError as exc:
            raise ReadError(
                _("Cannot read the file %(file)s: %(error)s.")
                % {"file": self.name, "error": exc.strerror}
            ) from exc

    def _invalid(self, exc: Exception) -> ReadError:
        return ReadError(
            _("%(file)s is not valid JSON: %(error)s.")
            % {"file": self.name, "error": excerpt(exc, 200)}
        )

    def _not_submissions(self) -> ReadError:
        return ReadError(
            _("The JSON file must hold a list of submissions (as KoboToolbox exports it).")
        )

    def _top(self, events: Iterator[tuple[str, Any]], header_only: bool) -> Iterator[Any]:
        event, _value = next(events, ("", None))
        if event == "start_array":
            if not header_only:
                yield from self._submissions(events)
            return
        if event != "start_map":
            raise self._not_submissions()
        self.is_page = True
        results = False
        for event, value in events:
            if event == "end_map":
                break
            key = value  # map_key
            event, value = next(events)
            if key == "results" and event == "start_array":
                results = True
                if header_only:
                    return
                yield from self._submissions(events)
            elif key in _PAGE_KEYS and event in ("number", "string", "null"):
                self._page_value(key, value)
            else:
                self._build(event, value, events, 2)
        if not results:
            raise self._not_submissions()

    def _page_value(self, key: str, value: Any) -> None:
        if key == "count":
            self.count = int(value) if isinstance(value, int | float) else None
        elif key == "next":
            self.next = excerpt(value, 2000) if isinstance(value, str) else None
        else:
            self.previous = excerpt(value, 2000) if isinstance(value, str) else None

    def _submissions(self, events: Iterator[tuple[str, Any]]) -> Iterator[dict[str, Any]]:
        number = 0
        for event, value in events:
            if event == "end_array":
                return
            number += 1
            self._number = number
            if number > self.limits.rows:
                raise too_many_rows(self.name, self.name, self.limits)
            submission = self._build(event, value, events, 2)
            if not isinstance(submission, dict):
                raise self._not_submissions()
            yield submission

    def _build(self, event: str, value: Any, events: Iterator[tuple[str, Any]], depth: int) -> Any:
        """One JSON value from its first event, within the limits."""
        self._values += 1
        if self._values > self.limits.json_values:
            raise ReadError(
                _("%(file)s holds more than %(max)s values: split the export.")
                % {"file": self.name, "max": _count(self.limits.json_values)}
            )
        if event == "string":
            if len(value) > MAX_CELL:
                return Overlong(len(value), value[:EXCERPT])
            return value
        if event not in ("start_map", "start_array"):
            return value  # number, boolean, null
        if depth > self.limits.json_depth:
            raise ReadError(
                _("%(file)s nests values more than %(max)s levels deep: it is not an export.")
                % {"file": self.name, "max": self.limits.json_depth}
            )
        if event == "start_array":
            items: list[Any] = []
            for event, value in events:
                if event == "end_array":
                    return items
                items.append(self._build(event, value, events, depth + 1))
            return items
        obj: dict[str, Any] = {}
        for event, value in events:
            if event == "end_map":
                return obj
            if len(value) > MAX_HEADER:
                raise ReadError(
                    _("%(file)s: a field name holds %(length)s characters (at most %(max)s).")
                    % {"file": self.name, "length": _count(len(value)), "max": MAX_HEADER}
                )
            if len(obj) >= self.limits.columns:
                raise too_many_columns(self.name, self.name, self._number, self.limits)
            event2, value2 = next(events)
            obj[value] = self._build(event2, value2, events, depth + 1)
        return obj


def _count(value: int) -> str:
    from musow.lib.i18n import number

    return number(value)


def read_kobo_json(path: Path, name: str, limits: Limits) -> KoboJson:
    """The submissions of a Kobo JSON export, read as a stream (see `KoboJson`)."""
    return KoboJson(path, name, limits)
