"""The counting engine: pure functions from an indicator definition to figures.

    compute(indicator, period, scope=EVERYTHING, by=("sex", "region"), *, provisional=False)
        -> Result  (its types: indicators/results.py)

Every figure is one aggregate query (GROUP BY in the database): rows are never
loaded into Python to be counted. The same queries run on SQLite and PostgreSQL.

Rules (docs/architecture.md, "Counting: one engine"):
- contacts: SUM of participation counts of the matching activities;
- unique_persons: COUNT(DISTINCT attendee) over their attendance lists;
- activities: COUNT of matching activities;
- media_reach: SUM of estimated media audiences, never mixed with participants;
- ratio: numerator / denominator, both computed with the same period, scope and breakdown.
Only validated activities count, unless `provisional=True`: then drafts,
submitted and returned activities count too (deleted ones never), and the
result says it is provisional.

Where the aggregate runs: by default on the register (the Django ORM, below). An app
may install an `Aggregator` (`use_aggregator`) that answers the same question from
elsewhere — the analytics store (`musow.analytics`) does, from a columnar copy of the
register kept in step with it; it returns None when it cannot answer, and the register
answers. Labels and provenance always come from the register. `Result.computed_by`
says where each aggregate ran and with which SQL (`musow figures --explain`).
"""

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from musow.activities.models import (
    Activity,
    ActivityType,
    AgeGroup,
    Attendance,
    Audience,
    Campaign,
    MediaReach,
    Organisation,
    Participation,
    Project,
    Sex,
    Theme,
)
from musow.geo.models import Place
from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.results import (  # noqa: F401  (the engine's answer types, re-exported)
    EVERYTHING,
    Aggregate,
    Computation,
    Member,
    Number,
    Result,
    Row,
    Scope,
)
from musow.indicators.rules import COMMON_DIMENSIONS, programme_rule, shared_answers


class EngineError(ValueError):
    """A request the engine cannot answer (unknown indicator, disallowed breakdown)."""


# --- what each rule counts, and how each dimension reads on its rows ---------------


@dataclass(frozen=True)
class RuleSpec:
    model: type[models.Model]
    to_activity: str  # path from the counted rows to their activity ("" when rows are activities)
    value: Callable[[bool], Any]  # distinct? -> aggregate
    person_dims: dict[str, str]  # dimensions read on the counted rows themselves
    additive: bool  # whether a total is the sum of its breakdown

    def path(self, name: str) -> str:
        return f"{self.to_activity}__{name}" if self.to_activity else name


RULES: dict[str, RuleSpec] = {
    Indicator.Rule.CONTACTS: RuleSpec(
        Participation,
        "activity",
        lambda distinct: Sum("count"),
        {"audience": "audience_id", "sex": "sex", "age_group": "age_group_id"},
        additive=True,
    ),
    Indicator.Rule.UNIQUE_PERSONS: RuleSpec(
        Attendance,
        "activity",
        lambda distinct: Count("attendee_id", distinct=True),
        {"audience": "audience_id", "sex": "attendee__sex", "age_group": "age_group_id"},
        additive=False,
    ),
    Indicator.Rule.ACTIVITIES: RuleSpec(
        Activity,
        "",
        lambda distinct: Count("id", distinct=distinct),
        {},
        additive=True,
    ),
    Indicator.Rule.MEDIA_REACH: RuleSpec(
        MediaReach,
        "activity",
        lambda distinct: Sum("estimated_audience"),
        {"medium": "medium"},
        additive=True,
    ),
}

ACTIVITY_DIMS = [
    "year",
    "quarter",
    "month",
    "region",
    "activity_type",
    "theme",
    "campaign",
    "project",
    "organiser",
]


def dimensions_for(rule: str) -> list[str]:
    programme = programme_rule(rule)
    if programme is not None:
        return [code for code, _label in (*COMMON_DIMENSIONS, *programme.dimensions)]
    if rule == Indicator.Rule.RATIO:
        return [d for d in ACTIVITY_DIMS if d != "theme"] + ["audience", "sex", "age_group"]
    return ACTIVITY_DIMS + list(RULES[rule].person_dims)


