"""The counting rules of elections, registered with the one engine
(`musow.indicators.rules`). All are flows: sums over the validated candidate lists of
the elections held in the period.

- `candidates`: candidates by sex (from the lists' positions);
- `elected`: the elected by sex, of the lists that give both the women and the men
  elected (so that a share of women among the elected is never taken over a total that
  lacks the men);
- `elected-reported`: every number of elected the sources give, by sex — a total that
  gives only the women (e.g. the communal elections of 2016) counts here, and its men
  are "no data";
- `candidate-lists`, `lists-failing-art2`, `lists-failing-art3`: numbers of lists (all,
  and those not meeting art. 2 or art. 3 of Law No. 2015-052).

A figure with no list behind it is None ("no data"), not 0. Breakdowns: year, quarter,
month, region (of the list's place), sex (not for lists), kind of election, election,
and the council the list is for.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy

from musow.elections.models import SEAT_SEXES, CandidateList, Council, Election, Status
from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.engine import Aggregate, Computation, Member, Scope, _inline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.rules import ProgrammeRule, rule_register

LIST_DIMENSIONS = (
    ("election_kind", gettext_lazy("kind of election")),
    ("election", gettext_lazy("election")),
    ("council", gettext_lazy("body the list is for")),
)
PEOPLE_DIMENSIONS = (("sex", gettext_lazy("sex")), *LIST_DIMENSIONS)
COLUMNS: dict[str, Any] = {
    "election_kind": F("election__kind"),
    "election": F("election__code"),
    "council": F("council"),
    "region": F("place__region_id"),
    "year": YearOf("election__held_on"),
    "quarter": QuarterOf("election__held_on"),
    "month": MonthOf("election__held_on"),
}


def _lists(
    indicator: Indicator, period: Period, scope: Scope, provisional: bool
) -> QuerySet[CandidateList] | None:
    if scope.organisations or scope.campaigns or scope.projects:
        return None  # lists belong to no organisation, campaign or project
    statuses = list(Status.values) if provisional else [Status.VALIDATED]
    qs = CandidateList.objects.filter(
        status__in=statuses, election__held_on__range=(period.start, period.end)
    )
    regions = tuple(r.pk for r in indicator.regions.all())
    if regions:
        qs = qs.filter(place__region_id__in=regions)
    if scope.regions:
        qs = qs.filter(place__region_id__in=scope.regions)
    return qs.order_by()


def _capturing(run: Callable[[], tuple[list[Any], Any]]) -> Aggregate:
    executed: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        raw, total = run()
    where = f"register ({connection.vendor})"
    return Aggregate(raw, total, Computation(where, lambda: [_inline(*q) for q in executed]))


def _people(women: str, men: str, complete: bool) -> Callable[..., Aggregate]:
    """A rule summing the `women` and `men` columns of the lists, by sex."""

    def aggregate(
        indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
    ) -> Aggregate:
        def run() -> tuple[list[Any], Any]:
            qs = _lists(indicator, period, scope, provisional)
            if qs is None:
                return [], None
            if complete:
                qs = qs.filter(**{f"{women}__isnull": False, f"{men}__isnull": False})
            sexes = [s for s in ("f", "m") if not indicator.sexes or s in indicator.sexes]
            others = tuple(d for d in by if d != "sex")
            sums = {"f": Sum(women), "m": Sum(men), "nf": Count(women), "nm": Count(men)}
            grouped: Iterable[dict[str, Any]]
            if others:
                grouped = qs.values(**{f"d_{d}": COLUMNS[d] for d in others}).annotate(**sums)
            else:
                grouped = [qs.aggregate(**sums)]
            raw: list[tuple[tuple[Any, ...], Any]] = []
            for row in grouped:
                key = [row[f"d_{d}"] for d in others]
                given = [(s, row[s] or 0) for s in sexes if row[f"n{s}"]]
                if not given:
                    continue
                if "sex" in by:
                    at = by.index("sex")
                    raw += [((*key[:at], s, *key[at:]), n) for s, n in given]
                else:
                    raw.append((tuple(key), sum(n for _s, n in given)))
            total = sum(v for _k, v in raw) if raw else None
            return (raw if by else []), total

        return _capturing(run)

    return aggregate


def _lists_count(where: Q) -> Callable[..., Aggregate]:
    """A rule counting the lists (not the totals) that match `where`."""

    def aggregate(
        indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
    ) -> Aggregate:
        def run() -> tuple[list[Any], Any]:
            qs = _lists(indicator, period, scope, provisional)
            if qs is None:
                return [], None
            counted = qs.filter(is_total=False)
            has_data = counted.exists()
            counted = counted.filter(where)
            if not by:
                return [], counted.count() if has_data else None
            grouped = counted.values(**{f"d_{d}": COLUMNS[d] for d in by}).annotate(n=Count("id"))
            raw = [(tuple(r[f"d_{d}"] for d in by), r["n"]) for r in grouped]
            return raw, (sum(v for _k, v in raw) if has_data else None)

        return _capturing(run)

    return aggregate


def members(dim: str, values: set[Any]) -> dict[Any, Member]:
    values = {v for v in values if v is not None}
    if dim == "election":
        return {e.code: Member(e.code, e.name) for e in Election.objects.filter(code__in=values)}
    labels: dict[str, Any] = {
        "sex": dict(SEAT_SEXES),
        "election_kind": dict(Election.Kind.choices),
        "council": dict(Council.choices),
    }[dim]
    return {v: Member(str(v), str(labels.get(v, v))) for v in values}


RULES = (
    ProgrammeRule(
        code="candidates",
        label=gettext_lazy("candidates on the validated lists of the period's elections"),
        dimensions=PEOPLE_DIMENSIONS,
        aggregate=_people("candidates_women", "candidates_men", complete=False),
        members=members,
    ),
    ProgrammeRule(
        code="elected",
        label=gettext_lazy("elected, of the lists that give both women and men elected"),
        dimensions=PEOPLE_DIMENSIONS,
        aggregate=_people("elected_women", "elected_men", complete=True),
        members=members,
    ),
    ProgrammeRule(
        code="elected-reported",
        label=gettext_lazy("elected, as the sources report them (a sex not given is no data)"),
        dimensions=PEOPLE_DIMENSIONS,
        aggregate=_people("elected_women", "elected_men", complete=False),
        members=members,
    ),
    ProgrammeRule(
        code="candidate-lists",
        label=gettext_lazy("candidate lists"),
        dimensions=LIST_DIMENSIONS,
        aggregate=_lists_count(Q()),
        members=members,
    ),
    ProgrammeRule(
        code="lists-failing-art2",
        label=gettext_lazy("candidate lists not meeting art. 2 of Law No. 2015-052"),
        dimensions=LIST_DIMENSIONS,
        aggregate=_lists_count(Q(art2="fails")),
        members=members,
    ),
    ProgrammeRule(
        code="lists-failing-art3",
        label=gettext_lazy("candidate lists not meeting art. 3 of Law No. 2015-052"),
        dimensions=LIST_DIMENSIONS,
        aggregate=_lists_count(Q(art3="fails")),
        members=members,
    ),
)


def rules_register() -> None:
    for rule in RULES:
        rule_register(rule)
