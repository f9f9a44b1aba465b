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
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.geo.models import Place
from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.engine import Aggregate, Computation, EngineError, Member, Scope, _inline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.rules import ProgrammeRule, rule_register, shared
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
    regions = tuple(indicator.regions.values_list("pk", flat=True))
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


def _value(indicator: Indicator, by: tuple[str, ...]) -> Any:
    """Sittings: the indicator's sexes, as a filtered sum unless broken down by sex."""
    sexes = list(indicator.sexes or ())
    return Sum("count", filter=Q(sex__in=sexes)) if sexes and "sex" not in by else Sum("count")


def _sex_filter(indicator: Indicator, by: tuple[str, ...]) -> Q:
    sexes = list(indicator.sexes or ())
    return Q(sex__in=sexes) if sexes and "sex" in by else Q()


# --- seats: a stock ----------------------------------------------------------------


@dataclass(frozen=True)
class SeatLimits:
    """What an indicator and a scope keep of the seats (empty: no restriction)."""

    regions: tuple[int, ...] = ()  # the indicator's regions
    scope_regions: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


def _limits(indicator: Indicator, scope: Scope) -> SeatLimits | None:
    """The indicator's and the scope's limits on seats, read once per indicator and scope
    within a figure (None: nothing can match)."""
    cache: dict[Any, SeatLimits | None] = indicator.__dict__.setdefault("_seat_limits", {})
    if scope not in cache:
        if scope.organisations or scope.campaigns or scope.projects:
            cache[scope] = None  # bodies belong to no organisation, campaign or project
        else:
            limits = IndicatorBodies.objects.filter(indicator=indicator).first()
            cache[scope] = SeatLimits(
                regions=tuple(indicator.regions.values_list("pk", flat=True)),
                scope_regions=tuple(scope.regions),
                kinds=tuple(limits.body_kinds or ()) if limits else (),
                levels=tuple(limits.levels or ()) if limits else (),
                roles=tuple(limits.roles or ()) if limits else (),
            )
    return cache[scope]


# Where each dimension is read in STOCK_SQL.
SQL_COLUMNS = {
    "role": "r.code",
    "body_kind": "b.kind",
    "level": "b.level",
    "body": "b.code",
    "region": "pl.region_id",
}


def _stock_sql(
    limits: SeatLimits, parts: tuple[tuple[str, date, date], ...], provisional: bool, by: tuple
) -> tuple[str, list[Any]]:
    """One query for the stocks at the end of every part: for each part and each body
    existing in it, the seats of the body's latest composition at the part's end, grouped by
    part, `by` and sex. The hand-written floor of bench/table.py, for all parts at once."""

    def tables(model: Any) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def marks(values: tuple[Any, ...]) -> str:
        return ", ".join(["%s"] * len(values))

    day = connection.ops.adapt_datefield_value
    params: list[Any] = [v for code, start, end in parts for v in (code, day(start), day(end))]
    statuses = tuple(_statuses(provisional))
    params += statuses
    where, joins = [], []
    for column, values in (
        ("pl.region_id", limits.regions),
        ("pl.region_id", limits.scope_regions),
        ("b.kind", limits.kinds),
        ("b.level", limits.levels),
        ("r.code", limits.roles),
    ):
        if values:
            where.append(f"{column} IN ({marks(values)})")
            params += values
    columns = [SQL_COLUMNS[d] for d in by]
    text = " ".join(columns + where)
    if "r." in text:
        joins.append(f"JOIN {tables(Role)} r ON r.id = s.role_id")
    if "pl." in text:
        joins.append(f"LEFT JOIN {tables(Place)} pl ON pl.id = b.place_id")
    select = ", ".join(["p.part", *columns, "s.sex"])
    rows = ", ".join(["(%s, %s, %s)"] * len(parts))
    # `latest` is materialised first (each body's latest composition at each part's end,
    # one index probe each): both databases then join the seats once, instead of running
    # the probe again for every seat (PostgreSQL did, five times a row, in a hash join).
    sql = f"""WITH parts (part, part_start, part_end) AS (VALUES {rows}),
latest AS MATERIALIZED (
  SELECT p.part, b.id AS body_id, (
    SELECT c.id FROM {tables(Composition)} c
    WHERE c.body_id = b.id AND c.status IN ({marks(statuses)}) AND c.as_of <= p.part_end
    ORDER BY c.as_of DESC, c.id DESC LIMIT 1) AS composition_id
  FROM parts p
  JOIN {tables(Body)} b ON (b.valid_from IS NULL OR b.valid_from <= p.part_end)
    AND (b.valid_to IS NULL OR b.valid_to >= p.part_start))
SELECT {select}, SUM(s.count)
FROM latest p
JOIN {tables(Seat)} s ON s.composition_id = p.composition_id
JOIN {tables(Body)} b ON b.id = p.body_id
{" ".join(joins)}
{("WHERE " + " AND ".join(where)) if where else ""}
GROUP BY {select}"""
    return sql, params


