"""The figures a report is built from: each indicator computed once by the counting engine
(`musow.indicators.engine.compute`, one GROUP BY query each), and its breakdowns summed
from a few wide ones (`WIDE`) instead of one scan of the period per table."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db.models import QuerySet

from musow.activities.models import Activity
from musow.indicators.codes import ACTIVITIES, PARTICIPANTS, WOMEN
from musow.indicators.engine import (
    FILTER_FIELDS,
    EngineError,
    Member,
    Result,
    Row,
    compute,
    provenance,
)
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.reports.types import Number, ReportError, ReportScope, missing_indicator


class Breakdowns:
    """An indicator's result and breakdowns for the report's period and scope, each computed
    once."""

    def __init__(self, period: Period, scope: ReportScope, lang: str) -> None:
        self.period = period
        self.rscope = scope
        self.scope = scope.scope
        self.lang = lang
        self.indicators = {
            i.code: i
            for i in Indicator.objects.select_related(
                "numerator", "denominator", "objective"
            ).prefetch_related(*FILTER_FIELDS)
        }
        self._wide: dict[tuple[str, tuple[str, ...]], _Wide] = {}
        self._results: dict[tuple[str, tuple[str, ...], str], Result] = {}

    def compute(self, code: str, by: Sequence[str] = (), period: Period | None = None) -> Result:
        indicator = self.needed(code)
        key = (code, tuple(by), (period or self.period).code)
        if key not in self._results:
            try:
                self._results[key] = compute(indicator, period or self.period, self.scope, by)
            except EngineError as exc:
                raise ReportError(str(exc)) from exc
        return self._results[key]

    def needed(self, code: str) -> Indicator:
        """An indicator the report is built on; its absence is an error (the system check
        `musow check` reports it at start-up), never a 0 in the report."""
        indicator = self.indicators.get(code)
        if indicator is None:
            raise ReportError(missing_indicator(code))
        return indicator

    def wide(self, code: str, dims: tuple[str, ...]) -> "_Wide":
        """One GROUP BY over several dimensions, computed once and kept for the roll-ups."""
        key = (code, dims)
        if key not in self._wide:
            self._wide[key] = _Wide.of(self.compute(code, dims))
        return self._wide[key]

    def _unfiltered(self, code: str) -> bool:
        indicator = self.indicators.get(code)
        return indicator is not None and _filters(indicator) == _filters(None)

    def _women_from_participants(self) -> bool:
        """Whether "women and girls" is "participants" restricted to sex f (as shipped):
        then it is read from the participants' breakdown by sex, without a scan of its own."""
        women, everyone = self.indicators.get(WOMEN), self.indicators.get(PARTICIPANTS)
        if women is None or everyone is None or women.rule != everyone.rule:
            return False
        return (
            list(women.sexes or []) == ["f"]
            and not everyone.sexes
            and (_filters(women) == _filters(everyone))
        )

    def grouped(self, code: str, dims: tuple[str, ...]) -> list[Row]:
        """The breakdown of `code` by `dims`: summed from a wider breakdown already computed
        (contacts and activities add up), or computed on its own."""
        if code == WOMEN and "sex" not in dims and self._women_from_participants():
            rows = self.grouped(PARTICIPANTS, (*dims, "sex"))
            return [
                Row({d: row.key[d] for d in dims}, row.value)
                for row in rows
                if row.key["sex"].code == "f"
            ]
        additive = self.needed(code).rule in (Indicator.Rule.CONTACTS, Indicator.Rule.ACTIVITIES)
        for wide_dims in WIDE.get(code, ()) if additive else ():
            if set(dims) <= set(wide_dims):
                return self.wide(code, wide_dims).rollup(dims)
        return self.compute(code, dims).rows

    def total(self, code: str) -> Number | None:
        if code == WOMEN and self._women_from_participants():
            return sum(int(row.value or 0) for row in self.grouped(WOMEN, ("region",)))
        for wide_dims in WIDE.get(code, ())[:1]:
            return self.wide(code, wide_dims).total
        return self.compute(code).total

    def by(self, code: str, dim: str) -> dict[str, tuple[str, Number]]:
        """{member code: (label, value)} for a one-dimension breakdown."""
        return {
            row.key[dim].code: (row.key[dim].label, row.value or 0)
            for row in self.grouped(code, (dim,))
        }

    def _all_activities(self) -> QuerySet[Activity]:
        return provenance(self.needed(ACTIVITIES), self.period, self.scope)


# Breakdowns computed once each, in one GROUP BY, that the report's tables are summed from
# (their rules add up: contacts and activities): two scans of the year instead of sixteen
# (women and girls are read from the participants' breakdown by sex when the indicators
# say they are the same people; see _women_from_participants).
WIDE: dict[str, tuple[tuple[str, ...], ...]] = {
    PARTICIPANTS: (
        ("month", "region", "sex", "age_group", "audience", "activity_type", "campaign"),
    ),
    WOMEN: (("month", "region", "age_group", "audience"), ("activity_type", "campaign")),
    ACTIVITIES: (("month", "region", "activity_type", "campaign", "organiser"),),
}


def _filters(indicator: Indicator | None) -> tuple[tuple[int, ...], ...]:
    """What an indicator selects besides sex (prefetched: no query)."""
    if indicator is None:
        return tuple(() for _f in FILTER_FIELDS)
    return tuple(tuple(sorted(o.pk for o in getattr(indicator, f).all())) for f in FILTER_FIELDS)


@dataclass
class _Wide:
    """A wide breakdown as tuples of member codes and counts, to sum quickly over subsets of
    its dimensions (a year of a large register gives tens of thousands of rows)."""

    dims: tuple[str, ...]
    rows: list[tuple[tuple[str, ...], int]]
    members: dict[str, dict[str, Member]]
    total: Number | None
    cache: dict[tuple[str, ...], list[Row]] = field(default_factory=dict)

    @classmethod
    def of(cls, result: Result) -> "_Wide":
        members: dict[str, dict[str, Member]] = {d: {} for d in result.by}
        rows = []
        for row in result.rows:
            codes = []
            for d in result.by:
                member = row.key[d]
                members[d].setdefault(member.code, member)
                codes.append(member.code)
            rows.append((tuple(codes), int(row.value or 0)))  # counts: whole numbers
        return cls(result.by, rows, members, result.total)

    def rollup(self, dims: tuple[str, ...]) -> list[Row]:
        """The rows summed over the dimensions not in `dims`."""
        if dims not in self.cache:
            pick = itemgetter(*(self.dims.index(d) for d in dims))
            sums: dict[Any, int] = defaultdict(int)
            for codes, value in self.rows:
                sums[pick(codes)] += value
            rows = []
            for key in sorted(sums):
                parts = (key,) if len(dims) == 1 else key
                rows.append(
                    Row(
                        {d: self.members[d][c] for d, c in zip(dims, parts, strict=True)}, sums[key]
                    )
                )
            self.cache[dims] = rows
        return self.cache[dims]
