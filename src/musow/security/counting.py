"""The counting rules of the security sector and DDR, registered with the one engine
(`musow.indicators.rules`):

- force-strength (a stock): for each force, its latest validated strength at or before
  the period's end, never summed over dates; summed across forces, each at its own
  latest date. A force with no strength by then is left out, and a figure with no force
  at all is "no data" (None), not 0. By year, quarter or month: the stock at the end of
  each part (a time series of year-end stocks). Breakdowns: force, sex.
- security-people (a flow): people counted in the validated programme figures (DDR,
  recruitment, CVR) whose period ends in the figure's period, summed; "no data" (None)
  when no such figures exist, 0 only when figures say 0. Breakdowns: programme, stage,
  sex, age group, force, region (of the place), year, quarter, month (of the period's
  end). `security.IndicatorStages` limits an indicator to a programme and its stages.

An indicator's `sexes` picks the people it counts (women: f) without dropping the rows
where it is 0, so that a share is 0 there, not missing. Forces are national: a figure
limited to regions (an indicator's or a focal point's) has no strength in it.
"""

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities.models import AgeGroup
from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.engine import Aggregate, Computation, EngineError, Member, Scope, _inline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.rules import ProgrammeRule, rule_register
from musow.representation.counting import _parts
from musow.security.models import (
    SEXES,
    Force,
    IndicatorStages,
    Programme,
    ReportCount,
    Stage,
    Status,
    Strength,
)

STRENGTH_DIMENSIONS = (("force", gettext_lazy("force")), ("sex", gettext_lazy("sex")))
PEOPLE_DIMENSIONS = (
    ("programme", gettext_lazy("programme")),
    ("stage", gettext_lazy("stage")),
    ("sex", gettext_lazy("sex")),
    ("age_group", gettext_lazy("age group")),
    ("force", gettext_lazy("force")),
)
DATE_PARTS = ("year", "quarter", "month")


def _statuses(provisional: bool) -> list[str]:
    return [Status.DRAFT, Status.SUBMITTED, Status.VALIDATED] if provisional else [Status.VALIDATED]


def _capturing() -> tuple[list[tuple[str, Any]], Any]:
    executed: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    return executed, capture


def _computation(executed: list[tuple[str, Any]]) -> Computation:
    return Computation(f"register ({connection.vendor})", lambda: [_inline(*q) for q in executed])


# --- force-strength: a stock ---------------------------------------------------------


def _sexes(indicator: Indicator) -> list[str]:
    return [s for s in (indicator.sexes or ()) if s in ("f", "m")] or ["f", "m"]