def _dimension_expression(spec: RuleSpec, dim: str) -> Any:
    if dim in spec.person_dims:
        return F(spec.person_dims[dim])
    date = spec.path("start_date")
    return {
        "year": lambda: YearOf(date),
        "quarter": lambda: QuarterOf(date),
        "month": lambda: MonthOf(date),
        "region": lambda: F(spec.path("place__region_id")),
        "activity_type": lambda: F(spec.path("activity_type_id")),
        "theme": lambda: F(spec.path("themes__id")),
        "campaign": lambda: F(spec.path("campaign_id")),
        "project": lambda: F(spec.path("project_id")),
        "organiser": lambda: F(spec.path("organiser_id")),
    }[dim]()


# --- building the queries ----------------------------------------------------------


def get_indicator(code: str) -> Indicator:
    try:
        return Indicator.objects.get(code=code)
    except Indicator.DoesNotExist:
        known = ", ".join(Indicator.objects.values_list("code", flat=True))
        raise EngineError(
            _("Unknown indicator “%(code)s”. Known indicators: %(known)s.")
            % {"code": code, "known": known}
        ) from None


FILTER_FIELDS = (
    "activity_types",
    "themes",
    "campaign_series",
    "projects",
    "regions",
    "audiences",
    "age_groups",
)


@dataclass(frozen=True)
class Filters:
    activity_types: tuple[int, ...]
    themes: tuple[int, ...]
    campaign_series: tuple[int, ...]
    projects: tuple[int, ...]
    regions: tuple[int, ...]
    audiences: tuple[int, ...]
    age_groups: tuple[int, ...]
    sexes: tuple[str, ...]

    @classmethod
    def of(cls, indicator: Indicator) -> "Filters":
        def ids(manager: Any) -> tuple[int, ...]:
            # .all() rather than values_list() so that prefetched filters cost no query
            return tuple(sorted(obj.pk for obj in manager.all()))

        return cls(
            ids(indicator.activity_types),
            ids(indicator.themes),
            ids(indicator.campaign_series),
            ids(indicator.projects),
            ids(indicator.regions),
            ids(indicator.audiences),
            ids(indicator.age_groups),
            tuple(indicator.sexes or ()),
        )

    def person_q(self, dims: dict[str, str], prefix: str = "") -> Q:
        q = Q()
        if self.audiences and "audience" in dims:
            q &= Q(**{f"{prefix}{dims['audience']}__in": self.audiences})
        if self.age_groups and "age_group" in dims:
            q &= Q(**{f"{prefix}{dims['age_group']}__in": self.age_groups})
        if self.sexes and "sex" in dims:
            q &= Q(**{f"{prefix}{dims['sex']}__in": self.sexes})
        return q

    def has_person_filters(self) -> bool:
        return bool(self.audiences or self.age_groups or self.sexes)


