"""What a spreadsheet program makes of a code: a date or a number, and back.

French Excel and LibreOffice read `8-mars-2014` as 8 March 2014, `mars-2014` as 1 March
2014, `007` as 7 and `1E5` as 100 000, whatever the column meant. `misread` says whether
a code would be so taken (codes are refused when it does); `spreadsheet_dates` gives the
dates a text may stand for, so that a code that came back as a date (`2014-03-08`,
`08/03/2014`, `03/08/14`) can be matched to the code it was.

A date is a key (year or None, month, day): a spreadsheet completes a code without a
year (`8-mars`) with the current year, so such a code matches that day of any year.
"""

import re
import unicodedata
from datetime import date, datetime

DateKey = tuple[int | None, int, int]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "janvier janv jan january",
        "fevrier fevr fev feb february",
        "mars mar march",
        "avril avr apr april",
        "mai may",
        "juin jun june",
        "juillet juil jul july",
        "aout aou aug august",
        "septembre sept sep september",
        "octobre oct october",
        "novembre nov november",
        "decembre dec december",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_SPLIT = re.compile(r"[-/. ]+")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")
_TIME = re.compile(r"[Tt ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.strip().lower()


def _year(token: str) -> int | None:
    if len(token) == 4:
        return int(token)
    if len(token) == 2:
        value = int(token)
        return 2000 + value if value < 30 else 1900 + value
    return None


def _key(year: int | None, month: int, day: int) -> DateKey | None:
    try:
        date(year or 2000, month, day)  # 2000: a leap year, so 29 February stands
    except ValueError:
        return None
    return (year, month, day)


def spreadsheet_dates(value: object) -> set[DateKey]:
    """The dates a spreadsheet (in French or English) may take `value` for; a date or a
    datetime is itself."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return {(value.year, value.month, value.day)}
    if not isinstance(value, str):
        return set()
    text = _TIME.sub("", _fold(value))
    tokens = [t for t in _SPLIT.split(text) if t]
    if not 2 <= len(tokens) <= 3 or len(text) > 40:
        return set()
    months = [_MONTHS.get(t) for t in tokens]
    if any(m is None and not t.isdigit() for t, m in zip(tokens, months, strict=True)):
        return set()
    found: set[DateKey | None] = set()
    if len(tokens) == 3:
        a, b, c = tokens
        if months[1] and a.isdigit() and c.isdigit():  # 8-mars-2014
            found.add(_key(_year(c), months[1], int(a)))
        elif months[0] and b.isdigit() and c.isdigit():  # mars 8 2014
            found.add(_key(_year(c), months[0], int(b)))
        elif all(t.isdigit() for t in tokens):
            if len(a) == 4:  # 2014-03-08
                found.add(_key(int(a), int(b), int(c)))
            elif len(a) <= 2 and len(b) <= 2 and len(c) in (2, 4):  # 08/03/2014, 03/08/14
                found.add(_key(_year(c), int(b), int(a)))
                found.add(_key(_year(c), int(a), int(b)))
    else:
        a, b = tokens
        if months[1] and a.isdigit() and len(a) <= 2:  # 8-mars
            found.add(_key(None, months[1], int(a)))
        elif months[0] and b.isdigit():
            if len(b) == 4:  # mars-2014
                found.add(_key(int(b), months[0], 1))
            elif len(b) <= 2:  # mars-8
                found.add(_key(None, months[0], int(b)))
        elif a.isdigit() and b.isdigit() and len(a) <= 2 and len(b) <= 2:  # 8-3, 8/3
            found.add(_key(None, int(b), int(a)))
            found.add(_key(None, int(a), int(b)))
        elif a.isdigit() and b.isdigit() and len(b) == 4 and len(a) <= 2:  # 03/2014
            found.add(_key(int(b), int(a), 1))
    return {k for k in found if k is not None}


def same_day(code_dates: set[DateKey], cell_dates: set[DateKey]) -> bool:
    """Whether a code read as `code_dates` may have become a cell read as `cell_dates`."""
    return any(
        m == m2 and d == d2 and (y is None or y2 is None or y == y2)
        for (y, m, d) in code_dates
        for (y2, m2, d2) in cell_dates
    )


def misread(code: str) -> bool:
    """Whether a spreadsheet would take the code for a date or a number."""
    text = code.strip()
    return bool(spreadsheet_dates(text)) or bool(_NUMBER.match(text.replace(" ", "")))
