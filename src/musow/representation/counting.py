"""The counting rules of women at the table, registered with the one engine
(`musow.indicators.rules`):

- seats (a stock): for each body, its latest validated composition at or before the
  period's end, never summed over dates; a body valid during the period but with no
  composition by then is "no data", not 0 (and a figure with no body at all is None).
  Broken down by year, quarter or month, each row is the stock at the end of that part
  (a time series of year-end stocks). Summed across bodies, each at its own latest date.
- attendance (a flow): people at the validated sittings held in the period, summed.

Both break down by role, sex, kind of body, level, body and region (of the body's place;
national bodies have none). An indicator's `sexes` picks the seats it counts (women: f),
without dropping the bodies where it is 0 (so that a share is 0 there, not missing);
`representation.IndicatorBodies` limits it to kinds of body, levels and roles.
"""

import calendar
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.engine import Aggregate, Computation, EngineError, Member, Scope, _inline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.rules import ProgrammeRule, rule_register
from musow.representation.models import (
    SEAT_SEXES,
    Body,
    Composition,
    IndicatorBodies,
    Presence,
    Role,
    Seat,
    Sitting,
    Status,
)

DIMENSIONS = (
    ("role", gettext_lazy("role")),
    ("sex", gettext_lazy("sex")),
    ("body_kind", gettext_lazy("kind of body")),
    ("level", gettext_lazy("level")),
    ("body", gettext_lazy("body")),
)
DATE_PARTS = ("year", "quarter", "month")


def _statuses(provisional: bool) -> list[str]:
    return [Status.DRAFT, Status.SUBMITTED, Status.VALIDATED] if provisional else [Status.VALIDATED]


def _columns(body: str) -> dict[str, str]:
    """Where each dimension is read, from the counted rows (`body`: the path to the body)."""
    return {
        "role": "role__code",
        "sex": "sex",
        "body_kind": f"{body}__kind",
        "level": f"{body}__level",
        "body": f"{body}__code",
        "region": f"{body}__place__region_id",
    }


def _filters(indicator: Indicator, scope: Scope, body: str) -> Q | None:
    """The indicator's and the scope's restrictions on counted rows (None: nothing can match)."""
    if scope.organisations or scope.campaigns or scope.projects:
        return None  # bodies belong to no organisation, campaign or project
    q = Q()
    regions = tuple(r.pk for r in indicator.regions.all())
    if regions:
        q &= Q(**{f"{body}__place__region_id__in": regions})
    if scope.regions:
        q &= Q(**{f"{body}__place__region_id__in": scope.regions})
    limits = IndicatorBodies.objects.filter(indicator=indicator).first()
    if limits is not None:
        if limits.body_kinds:
            q &= Q(**{f"{body}__kind__in": limits.body_kinds})
        if limits.levels:
            q &= Q(**{f"{body}__level__in": limits.levels})
        if limits.roles:
            q &= Q(role__code__in=limits.roles)
    return q


def _filters_once(indicator: Indicator, scope: Scope) -> Q | None:
    """`_filters` for seats, read once per indicator and scope within a figure."""
    cache: dict[Any, Q | None] = indicator.__dict__.setdefault("_seat_filters", {})
    if scope not in cache:
        cache[scope] = _filters(indicator, scope, "composition__body")
    return cache[scope]


def _value(indicator: Indicator, by: tuple[str, ...]) -> Any:
    sexes = list(indicator.sexes or ())
    return Sum("count", filter=Q(sex__in=sexes)) if sexes and "sex" not in by else Sum("count")


def _sex_filter(indicator: Indicator, by: tuple[str, ...]) -> Q:
    sexes = list(indicator.sexes or ())
    return Q(sex__in=sexes) if sexes and "sex" in by else Q()


# --- seats: a stock ----------------------------------------------------------------