# (part, key by `by`, sex) -> seats
SexRows = dict[str, list[tuple[tuple[Any, ...], str, int]]]


def _stocks_by_sex(
    limits: SeatLimits, parts: tuple[tuple[str, date, date], ...], provisional: bool, by: tuple
) -> tuple[SexRows, list[tuple[str, Any]]]:
    """The stocks at each part's end grouped by `by` and sex, and the SQL that ran."""
    sql, params = _stock_sql(limits, parts, provisional, by)
    out: SexRows = {code: [] for code, _start, _end in parts}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            out[row[0]].append((tuple(row[1:-2]), row[-2], int(row[-1] or 0)))
    return out, [(sql, params)]


def _keep(
    indicator: Indicator, by: tuple[str, ...], by_sex: list[tuple[tuple[Any, ...], str, int]]
) -> tuple[list[tuple[tuple[Any, ...], Any]], Any]:
    """(rows by `by`, total) of one stock, keeping the indicator's sexes; total None when
    no body has data. A body whose seats are all of other sexes stays, with 0."""
    sexes = set(indicator.sexes or ())
    rows: list[tuple[tuple[Any, ...], Any]]
    if "sex" in by:
        at = by.index("sex")
        rows = [((*k[:at], sex, *k[at:]), v) for k, sex, v in by_sex if not sexes or sex in sexes]
    else:
        kept: dict[tuple[Any, ...], int] = {}
        for k, sex, v in by_sex:
            kept[k] = kept.get(k, 0) + (v if not sexes or sex in sexes else 0)
        rows = list(kept.items())
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
    """The stock at the period's end (the total) and, broken down by year, quarter or
    month, at the end of each: all in one query, grouped by sex too so that the two terms
    of a share (seats of women / all seats) run it once (`rules.shared`)."""
    date_parts = [d for d in by if d in DATE_PARTS]
    if len(date_parts) > 1:
        raise EngineError(_("Seats are broken down by one of year, quarter or month at a time."))
    limits = _limits(indicator, scope)
    where = f"register ({connection.vendor})"
    if limits is None:
        nothing: Any = None  # no body can match: no data
        return Aggregate([], nothing, Computation(where, list))
    others = tuple(d for d in by if d not in DATE_PARTS and d != "sex")
    parts: tuple[tuple[str, date, date], ...] = (("", period.start, period.end),)
    if date_parts:
        parts += tuple(_parts(period, date_parts[0]))
    stocks, executed = shared(
        ("seats", limits, parts, provisional, others),
        lambda: _stocks_by_sex(limits, parts, provisional, others),
    )
    flat = tuple(d for d in by if d not in DATE_PARTS)
    _rows, total = _keep(indicator, flat, stocks[""])
    raw: list[tuple[tuple[Any, ...], Any]] = []
    if date_parts:
        at = by.index(date_parts[0])
        for code, _start, _end in parts[1:]:
            rows, part_total = _keep(indicator, flat, stocks[code])
            if not flat:
                rows = [] if part_total is None else [((), part_total)]
            raw += [((*key[:at], code, *key[at:]), value) for key, value in rows]
    elif by:
        raw = _rows
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
    where = _filters(indicator, scope, "composition__body")
    if where is None:
        return Composition.objects.none()
    start, end = period.start, period.end
    # Each body's latest composition at the period's end (as STOCK_SQL finds it).
    latest = (
        Composition.objects.filter(
            body=OuterRef("pk"), status__in=_statuses(provisional), as_of__lte=end
        )
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    existing = (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )
    latest_ids = Body.objects.filter(existing).annotate(latest=Subquery(latest)).values("latest")
    seats = Seat.objects.filter(where, composition_id__in=latest_ids)
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