def _strength_at(
    indicator: Indicator, end: date, provisional: bool, by: tuple[str, ...]
) -> tuple[list[tuple[tuple[Any, ...], Any]], Any]:
    """(rows by `by`, total) of the forces' latest strengths at `end`; total None when no
    force has one."""
    latest = (
        Strength.objects.filter(
            force=OuterRef("pk"), status__in=_statuses(provisional), as_of__lte=end
        )
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    latest_ids = (
        Force.objects.annotate(latest=Subquery(latest))
        .filter(latest__isnull=False)
        .values("latest")
    )
    per_force = (
        Strength.objects.filter(pk__in=latest_ids)
        .values("force__code")
        .annotate(f=Sum("women"), m=Sum("men"))
        .order_by()
    )
    sexes = _sexes(indicator)
    raw: dict[tuple[Any, ...], int] = {}
    seen = False
    for row in per_force:
        seen = True
        for sex in sexes:
            values = {"force": row["force__code"], "sex": sex, "region": None}
            key = tuple(values[d] for d in by)
            raw[key] = raw.get(key, 0) + (row[sex] or 0)
    if not seen:
        return [], None
    rows = list(raw.items()) if by else []
    return rows, sum(raw.values())


def strength_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    parts = [d for d in by if d in DATE_PARTS]
    if len(parts) > 1:
        raise EngineError(
            _("Strengths are broken down by one of year, quarter or month at a time.")
        )
    executed, capture = _capturing()
    national_only = not (
        scope.regions
        or scope.organisations
        or scope.campaigns
        or scope.projects
        or indicator.regions.exists()
    )
    raw: list[tuple[tuple[Any, ...], Any]] = []
    total: Any = None
    with connection.execute_wrapper(capture):
        if national_only:
            others = tuple(d for d in by if d not in DATE_PARTS)
            rows, total = _strength_at(indicator, period.end, provisional, () if parts else by)
            if parts:
                at = by.index(parts[0])
                for code, _start, end in _parts(period, parts[0]):
                    rows, part_total = _strength_at(indicator, end, provisional, others)
                    if not others and part_total is not None:
                        rows = [((), part_total)]
                    raw += [((*key[:at], code, *key[at:]), value) for key, value in rows]
            else:
                raw = rows
    return Aggregate(raw, total, _computation(executed))


# --- security-people: a flow ---------------------------------------------------------


def _people_filter(indicator: Indicator, scope: Scope) -> Q | None:
    if scope.organisations or scope.campaigns:
        return None  # programme figures belong to no organisation or campaign
    q = Q()
    regions = tuple(r.pk for r in indicator.regions.all())
    if regions:
        q &= Q(report__place__region_id__in=regions)
    if scope.regions:
        q &= Q(report__place__region_id__in=scope.regions)
    if scope.projects:
        q &= Q(report__project_id__in=scope.projects)
    ages = tuple(a.pk for a in indicator.age_groups.all())
    if ages:
        q &= Q(age_group_id__in=ages)
    limits = IndicatorStages.objects.filter(indicator=indicator).first()
    if limits is not None:
        q &= Q(report__programme=limits.programme)
        if limits.stages:
            q &= Q(stage__code__in=limits.stages)
    return q


def people_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    executed, capture = _capturing()
    where = _people_filter(indicator, scope)
    raw: list[tuple[tuple[Any, ...], Any]] = []
    total: Any = None
    sexes = list(indicator.sexes or ())
    with connection.execute_wrapper(capture):
        if where is not None:
            qs = ReportCount.objects.filter(
                where,
                Q(sex__in=sexes) if sexes and "sex" in by else Q(),
                report__status__in=_statuses(provisional),
                report__period_end__range=(period.start, period.end),
            ).order_by()
            value = (
                Sum("count", filter=Q(sex__in=sexes)) if sexes and "sex" not in by else Sum("count")
            )
            if by:
                columns: dict[str, Any] = {
                    "programme": F("report__programme"),
                    "stage": F("stage__code"),
                    "sex": F("sex"),
                    "age_group": F("age_group__code"),
                    "force": F("report__force__code"),
                    "region": F("report__place__region_id"),
                    "year": YearOf("report__period_end"),
                    "quarter": QuarterOf("report__period_end"),
                    "month": MonthOf("report__period_end"),
                }
                grouped = qs.values(**{f"d_{d}": columns[d] for d in by}).annotate(value=value)
                raw = [(tuple(r[f"d_{d}"] for d in by), r["value"] or 0) for r in grouped]
                total = sum(v for _k, v in raw) if raw else None
            else:
                got = qs.aggregate(value=value, n=Count("id"))
                total = (got["value"] or 0) if got["n"] else None
    return Aggregate(raw, total, _computation(executed))


# --- labels --------------------------------------------------------------------------


def members(dim: str, values: set[Any]) -> dict[Any, Member]:
    values = {v for v in values if v is not None}
    if dim == "force":
        return {f.code: Member(f.code, f.name) for f in Force.objects.filter(code__in=values)}
    if dim == "stage":
        return {s.code: Member(s.code, s.name) for s in Stage.objects.filter(code__in=values)}
    if dim == "age_group":
        return {a.code: Member(a.code, a.name) for a in AgeGroup.objects.filter(code__in=values)}
    labels: dict[str, Any] = {"sex": dict(SEXES), "programme": dict(Programme.choices)}[dim]
    return {v: Member(str(v), str(labels.get(v, v))) for v in values}


STRENGTH = ProgrammeRule(
    code="force-strength",
    label=gettext_lazy("people serving in the defence and security forces (latest strength)"),
    dimensions=STRENGTH_DIMENSIONS,
    aggregate=strength_aggregate,
    members=members,
    additive=False,  # a stock: never summed over dates
)
PEOPLE = ProgrammeRule(
    code="security-people",
    label=gettext_lazy("people in DDR, recruitment and community violence reduction"),
    dimensions=PEOPLE_DIMENSIONS,
    aggregate=people_aggregate,
    members=members,
)


def rules_register() -> None:
    rule_register(STRENGTH)
    rule_register(PEOPLE)
