"""The counting rules of gender mainstreaming, registered with the one engine
(`musow.indicators.rules`), so that its indicators are data like every other and are
computed, broken down, labelled, combined in ratios and explained by the engine.

Reviews (`gem-reviews*`) count the reviews dated in the period (review date), by
document kind, marker (0–3, 2a/2b counted as 2), owner section, region and period parts.
`gem-reviews-sc` counts the reports to the Security Council, `gem-reviews-sc-analysis`
those whose checklist says "contains a gender analysis: yes" (the share is a ratio
indicator of the two).

Recommendations (`gem-recommendations*`) are a stock at the period's END: those made on
or before it (year, quarter, month: of the day they were made), those accepted by then
(implemented ones included: they were accepted first), implemented by then, and overdue
then (due before the period's end, neither implemented nor declined by then).

Budgets (`gem-budget*`) sum projects' budget lines (USD) of the years the period
overlaps, by year, owner section and marker; `gem-budget-significant` those coded 2 or 3
(UN-SWAP's financial benchmark: the share is a ratio indicator). Budgets are annual: no
quarter, month or region.

Scopes: a region scope keeps the reviews (and their recommendations) of those regions,
and no budget; an organisation scope those of the organisation (a partner's own), and no
budget; a project scope those of the projects. Drafts do not exist here: `provisional`
changes nothing. Each figure is one GROUP BY in the database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.engine import Aggregate, Computation, Member, Scope, _inline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.rules import ProgrammeRule, rule_register
from musow.lib.i18n import localized
from musow.mainstreaming.models import (
    GENDER_ANALYSIS,
    SECURITY_COUNCIL_REPORT,
    Answer,
    DocumentKind,
    Marker,
    ProjectBudget,
    Recommendation,
    Review,
    ReviewAnswer,
    Section,
)

DIMENSIONS = (
    ("document_kind", _("document kind")),
    ("marker", _("Gender Equality Marker")),
    ("section", _("owner section")),
)


@dataclass(frozen=True)
class Counted:
    """What one rule counts: its rows in the period and scope, the value, and where each
    dimension is read on the rows."""

    rows: Callable[[Period, Scope], QuerySet[Any]]
    value: Callable[[], Any]
    dims: dict[str, Callable[[], Any]]


def _date_dims(date: str, region: str) -> dict[str, Callable[[], Any]]:
    return {
        "year": lambda: YearOf(date),
        "quarter": lambda: QuarterOf(date),
        "month": lambda: MonthOf(date),
        "region": lambda: F(region),
    }


def _scoped(qs: QuerySet[Any], scope: Scope, prefix: str) -> QuerySet[Any]:
    if scope.regions:
        qs = qs.filter(**{f"{prefix}region_id__in": scope.regions})
    if scope.organisations:
        qs = qs.filter(**{f"{prefix}organisation_id__in": scope.organisations})
    if scope.projects:
        qs = qs.filter(**{f"{prefix}project_id__in": scope.projects})
    if scope.campaigns:
        qs = qs.none()
    return qs


# --- reviews -------------------------------------------------------------------------

_ANALYSED = Exists(
    ReviewAnswer.objects.filter(
        review_id=OuterRef("pk"), item__code=GENDER_ANALYSIS, answer=Answer.YES
    )
)
_REVIEW_DIMS = {
    **_date_dims("reviewed_on", "region_id"),
    "document_kind": lambda: F("kind__code"),
    "marker": lambda: F("marker"),
    "section": lambda: F("section__code"),
}


def _reviews(condition: Q | Exists | None = None) -> Counted:
    def rows(period: Period, scope: Scope) -> QuerySet[Any]:
        qs = Review.objects.filter(reviewed_on__range=(period.start, period.end))
        if condition is not None:
            qs = qs.filter(condition)
        return _scoped(qs, scope, "")

    return Counted(rows, lambda: Count("id"), _REVIEW_DIMS)


# --- recommendations: the stock at the period's end ----------------------------------

_RECOMMENDATION_DIMS = {
    **_date_dims("made_on", "review__region_id"),
    "document_kind": lambda: F("review__kind__code"),
    "marker": lambda: F("review__marker"),
    "section": lambda: F("section__code"),
}


def _open_at(end: Any) -> Q:
    return (Q(implemented_on__isnull=True) | Q(implemented_on__gt=end)) & (
        Q(not_accepted_on__isnull=True) | Q(not_accepted_on__gt=end)
    )


def _recommendations(condition: Callable[[Period], Q] | None = None) -> Counted:
    def rows(period: Period, scope: Scope) -> QuerySet[Any]:
        qs = Recommendation.objects.filter(made_on__lte=period.end)
        if condition is not None:
            qs = qs.filter(condition(period))
        return _scoped(qs, scope, "review__")

    return Counted(rows, lambda: Count("id"), _RECOMMENDATION_DIMS)


# --- budgets ---------------------------------------------------------------------------

_BUDGET_DIMS: dict[str, Callable[[], Any]] = {
    "year": lambda: Cast("year", models.CharField(max_length=4)),
    "quarter": lambda: Value(None, models.CharField()),
    "month": lambda: Value(None, models.CharField()),
    "region": lambda: Value(None, models.IntegerField()),
    "marker": lambda: F("project_marker__marker"),
    "section": lambda: F("project_marker__section__code"),
    "document_kind": lambda: Value(None, models.CharField()),
}


def _budgets(condition: Q | None = None) -> Counted:
    def rows(period: Period, scope: Scope) -> QuerySet[Any]:
        qs = ProjectBudget.objects.filter(year__range=(period.start.year, period.end.year))
        if condition is not None:
            qs = qs.filter(condition)
        if scope.regions or scope.organisations or scope.campaigns:
            return qs.none()
        if scope.projects:
            qs = qs.filter(project_marker__project_id__in=scope.projects)
        return qs

    return Counted(rows, lambda: Sum("amount"), _BUDGET_DIMS)


COUNTED: dict[str, tuple[Any, Counted]] = {
    "gem-reviews": (_("gender reviews of documents"), _reviews()),
    "gem-reviews-sc": (
        _("reviews of reports to the Security Council"),
        _reviews(Q(kind__code=SECURITY_COUNCIL_REPORT)),
    ),
    "gem-reviews-sc-analysis": (
        _("reviews of reports to the Security Council with a gender analysis"),
        _reviews(Q(kind__code=SECURITY_COUNCIL_REPORT) & Q(_ANALYSED)),
    ),
    "gem-recommendations": (_("recommendations made (by the period's end)"), _recommendations()),
    "gem-recommendations-accepted": (
        _("recommendations accepted (by the period's end)"),
        _recommendations(lambda p: Q(accepted_on__lte=p.end)),
    ),
    "gem-recommendations-implemented": (
        _("recommendations implemented (by the period's end)"),
        _recommendations(lambda p: Q(implemented_on__lte=p.end)),
    ),
    "gem-recommendations-overdue": (
        _("recommendations overdue at the period's end"),
        _recommendations(lambda p: Q(due_date__lt=p.end) & _open_at(p.end)),
    ),
    "gem-budget": (_("project budgets with a Gender Equality Marker (USD)"), _budgets()),
    "gem-budget-significant": (
        _("project budgets coded 2 or 3 (USD)"),
        _budgets(Q(project_marker__marker__gte=2)),
    ),
}


def _aggregator(counted: Counted) -> Callable[..., Aggregate]:
    def aggregate(
        indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
    ) -> Aggregate:
        del indicator, provisional  # no drafts here; the rule says what is counted
        executed: list[tuple[str, Any]] = []

        def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            executed.append((sql, params))
            return execute(sql, params, many, context)

        qs = counted.rows(period, scope).order_by()
        with connection.execute_wrapper(capture):
            if not by:
                raw: list[tuple[tuple[Any, ...], Any]] = []
                total = qs.aggregate(value=counted.value())["value"] or 0
            else:
                aliases = {f"d_{dim}": counted.dims[dim]() for dim in by}
                grouped = qs.values(**aliases).annotate(value=counted.value()).order_by()
                raw = [(tuple(r[f"d_{d}"] for d in by), r["value"] or 0) for r in grouped]
                total = sum((value for _key, value in raw), 0)
        where = f"register ({connection.vendor}), gender mainstreaming"
        return Aggregate(raw, total, Computation(where, lambda: [_inline(*q) for q in executed]))

    return aggregate


def _members(dim: str, values: set[Any]) -> dict[Any, Member]:
    known = [v for v in values if v is not None]
    if dim == "marker":
        return {v: Member(str(v), str(Marker(int(v)).label)) for v in known}
    model = {"document_kind": DocumentKind, "section": Section}[dim]
    names = {t.code: localized(t, "name") for t in model.objects.filter(code__in=known)}
    return {v: Member(str(v), names.get(v, str(v))) for v in known}


def rules_register() -> None:
    """Register every rule of this module with the engine (from AppConfig.ready)."""
    for code, (label, counted) in COUNTED.items():
        rule_register(
            ProgrammeRule(
                code=code,
                label=label,
                dimensions=DIMENSIONS,
                aggregate=_AGGREGATES.setdefault(code, _aggregator(counted)),
                members=_members,
            )
        )


_AGGREGATES: dict[str, Callable[..., Aggregate]] = {}
