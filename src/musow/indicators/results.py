"""What the engine answers: the scope a figure is restricted to, its breakdown's rows and
members, where each aggregate ran, and the result with its provenance. Programme modules
(indicators/rules.py) build their `Aggregate`s from these types."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from musow.activities.models import Activity
from musow.indicators.models import Indicator
from musow.indicators.periods import Period

Number = int | float | Decimal


@dataclass(frozen=True)
class Scope:
    """What a figure is restricted to (a user's rights, or a report's scope).

    Empty tuples do not restrict. `regions` are region ids; `organisations`
    match the organiser or a partner.
    """

    regions: tuple[int, ...] = ()
    organisations: tuple[int, ...] = ()
    campaigns: tuple[int, ...] = ()
    projects: tuple[int, ...] = ()

    def is_everything(self) -> bool:
        return not (self.regions or self.organisations or self.campaigns or self.projects)


EVERYTHING = Scope()


@dataclass(frozen=True)
class Member:
    """One value of a dimension: a stable code and a label in the active language."""

    code: str
    label: str


@dataclass
class Row:
    key: dict[str, Member]
    value: Number | None


@dataclass(frozen=True)
class Computation:
    """Where one aggregate ran ("register (sqlite)", "duckdb (var/analytics.duckdb)", …)
    and the SQL that computed it (`sql()` builds it only when asked)."""

    where: str
    sql: Callable[[], list[str]]


@dataclass
class Result:
    indicator: Indicator
    period: Period
    scope: Scope
    by: tuple[str, ...]
    provisional: bool
    total: Number | None
    rows: list[Row] = field(default_factory=list)
    computed_by: list[Computation] = field(default_factory=list)

    def activities(self) -> QuerySet[Activity]:
        """The activities that make this figure (its provenance), as a lazy queryset."""
        from musow.indicators.engine import provenance

        return provenance(self.indicator, self.period, self.scope, provisional=self.provisional)

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.code,
            "name": self.indicator.name,
            "rule": self.indicator.rule,
            "period": {
                "code": self.period.code,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "provisional": self.provisional,
            "total": _jsonable(self.total),
            "by": list(self.by),
            "rows": [
                {
                    "key": {dim: {"code": m.code, "label": m.label} for dim, m in row.key.items()},
                    "value": _jsonable(row.value),
                }
                for row in self.rows
            ],
        }


def _jsonable(value: Number | None) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    return float(value)


@dataclass
class Aggregate:
    """An indicator's raw figures: (key of dimension values, value) rows, and the total."""

    rows: list[tuple[tuple[Any, ...], Number]]
    total: Number
    computed_by: Computation