def _seats_at(
    indicator: Indicator,
    start: date,
    end: date,
    scope: Scope,
    provisional: bool,
    by: tuple[str, ...],
) -> QuerySet[Seat] | None:
    """The seats of each body's latest composition at `end`, bodies existing in [start, end]."""
    where = _filters_once(indicator, scope)
    if where is None:
        return None
    # Each body's latest composition, found once per body (not once per seat).
    latest = (
        Composition.objects.filter(
            body=OuterRef("pk"),
            status__in=_statuses(provisional),
            as_of__lte=end,
        )
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    existing = (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )
    latest_ids = (
        Body.objects.filter(existing)
        .annotate(latest=Subquery(latest))
        .filter(latest__isnull=False)
        .values("latest")
    )
    return Seat.objects.filter(
        where, _sex_filter(indicator, by), composition_id__in=latest_ids
    ).order_by()


def _stock(
    indicator: Indicator,
    start: date,
    end: date,
    scope: Scope,
    provisional: bool,
    by: tuple[str, ...],
) -> tuple[list[tuple[tuple[Any, ...], Any]], Any]:
    """(rows by `by`, total) of the stock at `end`; total None when no body has data."""
    qs = _seats_at(indicator, start, end, scope, provisional, by)
    if qs is None:
        return [], None
    value = _value(indicator, by)
    if not by:
        got = qs.aggregate(value=value, n=Count("id"))
        return [], (got["value"] or 0) if got["n"] else None
    columns = _columns("composition__body")
    aliases = {f"d_{d}": F(columns[d]) for d in by}
    grouped = qs.values(**aliases).annotate(value=value).order_by()
    rows = [(tuple(r[f"d_{d}"] for d in by), r["value"] or 0) for r in grouped]
    return rows, (sum(v for _k, v in rows) if rows else None)


def _parts(period: Period, part: str) -> Iterator[tuple[str, date, date]]:
    """The years, quarters or months of a period: (code, start, end), clipped to it."""
    year, month = period.start.year, period.start.month
    step = {"year": 12, "quarter": 3, "month": 1}[part]
    month = {"year": 1, "quarter": 3 * ((month - 1) // 3) + 1, "month": month}[part]
    while date(year, month, 1) <= period.end:
        last_month = month + step - 1
        end = date(year, last_month, calendar.monthrange(year, last_month)[1])
        code = {
            "year": f"{year:04d}",
            "quarter": f"{year:04d}-Q{(month + 2) // 3}",
            "month": f"{year:04d}-{month:02d}",
        }[part]
        yield code, max(date(year, month, 1), period.start), min(end, period.end)
        month += step
        if month > 12:
            year, month = year + 1, month - 12


def seats_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    parts = [d for d in by if d in DATE_PARTS]
    if len(parts) > 1:
        raise EngineError(_("Seats are broken down by one of year, quarter or month at a time."))
    executed: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        _rows, total = _stock(indicator, period.start, period.end, scope, provisional, ())
        raw: list[tuple[tuple[Any, ...], Any]] = []
        if parts:
            at = by.index(parts[0])
            others = tuple(d for d in by if d not in DATE_PARTS)
            for code, start, end in _parts(period, parts[0]):
                rows, part_total = _stock(indicator, start, end, scope, provisional, others)
                if not others and part_total is not None:
                    rows = [((), part_total)]
                raw += [((*key[:at], code, *key[at:]), value) for key, value in rows]
        elif by:
            raw, _total = _stock(indicator, period.start, period.end, scope, provisional, by)
    where = f"register ({connection.vendor})"
    return Aggregate(raw, total, Computation(where, lambda: [_inline(*q) for q in executed]))


# --- attendance at sittings: a flow -----------------------------------------------


def attendance_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    executed: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    where_q = _filters(indicator, scope, "sitting__body")
    raw: list[tuple[tuple[Any, ...], Any]] = []
    total: Any = 0
    with connection.execute_wrapper(capture):
        if where_q is not None:
            qs = Presence.objects.filter(
                where_q,
                _sex_filter(indicator, by),
                sitting__status__in=_statuses(provisional),
                sitting__held_on__range=(period.start, period.end),
            ).order_by()
            value = _value(indicator, by)
            if by:
                columns: dict[str, Any] = {d: F(c) for d, c in _columns("sitting__body").items()}
                columns |= {
                    "year": YearOf("sitting__held_on"),
                    "quarter": QuarterOf("sitting__held_on"),
                    "month": MonthOf("sitting__held_on"),
                }
                grouped = qs.values(**{f"d_{d}": columns[d] for d in by}).annotate(value=value)
                raw = [(tuple(r[f"d_{d}"] for d in by), r["value"] or 0) for r in grouped]
                total = sum(v for _k, v in raw)
            else:
                total = qs.aggregate(value=value)["value"] or 0
    where = f"register ({connection.vendor})"
    return Aggregate(raw, total, Computation(where, lambda: [_inline(*q) for q in executed]))


# --- provenance: the records behind a figure ---------------------------------------


def seats_provenance(
    indicator: Indicator, period: Period, scope: Scope, provisional: bool = False
) -> QuerySet[Composition]:
    """The compositions a seats figure counts: each body's latest one at the period's end
    that holds seats the indicator counts (its kinds of body, levels, roles, regions)."""
    seats = _seats_at(indicator, period.start, period.end, scope, provisional, ())
    if seats is None:
        return Composition.objects.none()
    return Composition.objects.filter(pk__in=seats.values("composition_id"))


def attendance_provenance(
    indicator: Indicator, period: Period, scope: Scope, provisional: bool = False
) -> QuerySet[Sitting]:
    """The sittings an attendance figure counts: held in the period, with attendance the
    indicator counts."""
    where_q = _filters(indicator, scope, "sitting__body")
    if where_q is None:
        return Sitting.objects.none()
    presences = Presence.objects.filter(
        where_q,
        sitting__status__in=_statuses(provisional),
        sitting__held_on__range=(period.start, period.end),
    )
    return Sitting.objects.filter(pk__in=presences.values("sitting_id"))


# --- labels ------------------------------------------------------------------------


def members(dim: str, values: set[Any]) -> dict[Any, Member]:
    values = {v for v in values if v is not None}
    if dim == "role":
        return {r.code: Member(r.code, r.name) for r in Role.objects.filter(code__in=values)}
    if dim == "body":
        return {b.code: Member(b.code, b.name) for b in Body.objects.filter(code__in=values)}
    labels: dict[str, Any] = {
        "sex": dict(SEAT_SEXES),
        "body_kind": dict(Body.Kind.choices),
        "level": dict(Body.Level.choices),
    }[dim]
    return {v: Member(str(v), str(labels.get(v, v))) for v in values}


SEATS = ProgrammeRule(
    code="seats",
    label=gettext_lazy("seats held in decision-making bodies (latest composition of each)"),
    dimensions=DIMENSIONS,
    aggregate=seats_aggregate,
    members=members,
    additive=False,  # a stock: never summed over dates
    provenance=seats_provenance,
)
ATTENDANCE = ProgrammeRule(
    code="sitting-attendance",
    label=gettext_lazy("attendance at sittings of decision-making bodies"),
    dimensions=DIMENSIONS,
    aggregate=attendance_aggregate,
    members=members,
    provenance=attendance_provenance,
)


def rules_register() -> None:
    rule_register(SEATS)
    rule_register(ATTENDANCE)