def _activity_filter(
    spec: RuleSpec, f: Filters, period: Period, scope: Scope, provisional: bool
) -> tuple[Q, list[Any]]:
    p = spec.path
    statuses = (
        [Activity.Status.VALIDATED]
        if not provisional
        else [
            Activity.Status.DRAFT,
            Activity.Status.SUBMITTED,
            Activity.Status.RETURNED,
            Activity.Status.VALIDATED,
        ]
    )
    q = Q(**{f"{p('start_date')}__gte": period.start, f"{p('start_date')}__lte": period.end})
    q &= (
        Q(**{p("status"): statuses[0]})
        if len(statuses) == 1
        else Q(**{f"{p('status')}__in": statuses})
    )
    exists: list[Any] = []  # Exists() conditions, and Qs that combine with them
    activity_ref = OuterRef(f"{spec.to_activity}_id" if spec.to_activity else "pk")
    if f.activity_types:
        q &= Q(**{f"{p('activity_type_id')}__in": f.activity_types})
    if f.campaign_series:
        q &= Q(**{f"{p('campaign__series_id')}__in": f.campaign_series})
    if f.projects:
        q &= Q(**{f"{p('project_id')}__in": f.projects})
    if f.regions:
        q &= Q(**{f"{p('place__region_id')}__in": f.regions})
    if f.themes:
        exists.append(
            Exists(
                Activity.themes.through.objects.filter(
                    activity_id=activity_ref, theme_id__in=f.themes
                )
            )
        )
    if scope.regions:
        q &= Q(**{f"{p('place__region_id')}__in": scope.regions})
    if scope.campaigns:
        q &= Q(**{f"{p('campaign_id')}__in": scope.campaigns})
    if scope.projects:
        q &= Q(**{f"{p('project_id')}__in": scope.projects})
    if scope.organisations:
        exists.append(
            Q(**{f"{p('organiser_id')}__in": scope.organisations})
            | Exists(
                Activity.partners.through.objects.filter(
                    activity_id=activity_ref, organisation_id__in=scope.organisations
                )
            )
        )
    return q, exists


def _queryset(
    indicator: Indicator, period: Period, scope: Scope, provisional: bool
) -> tuple[RuleSpec, QuerySet[Any]]:
    spec = RULES[indicator.rule]
    f = Filters.of(indicator)
    q, exists = _activity_filter(spec, f, period, scope, provisional)
    qs = spec.model._default_manager.filter(q, *exists)
    if spec.person_dims:
        qs = qs.filter(f.person_q(spec.person_dims))
    elif f.has_person_filters() and spec.model is Activity:
        # Activities that reached the indicator's audience / sex / age group.
        qs = qs.filter(
            Exists(
                Participation.objects.filter(
                    f.person_q(RULES[Indicator.Rule.CONTACTS].person_dims),
                    activity_id=OuterRef("pk"),
                    count__gt=0,
                )
            )
        )
    return spec, qs.order_by()


def provenance(
    indicator: Indicator, period: Period, scope: Scope = EVERYTHING, *, provisional: bool = False
) -> QuerySet[Activity]:
    """The activities whose records make the indicator's value (none for a programme
    rule: its records are not activities)."""
    if programme_rule(indicator.rule) is not None:
        return Activity.objects.none()
    if indicator.rule == Indicator.Rule.RATIO:
        assert indicator.numerator and indicator.denominator
        numerator = provenance(indicator.numerator, period, scope, provisional=provisional)
        denominator = provenance(indicator.denominator, period, scope, provisional=provisional)
        return Activity.objects.filter(
            Q(id__in=numerator.values("id")) | Q(id__in=denominator.values("id"))
        )
    spec, qs = _queryset(indicator, period, scope, provisional)
    if spec.model is Activity:
        return Activity.objects.filter(id__in=qs.values("id"))
    return Activity.objects.filter(id__in=qs.values(spec.to_activity))


def records(
    indicator: Indicator, period: Period, scope: Scope = EVERYTHING, *, provisional: bool = False
) -> QuerySet[Any]:
    """The records whose figures make the indicator's value: the activities (`provenance`),
    or for a programme rule that supplies its own provenance, its records (compositions,
    sittings…); for a ratio, those of both its terms (when they are records of one kind)."""
    if indicator.rule == Indicator.Rule.RATIO:
        assert indicator.numerator and indicator.denominator
        numerator = records(indicator.numerator, period, scope, provisional=provisional)
        denominator = records(indicator.denominator, period, scope, provisional=provisional)
        if numerator.model is not denominator.model:
            return denominator
        return denominator.model._default_manager.filter(
            Q(pk__in=numerator.values("pk")) | Q(pk__in=denominator.values("pk"))
        )
    programme = programme_rule(indicator.rule)
    if programme is not None and programme.provenance is not None:
        qs: QuerySet[Any] = programme.provenance(indicator, period, scope, provisional)
        return qs
    return provenance(indicator, period, scope, provisional=provisional)


