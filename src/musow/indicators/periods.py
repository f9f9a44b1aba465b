"""Reporting periods: a year, a quarter, a month or a date range, as the unit writes them.

    2014            the year
    2014-Q4         a quarter
    2014-11         a month
    2014-01-01..2014-06-30   a date range (both ends included)

An activity belongs to the period that contains its start date, so a multi-day
activity is counted once.

Periods are parsed from the years FIRST_YEAR to LAST_YEAR (1990 to 2100) and nowhere
else: every door that reads a period from a person (the dashboard, the activity list,
reports, the figures command, targets) goes through `Period.parse`, which refuses
what lies outside with a clear message. Why these years: the unit's work and its
baselines are recent (UNSCR 1325 dates from 2000, the public figures pages offer the
same years), a target may look decades ahead, and within them every period, the one
before it (`previous`, for changes since) and a chart of its months stay small and
valid dates. `0001` or `1000-01-01..9999-12-31` are typing slips, not periods.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from musow.lib.i18n import current_lang


class PeriodError(ValueError):
    pass


FIRST_YEAR, LAST_YEAR = 1990, 2100


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
        """A period as a person writes it, within the supported years."""
        text = (text or "").strip()
        period = cls._parse(text)
        if period.start.year < FIRST_YEAR or period.end.year > LAST_YEAR:
            raise PeriodError(
                _(
                    "The period “%(period)s” is outside the years musow covers: from "
                    "%(first)s to %(last)s."
                )
                % {"period": text[:40], "first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return period

    @classmethod
    def _parse(cls, text: str) -> "Period":
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
                        _("The period “%(period)s” ends before it starts.") % {"period": text[:40]}
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
            % {"period": text[:40]}
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
