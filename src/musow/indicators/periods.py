"""Reporting periods: a year, a quarter, a month or a date range, as the unit writes them.

    2014            the year
    2014-Q4         a quarter
    2014-11         a month
    2014-01-01..2014-06-30   a date range (both ends included)

An activity belongs to the period that contains its start date, so a multi-day
activity is counted once.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from musow.lib.i18n import current_lang


class PeriodError(ValueError):
    pass


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/)\s*(\d{4}-\d{2}-\d{2})$")

MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    code: str

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year:04d}")

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = (text or "").strip()
        try:
            if m := _YEAR.match(text):
                return cls.year(int(m[1]))
            if m := _QUARTER.match(text):
                year, q = int(m[1]), int(m[2])
                last = 3 * q
                return cls(
                    date(year, last - 2, 1),
                    date(year, last, calendar.monthrange(year, last)[1]),
                    f"{year:04d}-Q{q}",
                )
            if m := _MONTH.match(text):
                year, month = int(m[1]), int(m[2])
                end = date(year, month, calendar.monthrange(year, month)[1])
                return cls(date(year, month, 1), end, f"{year:04d}-{month:02d}")
            if m := _RANGE.match(text):
                start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
                if end < start:
                    raise PeriodError(
                        _("The period “%(period)s” ends before it starts.") % {"period": text}
                    )
                return cls(start, end, f"{start.isoformat()}..{end.isoformat()}")
        except ValueError as exc:
            if isinstance(exc, PeriodError):
                raise
        raise PeriodError(
            _(
                "Unknown period “%(period)s”. Write a year (2014), a quarter (2014-Q4), "
                "a month (2014-11) or a date range (2014-01-01..2014-06-30)."
            )
            % {"period": text}
        )

    def __str__(self) -> str:
        return self.label()

    def label(self, lang: str | None = None) -> str:
        lang = lang or current_lang()
        if _YEAR.match(self.code):
            return self.code
        if m := _QUARTER.match(self.code):
            return f"T{m[2]} {m[1]}" if lang == "fr" else f"Q{m[2]} {m[1]}"
        if m := _MONTH.match(self.code):
            month = int(m[2])
            name = MONTHS_FR[month - 1] if lang == "fr" else calendar.month_name[month]
            return f"{name} {m[1]}"
        if lang == "fr":
            return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"

    def previous(self) -> "Period":
        """The period of the same length just before this one (for changes since)."""
        if _YEAR.match(self.code):
            return Period.year(self.start.year - 1)
        if m := _QUARTER.match(self.code):
            year, q = int(m[1]), int(m[2]) - 1
            return Period.parse(f"{year - 1}-Q4" if q == 0 else f"{year}-Q{q}")
        if _MONTH.match(self.code):
            year, month = self.start.year, self.start.month - 1
            return Period.parse(f"{year - 1}-12" if month == 0 else f"{year}-{month:02d}")
        length = self.end - self.start
        end = date.fromordinal(self.start.toordinal() - 1)
        start = date.fromordinal(end.toordinal() - length.days)
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
