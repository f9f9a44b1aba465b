"""The trainings' counting rules, registered with the one engine (indicators.rules).

Who is counted: a trainee is a person (a pseudonymous attendee) on a course; a person on
two sessions of one course is one trainee of that course (distinct course × attendee), a
person on two courses is a trainee of each. Not additive: a total is never the sum of its
breakdown.

- `trainees`: attended a session of a course ("sensitised");
- `trainees_completed`, `trainees_pre_tested`, `trainees_post_tested` (these two also by
  `score_band`, the band of that test's score: 0–39, 40–69, 70–100), `trainees_passed`
  (post-test score at or above the course's pass mark), `trainees_trained` (completed and
  post-tested);
- `trainees_followed_3` / `_9`, `trainees_applying_3` / `_9` (applied at work, fully or
  partly, at the 3- or 9-month follow-up);
- `mean_pre_score`, `mean_post_score`, `mean_gain` (post − pre, of those with both),
  `mean_reaction`: means over trainees, each trainee once per course — their latest
  session with that measure. A missing test is no data, never 0; means are never summed.

Shares are indicators of the engine's `ratio` rule over these (pass rate =
trainees_passed / trainees_post_tested; completion rate = trainees_completed / trainees).
Only validated activities count unless provisional; the period, the scope (regions,
organisations), and the indicator's activity types, projects, regions and sexes apply.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Concat, RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities.models import Activity, Sex
from musow.indicators.dateparts import MonthOf, QuarterOf, YearOf
from musow.indicators.engine import Aggregate, Computation, Member, Scope, _inline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.rules import ProgrammeRule, rule_register
from musow.trainings.models import (
    Category,
    Component,
    Course,
    FollowUp,
    RankBand,
    TestResult,
    Trainee,
)

ACTIVITY = "session__activity__"
DIMENSIONS = (
    ("course", gettext_lazy("course")),
    ("sex", gettext_lazy("sex")),
    ("component", gettext_lazy("component")),
    ("category", gettext_lazy("category")),
    ("country", gettext_lazy("contributing country")),
    ("rank_band", gettext_lazy("rank band")),
)
# The score band of the test a count is about (pre-tested: the pre-test's; post-tested:
# the post-test's): the distribution of scores, for the pre/post chart by sex.
BAND_DIMENSION = ("score_band", gettext_lazy("score band"))
# Three bands: the charts' three series colours stay 3:1 apart (lib/svg.py).
BANDS: tuple[tuple[int, str, str], ...] = (
    (40, "00-39", "0–39"),
    (70, "40-69", "40–69"),
    (101, "70-100", "70–100"),
)
BAND_LABELS = {code: label for _limit, code, label in BANDS}


def _band(field: str) -> Case:
    whens = [When(**{f"{field}__lt": limit}, then=Value(code)) for limit, code, _l in BANDS]
    return Case(*whens, default=Value(""), output_field=CharField())


_COLUMNS: dict[str, Callable[[], Any]] = {
    "year": lambda: YearOf(f"{ACTIVITY}start_date"),
    "quarter": lambda: QuarterOf(f"{ACTIVITY}start_date"),
    "month": lambda: MonthOf(f"{ACTIVITY}start_date"),
    "region": lambda: F(f"{ACTIVITY}place__region_id"),
    "course": lambda: F("session__course_id"),
    "sex": lambda: F("attendee__sex"),
    "component": lambda: F("component"),
    "category": lambda: F("category"),
    "country": lambda: F("country"),
    "rank_band": lambda: F("rank_band"),
}
COUNTED = (
    Activity.Status.DRAFT,
    Activity.Status.SUBMITTED,
    Activity.Status.RETURNED,
    Activity.Status.VALIDATED,
)


def _tested(kind: str) -> Exists:
    return Exists(TestResult.objects.filter(trainee_id=OuterRef("pk"), kind=kind))


def _base(indicator: Indicator, period: Period, scope: Scope, provisional: bool) -> Q:
    """The trainees an indicator counts (before its own measure's condition)."""
    a = ACTIVITY
    statuses = COUNTED if provisional else (Activity.Status.VALIDATED,)
    q = Q(**{f"{a}status__in": statuses, f"{a}start_date__range": (period.start, period.end)})
    types = [t.pk for t in indicator.activity_types.all()]
    projects = [p.pk for p in indicator.projects.all()]
    regions = [r.pk for r in indicator.regions.all()]
    if types:
        q &= Q(**{f"{a}activity_type_id__in": types})
    if projects:
        q &= Q(**{f"{a}project_id__in": projects})
    if regions:
        q &= Q(**{f"{a}place__region_id__in": regions})
    if indicator.sexes:
        q &= Q(attendee__sex__in=indicator.sexes)
    if scope.regions:
        q &= Q(**{f"{a}place__region_id__in": scope.regions})
    if scope.campaigns:
        q &= Q(**{f"{a}campaign_id__in": scope.campaigns})
    if scope.projects:
        q &= Q(**{f"{a}project_id__in": scope.projects})
    if scope.organisations:
        partnered = Activity.partners.through.objects.filter(
            organisation_id__in=scope.organisations
        ).values("activity_id")
        q &= Q(**{f"{a}organiser_id__in": scope.organisations}) | Q(**{f"{a}id__in": partnered})
    return q


# What each rule keeps of the trainees, and what it computes on them.
_HAS: dict[str, Callable[[], Any]] = {
    "pre": lambda: _tested(TestResult.Kind.PRE),
    "post": lambda: _tested(TestResult.Kind.POST),
    "gain": lambda: _tested(TestResult.Kind.PRE) & _tested(TestResult.Kind.POST),
    "reaction": lambda: Q(reaction__isnull=False),
    "completed": lambda: Q(completed=True),
    "trained": lambda: Q(completed=True) & _tested(TestResult.Kind.POST),
    "followed_3": lambda: _followed(3),
    "followed_9": lambda: _followed(9),
    "applying_3": lambda: _followed(3, applying=True),
    "applying_9": lambda: _followed(9, applying=True),
}


def _followed(months: int, applying: bool = False) -> Exists:
    """Followed up at `months` (and applying at work, fully or partly)."""
    q = Q(trainee_id=OuterRef("pk"), months=months)
    if applying:
        q &= Q(applied__in=[FollowUp.Applied.YES, FollowUp.Applied.PARTLY])
    return Exists(FollowUp.objects.filter(q))


def _person() -> Any:
    """One trainee per course: the course and the attendee, as one value to count."""
    return Concat(
        Cast("session__course_id", CharField()),
        Value("-"),
        Cast("attendee_id", CharField()),
        output_field=CharField(),
    )


def _with_tests(qs: QuerySet[Trainee]) -> QuerySet[Trainee]:
    """Each trainee joined to its pre-test and post-test (none: NULL)."""
    return qs.annotate(
        pre_t=FilteredRelation("tests", condition=Q(tests__kind=TestResult.Kind.PRE)),
        post_t=FilteredRelation("tests", condition=Q(tests__kind=TestResult.Kind.POST)),
    )


# What a mean is over: the trainees with the measure (a missing test is no data).
_MEASURED: dict[str, Q] = {
    "pre": Q(pre_t__isnull=False),
    "post": Q(post_t__isnull=False),
    "gain": Q(pre_t__isnull=False, post_t__isnull=False),
    "reaction": Q(reaction__isnull=False),
}


def _latest(base: Q, measure: str, by: tuple[str, ...]) -> QuerySet[Any, Any]:
    """Every row the indicator counts that has the measure, with its rank among the same
    person's rows on the same course (1: their latest session, then the highest id), its
    value and its breakdown columns (a window function: one pass, where a correlated NOT
    EXISTS is quadratic on SQLite without statistics)."""
    a = ACTIVITY
    order = [F(f"{a}start_date").desc(), F("pk").desc()]
    rank = Window(
        RowNumber(), partition_by=[F("attendee_id"), F("session__course_id")], order_by=order
    )
    value = {
        "pre": lambda: F("pre_t__score"),
        "post": lambda: F("post_t__score"),
        "gain": lambda: F("post_t__score") - F("pre_t__score"),
        "reaction": lambda: F("reaction"),
    }[measure]()
    measured = _with_tests(Trainee.objects.filter(base)).filter(_MEASURED[measure])
    columns = {f"d_{dim}": _COLUMNS[dim]() for dim in by}
    return (
        measured.annotate(m_rank=rank, m_value=value, **columns)
        .values("m_rank", "m_value", *columns)
        .order_by()
    )


def _counting(condition: str | None) -> Callable[..., Aggregate]:
    def aggregate(
        indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
    ) -> Aggregate:
        qs = Trainee.objects.filter(_base(indicator, period, scope, provisional))
        if condition == "passed":
            qs = qs.filter(
                Exists(
                    TestResult.objects.filter(
                        trainee_id=OuterRef("pk"),
                        kind=TestResult.Kind.POST,
                        score__gte=OuterRef("session__course__pass_mark"),
                    )
                )
            )
        elif condition is not None:
            qs = qs.filter(_HAS[condition]())
        extra = {}
        if "score_band" in by:  # only the pre- and post-tested counts have it
            qs = _with_tests(qs)
            extra["score_band"] = lambda: _band(f"{condition}_t__score")
        return _grouped(qs, by, Count(_person(), distinct=True), extra)

    return aggregate


def _mean(measure: str) -> Callable[..., Aggregate]:
    def aggregate(
        indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
    ) -> Aggregate:
        base = _base(indicator, period, scope, provisional)
        return _mean_of_latest(_latest(base, measure, by), by)

    return aggregate


def _mean_of_latest(latest: QuerySet[Any, Any], by: tuple[str, ...]) -> Aggregate:
    """One query over the window's own rows: the sum and count of the measure per cell of
    the breakdown, its latest rows only. Each counted row falls in exactly one cell, so
    the total mean is the cells' summed sums over their summed counts (sums and counts
    are added, never means): no second query, no re-join of the chosen rows."""
    q = connection.ops.quote_name
    inner, params = latest.query.sql_with_params()
    dims = [f"x.{q(f'd_{dim}')}" for dim in by]
    sql = (
        f"SELECT {''.join(d + ', ' for d in dims)}SUM(x.{q('m_value')}), "
        f"COUNT(x.{q('m_value')}) FROM ({inner}) x WHERE x.{q('m_rank')} = 1"
        + (f" GROUP BY {', '.join(dims)}" if dims else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    raw, total_sum, total_count = [], 0.0, 0
    for row in rows:
        summed, count = row[len(by)], row[len(by) + 1]
        if not count:
            continue
        total_sum += float(summed)
        total_count += count
        if by:
            raw.append((tuple(row[: len(by)]), float(summed) / count))
    total: Any = total_sum / total_count if total_count else None
    computation = Computation(f"trainings ({connection.vendor})", lambda: [_inline(sql, params)])
    return Aggregate(raw, total, computation)


def _grouped(
    qs: QuerySet[Trainee],
    by: tuple[str, ...],
    value: Any,
    extra: dict[str, Callable[[], Any]] | None = None,
) -> Aggregate:
    executed: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    qs = qs.order_by()
    with connection.execute_wrapper(capture):
        total = qs.aggregate(value=value)["value"]
        raw = []
        if by:
            columns = {**_COLUMNS, **(extra or {})}
            aliases = {f"d_{dim}": columns[dim]() for dim in by}
            grouped = qs.values(**aliases).annotate(value=value).order_by()
            raw = [
                (tuple(r[f"d_{dim}"] for dim in by), _number(r["value"]))
                for r in grouped
                if r["value"] is not None
            ]
    computation = Computation(
        f"trainings ({connection.vendor})", lambda: [_inline(*q) for q in executed]
    )
    return Aggregate(raw, _number(total), computation)


def _number(value: Any) -> Any:
    """Counts stay integers; means are floats (None: no data)."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


def members(dim: str, values: set[Any]) -> dict[Any, Member]:
    out: dict[Any, Member] = {"": Member("", _("not set"))}
    if dim == "course":
        for course in Course.objects.filter(pk__in=[v for v in values if v is not None]):
            out[course.pk] = Member(course.code, course.title)
        return out
    choices: dict[str, Any] = {
        "sex": Sex,
        "component": Component,
        "category": Category,
        "rank_band": RankBand,
    }
    for value in values:
        if value in (None, ""):
            continue
        if dim == "score_band":
            out[value] = Member(value, BAND_LABELS.get(value, value))
        elif dim in choices and value in choices[dim].values:
            out[value] = Member(value, str(choices[dim](value).label))
        else:
            out[value] = Member(str(value), str(value))
    return out


RULES: tuple[tuple[str, Any, Callable[..., Aggregate]], ...] = (
    ("trainees", gettext_lazy("trainees (attended a session of a course)"), _counting(None)),
    (
        "trainees_completed",
        gettext_lazy("trainees who completed the course"),
        _counting("completed"),
    ),
    ("trainees_pre_tested", gettext_lazy("trainees pre-tested"), _counting("pre")),
    ("trainees_post_tested", gettext_lazy("trainees post-tested"), _counting("post")),
    (
        "trainees_passed",
        gettext_lazy("trainees reaching the pass mark at the post-test"),
        _counting("passed"),
    ),
    (
        "trainees_trained",
        gettext_lazy("trainees trained (completed and post-tested)"),
        _counting("trained"),
    ),
    (
        "trainees_followed_3",
        gettext_lazy("trainees followed up at 3 months"),
        _counting("followed_3"),
    ),
    (
        "trainees_followed_9",
        gettext_lazy("trainees followed up at 9 months"),
        _counting("followed_9"),
    ),
    (
        "trainees_applying_3",
        gettext_lazy("trainees applying at work (fully or partly) at 3 months"),
        _counting("applying_3"),
    ),
    (
        "trainees_applying_9",
        gettext_lazy("trainees applying at work (fully or partly) at 9 months"),
        _counting("applying_9"),
    ),
    ("mean_pre_score", gettext_lazy("mean pre-test score (0–100)"), _mean("pre")),
    ("mean_post_score", gettext_lazy("mean post-test score (0–100)"), _mean("post")),
    ("mean_gain", gettext_lazy("mean learning gain (post − pre, points)"), _mean("gain")),
    ("mean_reaction", gettext_lazy("mean reaction (1–5)"), _mean("reaction")),
)


BANDED = ("trainees_pre_tested", "trainees_post_tested")


def rules_register() -> None:
    for code, label, aggregate in RULES:
        rule_register(
            ProgrammeRule(
                code=code,
                label=label,
                dimensions=((*DIMENSIONS, BAND_DIMENSION) if code in BANDED else DIMENSIONS),
                aggregate=aggregate,
                members=members,
                additive=False,
            )
        )
