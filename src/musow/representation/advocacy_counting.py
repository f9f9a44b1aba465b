"""The counting rules of what women's organisations asked for and what the agreements
say, registered with the one engine (`musow.indicators.rules`):

- recommendations (a stock): every recommendation of the validated submissions made up to
  the period's end, each once, at its latest follow-up status by then (submitted when it
  has none yet); by year, quarter or month, the stock at the end of each part. None ("no
  data") when no recommendation was made by then; an indicator's `follow_up` statuses
  (`IndicatorBodies`) pick the ones it counts, so that a share reflected is 0, not None,
  when none is.
- submissions (a flow): validated submissions made in the period.
- agreements (a flow): validated agreements and decisions signed in the period; an
  indicator's `provisions` keeps those containing at least one of them; by `provision`,
  one row per provision (and "none" for agreements without any).
- signatories (a flow): the signatories of those agreements by sex (counts, no names).

All break down by body, kind of body, process and region (of the body's place); the
recommendations and submissions also by organisation (a joint submission counts once for
each of its organisations: never add those rows up).
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities.models import Organisation
from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.engine import Aggregate, Computation, EngineError, Member, Scope, _inline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.rules import ProgrammeRule, rule_register
from musow.representation.counting import DATE_PARTS, _parts, _statuses
from musow.representation.counting import members as table_members
from musow.representation.models import (
    Agreement,
    FollowUp,
    FollowUpStep,
    GenderProvision,
    IndicatorBodies,
    Process,
    Recommendation,
    Submission,
)

PLACED = (
    ("body", gettext_lazy("body")),
    ("body_kind", gettext_lazy("kind of body")),
    ("process", gettext_lazy("process")),
)
ORGANISATION = (("organisation", gettext_lazy("organisation")),)
FOLLOW_UP_DIM = (("follow_up", gettext_lazy("follow-up")),)
SUBMISSION_KIND = (("submission_kind", gettext_lazy("kind of document")),)
PROVISION = (("provision", gettext_lazy("gender provision")),)
SEX = (("sex", gettext_lazy("sex")),)


def _limits(indicator: Indicator) -> IndicatorBodies | None:
    cache = indicator.__dict__.setdefault("_advocacy_limits", [])
    if not cache:
        cache.append(IndicatorBodies.objects.filter(indicator=indicator).first())
    return cache[0]


def _where(indicator: Indicator, scope: Scope, record: str) -> Q | None:
    """The indicator's and the scope's restrictions (None: nothing can match). `record` is
    the path from the counted rows to the submission or agreement ("" for itself)."""
    p = (lambda name: f"{record}__{name}") if record else (lambda name: name)
    if scope.campaigns or scope.projects:
        return None
    q = Q()
    regions = tuple(r.pk for r in indicator.regions.all())
    if regions:
        q &= Q(**{f"{p('body__place__region_id')}__in": regions})
    if scope.regions:
        q &= Q(**{f"{p('body__place__region_id')}__in": scope.regions})
    if scope.organisations:
        if record.endswith("submission") or record == "":
            ids = Submission.objects.filter(organisations__in=scope.organisations).values("pk")
            q &= Q(**{f"{p('pk')}__in": ids})
        else:
            return None  # an agreement belongs to no organisation
    limits = _limits(indicator)
    if limits is not None:
        if limits.body_kinds:
            q &= Q(**{f"{p('body__kind')}__in": limits.body_kinds})
        if limits.levels:
            q &= Q(**{f"{p('body__level')}__in": limits.levels})
    return q


def _placed_columns(record: str) -> dict[str, Any]:
    p = (lambda name: f"{record}__{name}") if record else (lambda name: name)
    return {
        "body": F(p("body__code")),
        "body_kind": F(p("body__kind")),
        "process": F(p("process__code")),
        "region": F(p("body__place__region_id")),
    }


def _capturing(run: Callable[[], tuple[list[Any], Any]]) -> Aggregate:
    executed: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        raw, total = run()
    where = f"register ({connection.vendor})"
    return Aggregate(raw, total, Computation(where, lambda: [_inline(*q) for q in executed]))


def _grouped(qs: QuerySet[Any], columns: dict[str, Any], by: tuple[str, ...], value: Any) -> Any:
    grouped = qs.values(**{f"d_{d}": columns[d] for d in by}).annotate(value=value).order_by()
    return [(tuple(r[f"d_{d}"] for d in by), r["value"] or 0) for r in grouped]


# --- recommendations: a stock --------------------------------------------------------


def _recommendations_at(
    indicator: Indicator, end: date, scope: Scope, provisional: bool
) -> QuerySet[Recommendation] | None:
    """Each recommendation made by `end`, annotated with its status at `end`."""
    where = _where(indicator, scope, "submission")
    if where is None:
        return None
    latest = (
        FollowUpStep.objects.filter(recommendation=OuterRef("pk"), on__lte=end)
        .order_by("-on", "-pk")
        .values("status")[:1]
    )
    return (
        Recommendation.objects.filter(
            where,
            submission__status__in=_statuses(provisional),
            submission__submitted_on__lte=end,
        )
        .annotate(status_at=Coalesce(Subquery(latest), Value(FollowUp.SUBMITTED.value)))
        .order_by()
    )


def _recommendation_stock(
    indicator: Indicator, end: date, scope: Scope, provisional: bool, by: tuple[str, ...]
) -> tuple[list[tuple[tuple[Any, ...], Any]], Any]:
    qs = _recommendations_at(indicator, end, scope, provisional)
    if qs is None:
        return [], None
    limits = _limits(indicator)
    statuses = list(limits.follow_up) if limits is not None and limits.follow_up else []
    chosen = Q(status_at__in=statuses) if statuses else Q()
    if "follow_up" in by:
        qs, value = qs.filter(chosen), Count("pk", distinct=True)
    else:
        value = Count("pk", filter=chosen, distinct=True)
    if not by:
        got = qs.aggregate(value=value, n=Count("pk"))
        return [], (got["value"] or 0) if got["n"] else None
    columns = {
        **_placed_columns("submission"),
        "organisation": F("submission__organisations__code"),
        "follow_up": F("status_at"),
        "submission_kind": F("submission__kind"),
    }
    rows = _grouped(qs, columns, by, value)
    return rows, (sum(v for _k, v in rows) if rows else None)


def recommendations_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    parts = [d for d in by if d in DATE_PARTS]
    if len(parts) > 1:
        raise EngineError(_("A stock is broken down by one of year, quarter or month at a time."))

    def run() -> tuple[list[Any], Any]:
        _rows, total = _recommendation_stock(indicator, period.end, scope, provisional, ())
        if not parts:
            rows = _recommendation_stock(indicator, period.end, scope, provisional, by)[0]
            return (rows if by else []), total
        raw: list[Any] = []
        at = by.index(parts[0])
        others = tuple(d for d in by if d not in DATE_PARTS)
        for code, _start, end in _parts(period, parts[0]):
            rows, part_total = _recommendation_stock(indicator, end, scope, provisional, others)
            if not others and part_total is not None:
                rows = [((), part_total)]
            raw += [((*key[:at], code, *key[at:]), value) for key, value in rows]
        return raw, total

    return _capturing(run)


# --- submissions, agreements, signatories: flows --------------------------------------


def _date_columns(field: str) -> dict[str, Any]:
    return {"year": YearOf(field), "quarter": QuarterOf(field), "month": MonthOf(field)}


def submissions_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    def run() -> tuple[list[Any], Any]:
        where = _where(indicator, scope, "")
        if where is None:
            return [], 0
        qs = Submission.objects.filter(
            where,
            status__in=_statuses(provisional),
            submitted_on__range=(period.start, period.end),
        ).order_by()
        value = Count("pk", distinct=True)
        total = qs.aggregate(value=value)["value"] or 0
        if not by:
            return [], total
        columns = {
            **_placed_columns(""),
            **_date_columns("submitted_on"),
            "organisation": F("organisations__code"),
            "submission_kind": F("kind"),
        }
        return _grouped(qs, columns, by, value), total

    return _capturing(run)


def _agreements(
    indicator: Indicator, period: Period, scope: Scope, provisional: bool
) -> QuerySet[Agreement] | None:
    where = _where(indicator, scope, "")
    if where is None:
        return None
    qs = Agreement.objects.filter(
        where, status__in=_statuses(provisional), signed_on__range=(period.start, period.end)
    )
    limits = _limits(indicator)
    if limits is not None and limits.provisions:
        with_them = Agreement.objects.filter(provisions__code__in=limits.provisions)
        qs = qs.filter(pk__in=with_them.values("pk"))
    return qs.order_by()


def agreements_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    def run() -> tuple[list[Any], Any]:
        qs = _agreements(indicator, period, scope, provisional)
        if qs is None:
            return [], 0
        value = Count("pk", distinct=True)
        total = qs.aggregate(value=value)["value"] or 0
        if not by:
            return [], total
        columns = {
            **_placed_columns(""),
            **_date_columns("signed_on"),
            "provision": F("provisions__code"),
        }
        return _grouped(qs, columns, by, value), total

    return _capturing(run)


def signatories_aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate:
    """Signatories by sex: one row per sex from the two counts of each agreement; None when
    no agreement of the period gives its signatories."""
    sexes = [s for s in ("f", "m") if not indicator.sexes or s in indicator.sexes]
    field = {"f": "signatories_women", "m": "signatories_men"}

    def run() -> tuple[list[Any], Any]:
        qs = _agreements(indicator, period, scope, provisional)
        if qs is None:
            return [], None
        others = tuple(d for d in by if d != "sex")
        columns = {**_placed_columns(""), **_date_columns("signed_on")}
        merged: dict[tuple[Any, ...], int] = {}
        given = False
        for sex in sexes:
            counted = qs.filter(**{f"{field[sex]}__isnull": False})
            if others:
                rows = _grouped(counted, columns, others, Sum(field[sex]))
            else:
                got = counted.aggregate(value=Sum(field[sex]))["value"]
                rows = [((), got)] if got is not None else []
            for key, value in rows:
                given = True
                full = tuple(sex if d == "sex" else key[others.index(d)] for d in by)
                merged[full] = merged.get(full, 0) + int(value or 0)
        total = sum(merged.values()) if given else None
        return (list(merged.items()) if by else []), total

    return _capturing(run)


# --- labels ----------------------------------------------------------------------------


def members(dim: str, values: set[Any]) -> dict[Any, Member]:
    values = {v for v in values if v is not None}
    if dim in ("body", "body_kind", "sex"):
        return table_members(dim, values)
    if dim == "process":
        return {p.code: Member(p.code, p.name) for p in Process.objects.filter(code__in=values)}
    if dim == "organisation":
        found = Organisation.objects.filter(code__in=values)
        return {o.code: Member(o.code, str(o)) for o in found}
    if dim == "provision":
        found_provisions = GenderProvision.objects.filter(code__in=values)
        return {p.code: Member(p.code, p.name) for p in found_provisions}
    labels: dict[str, Any] = {
        "follow_up": dict(FollowUp.choices),
        "submission_kind": dict(Submission.Kind.choices),
    }[dim]
    return {v: Member(str(v), str(labels.get(v, v))) for v in values}


def _provision_members(dim: str, values: set[Any]) -> dict[Any, Member]:
    out = members(dim, values)
    if dim == "provision":
        out[None] = Member("none", _("no gender provision"))
    return out


RECOMMENDATIONS = ProgrammeRule(
    code="recommendations",
    label=gettext_lazy(
        "recommendations of women's organisations at their latest follow-up (a stock)"
    ),
    dimensions=(*FOLLOW_UP_DIM, *ORGANISATION, *SUBMISSION_KIND, *PLACED),
    aggregate=recommendations_aggregate,
    members=members,
    additive=False,  # a stock, and a joint submission counts for each organisation
)
SUBMISSIONS = ProgrammeRule(
    code="submissions",
    label=gettext_lazy("submissions by women's organisations"),
    dimensions=(*ORGANISATION, *SUBMISSION_KIND, *PLACED),
    aggregate=submissions_aggregate,
    members=members,
    additive=False,  # a joint submission counts once for each organisation
)
AGREEMENTS = ProgrammeRule(
    code="agreements",
    label=gettext_lazy("agreements and decisions"),
    dimensions=(*PROVISION, *PLACED),
    aggregate=agreements_aggregate,
    members=_provision_members,
    additive=False,  # an agreement counts once for each provision it contains
)
SIGNATORIES = ProgrammeRule(
    code="signatories",
    label=gettext_lazy("signatories of agreements and decisions"),
    dimensions=(*SEX, *PLACED),
    aggregate=signatories_aggregate,
    members=members,
)


def rules_register() -> None:
    for rule in (RECOMMENDATIONS, SUBMISSIONS, AGREEMENTS, SIGNATORIES):
        rule_register(rule)