class Aggregator(Protocol):
    def __call__(
        self,
        indicator: Indicator,
        period: Period,
        scope: Scope,
        by: tuple[str, ...],
        provisional: bool,
    ) -> Aggregate | None: ...


_aggregator: Aggregator | None = None
_batch: Callable[[], AbstractContextManager[Any]] | None = None


def use_aggregator(
    aggregator: Aggregator | None, batch: Callable[[], AbstractContextManager[Any]] | None = None
) -> None:
    """Install where non-ratio figures are aggregated (None: the register only), and what
    `batch()` holds open for a series of figures (a connection, one snapshot)."""
    global _aggregator, _batch
    _aggregator, _batch = aggregator, batch


def batch() -> AbstractContextManager[Any]:
    """`with batch(): …` — several figures computed together (a dashboard, a report)."""
    return _batch() if _batch is not None else nullcontext()


def register_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    """The aggregate computed on the register by the Django ORM: one GROUP BY."""
    from django.db import connection

    spec, qs = _queryset(indicator, period, scope, provisional)
    distinct = "theme" in by
    executed: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    total: Number
    with connection.execute_wrapper(capture):
        if not by:
            total = qs.aggregate(value=spec.value(distinct))["value"] or 0
            raw = []
        else:
            aliases = {f"d_{dim}": _dimension_expression(spec, dim) for dim in by}
            grouped = qs.values(**aliases).annotate(value=spec.value(distinct)).order_by()
            raw = [(tuple(r[f"d_{dim}"] for dim in by), r["value"] or 0) for r in grouped]
            if spec.additive and not distinct:
                total = sum(value for _key, value in raw)
            else:
                total = qs.aggregate(value=spec.value(True))["value"] or 0
    where = f"register ({connection.vendor})"
    return Aggregate(raw, total, Computation(where, lambda: [_inline(*q) for q in executed]))


def _inline(sql: str, params: Any) -> str:
    """The SQL with its parameters written in, to be read (not run)."""

    def literal(value: Any) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, int | float | Decimal):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"

    return sql % tuple(literal(p) for p in params or ())


def compute(
    indicator: Indicator | str,
    period: Period | str,
    scope: Scope = EVERYTHING,
    by: Sequence[str] = (),
    *,
    provisional: bool = False,
) -> Result:
    """The indicator's value for the period and scope, broken down by `by`."""
    if isinstance(indicator, str):
        indicator = get_indicator(indicator)
    if isinstance(period, str):
        period = Period.parse(period)
    by = tuple(by)
    _check_breakdown(indicator, by)
    if indicator.rule == Indicator.Rule.RATIO:
        return _compute_ratio(indicator, period, scope, by, provisional)

    programme = programme_rule(indicator.rule)
    aggregate = None
    if programme is not None:
        aggregate = programme.aggregate(indicator, period, scope, by, provisional)
    elif _aggregator is not None:
        aggregate = _aggregator(indicator, period, scope, by, provisional)
    if aggregate is None:
        aggregate = register_aggregate(indicator, period, scope, by, provisional)
    rows = _label_rows(by, aggregate.rows, indicator.rule) if by else []
    return Result(
        indicator,
        period,
        scope,
        by,
        provisional,
        aggregate.total,
        rows,
        [aggregate.computed_by],
    )


def _check_breakdown(indicator: Indicator, by: tuple[str, ...]) -> None:
    dims = set(dimensions_for(indicator.rule))
    terms = (indicator.numerator, indicator.denominator)
    if indicator.rule == Indicator.Rule.RATIO and any(
        t is not None and programme_rule(t.rule) for t in terms
    ):  # a ratio of programme figures (women's share of seats): what both terms allow
        dims = set.intersection(*(set(dimensions_for(t.rule)) for t in terms if t is not None))
    allowed = set(indicator.disaggregations or ()) & dims
    refused = [dim for dim in by if dim not in allowed]
    if refused or len(set(by)) != len(by):
        raise EngineError(
            _("“%(indicator)s” cannot be broken down by %(dims)s. Allowed: %(allowed)s.")
            % {
                "indicator": indicator.code,
                "dims": ", ".join(refused or by),
                "allowed": ", ".join(sorted(allowed)) or "–",
            }
        )


def _compute_ratio(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Result:
    assert indicator.numerator and indicator.denominator
    with shared_answers():  # a programme rule may answer both terms from one query
        num = compute(indicator.numerator, period, scope, by, provisional=provisional)
        den = compute(indicator.denominator, period, scope, by, provisional=provisional)
    den_by_key = {tuple(m.code for m in row.key.values()): row.value for row in den.rows}
    rows = [
        Row(row.key, _divide(row.value, den_by_key.get(tuple(m.code for m in row.key.values()))))
        for row in num.rows
    ]
    total = _divide(num.total, den.total)
    computed_by = num.computed_by + den.computed_by
    return Result(indicator, period, scope, by, provisional, total, rows, computed_by)


def _divide(numerator: Number | None, denominator: Number | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


# --- labels ------------------------------------------------------------------------

_FK_MODELS: dict[str, type[models.Model]] = {
    "region": Place,
    "activity_type": ActivityType,
    "theme": Theme,
    "campaign": Campaign,
    "project": Project,
    "organiser": Organisation,
    "audience": Audience,
    "age_group": AgeGroup,
}


def _label_rows(
    by: tuple[str, ...], raw: list[tuple[tuple[Any, ...], Number]], rule: str = ""
) -> list[Row]:
    programme = programme_rule(rule)
    own = {code for code, _label in programme.dimensions} if programme else set()
    members: list[dict[Any, Member]] = []
    for i, dim in enumerate(by):
        values = {key[i] for key, _value in raw}
        if dim in own and programme is not None and programme.members is not None:
            members.append({None: Member("", _("not set")), **programme.members(dim, values)})
        else:
            members.append(_members(dim, values))
    rows = [Row({dim: members[i][key[i]] for i, dim in enumerate(by)}, value) for key, value in raw]
    rows.sort(key=lambda r: tuple(m.code for m in r.key.values()))
    return rows


def _members(dim: str, values: Iterable[Any]) -> dict[Any, Member]:
    values = set(values)
    none = Member("", _("not set"))
    out: dict[Any, Member] = {None: none}
    if dim in _FK_MODELS:
        model = _FK_MODELS[dim]
        objects = model._default_manager.all()
        if model is Place:
            objects = objects.defer("boundary")  # labels need no geometry
        for pk, obj in objects.in_bulk([v for v in values if v is not None]).items():
            code = getattr(obj, "pcode", "") or getattr(obj, "code", "") or str(pk)
            out[pk] = Member(code, str(obj.name if hasattr(obj, "name") else obj))
        return out
    for value in values:
        if value is None:
            continue
        out[value] = Member(str(value), _member_label(dim, str(value)))
    return out


def _member_label(dim: str, code: str) -> str:
    if dim == "sex":
        return str(Sex(code).label)
    if dim == "medium":
        return str(MediaReach.Medium(code).label)
    if dim in ("month", "quarter"):
        return Period.parse(code).label()
    return code


# --- the headline figures ----------------------------------------------------------


def headline(
    period: Period, scope: Scope = EVERYTHING, *, provisional: bool = False
) -> list[Result]:
    """ "L'Unité Genre en chiffres": every headline indicator for the period."""
    indicators = (
        Indicator.objects.filter(is_headline=True)
        .select_related("numerator", "denominator")
        .prefetch_related(*FILTER_FIELDS)
        .order_by("order", "code")
    )
    with batch():
        return [compute(i, period, scope, provisional=provisional) for i in indicators]
