"""What the public figures page reads from the database: years, groups of activities,
headline figures and the activity lists behind them. Validated activities only.

Published means: the indicators the unit admin marked public (`Indicator.is_public`), and
the activities behind those whose list the admin published too (`lists_public`); which
activities may be listed at all, and to whom, is `musow.accounts.scopes`' to say.

Every function here runs a fixed number of queries, whatever the number of
activities: groups are counted with GROUP BY, names are fetched once per kind.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy

from musow.activities.models import (
    Activity,
    ActivityType,
    CampaignSeries,
    Participation,
    Project,
    Theme,
)
from musow.geo.models import Place
from musow.indicators.contributions import adds_up, contributions
from musow.indicators.engine import FILTER_FIELDS, Number, Result, compute, provenance
from musow.indicators.models import Indicator
from musow.indicators.periods import FIRST_YEAR, LAST_YEAR, Period  # the supported years, one place
from musow.indicators.text import format_value, headline_parts
from musow.lib.i18n import number
from musow.web.summaries import Group, GroupKind, Named, Region

PER_PAGE = 50
GROUP_KINDS: tuple[GroupKind, ...] = ("campaign", "project", "type")


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(f"year {year} outside {FIRST_YEAR}–{LAST_YEAR}")
    return year


def validated(year: int | None = None) -> QuerySet[Activity]:
    qs = Activity.objects.filter(status=Activity.Status.VALIDATED)
    return qs if year is None else qs.filter(start_date__year=year)


def latest_year() -> int | None:
    """The latest year that has validated activities."""
    last = validated().aggregate(last=Max("start_date"))["last"]
    return last.year if last else None


def years() -> list[int]:
    """Years that have validated activities, latest first."""
    return [d.year for d in validated().dates("start_date", "year", order="DESC")]


# --- groups of activities ("Quelques activités menées en 2014") -------------------------


GroupKey = tuple[GroupKind, int]


def _group_key(series: int | None, project: int | None, activity_type: int) -> GroupKey:
    if series is not None:
        return ("campaign", series)
    if project is not None:
        return ("project", project)
    return ("type", activity_type)


@dataclass
class _Tally:
    count: int = 0
    types: Counter[int] = field(default_factory=Counter)
    regions: set[int] = field(default_factory=set)
    themes: Counter[int] = field(default_factory=Counter)


def _tallies(year: int) -> dict[GroupKey, _Tally]:
    tallies: dict[GroupKey, _Tally] = defaultdict(_Tally)
    rows = (
        validated(year)
        .values("campaign__series_id", "project_id", "activity_type_id", "place__region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        tally = tallies[
            _group_key(row["campaign__series_id"], row["project_id"], row["activity_type_id"])
        ]
        tally.count += row["n"]
        tally.types[row["activity_type_id"]] += row["n"]
        if row["place__region_id"] is not None:
            tally.regions.add(row["place__region_id"])
    themes = (
        validated(year)
        .filter(campaign__isnull=True, project__isnull=True, themes__isnull=False)
        .values("activity_type_id", "themes__id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in themes:
        tallies[("type", row["activity_type_id"])].themes[row["themes__id"]] += row["n"]
    return tallies


def _named(obj: Any) -> Named:
    return Named(obj.code, obj.name)


def _by_count(counter: Counter[int], objects: dict[int, Any]) -> list[Any]:
    """Most frequent first, then in the vocabulary's order."""
    return sorted(
        (objects[pk] for pk in counter),
        key=lambda obj: (-counter[obj.pk], getattr(obj, "order", 0), obj.code),
    )


def _region(place: Place) -> Region:
    return Region(place.name, is_district="district" in (place.kind_en or "").lower())


def groups(year: int) -> list[Group]:
    """The year's validated activities as the unit's page groups them: by campaign series,
    then by project, then by activity type for the rest."""
    tallies = _tallies(year)

    def ids(kind: str) -> list[int]:
        return [pk for k, pk in tallies if k == kind]

    def all_ids(attr: str) -> set[int]:
        return {pk for tally in tallies.values() for pk in getattr(tally, attr)}

    subjects: dict[str, dict[int, Any]] = {
        "campaign": CampaignSeries.objects.in_bulk(ids("campaign")),
        "project": Project.objects.in_bulk(ids("project")),
    }
    types = ActivityType.objects.in_bulk(all_ids("types"))
    subjects["type"] = types
    regions = Place.objects.defer("boundary").in_bulk(all_ids("regions"))
    themes = Theme.objects.in_bulk(all_ids("themes"))

    out = []
    for (kind, pk), tally in tallies.items():
        subject = subjects[kind][pk]
        out.append(
            Group(
                kind=kind,
                subject=_named(subject),
                count=tally.count,
                activity_types=tuple(_named(t) for t in _by_count(tally.types, types)),
                themes=tuple(_named(t) for t in _by_count(tally.themes, themes)),
                regions=tuple(
                    _region(r) for r in sorted((regions[pk] for pk in tally.regions), key=_pcode)
                ),
            )
        )
    out.sort(key=lambda g: _group_order(g, subjects))
    return out


def _pcode(place: Place) -> tuple[bool, str, str]:
    return (not place.pcode, place.pcode, place.name)


def _group_order(group: Group, subjects: dict[str, dict[int, Any]]) -> tuple[int, int, str]:
    by_code = {obj.code: obj for obj in subjects[group.kind].values()}
    subject = by_code[group.subject.code]
    return (GROUP_KINDS.index(group.kind), getattr(subject, "order", 0), subject.code)


def group_filter(kind: str, code: str) -> Q:
    """The activities of a group (see `groups`): the same rule, as a filter."""
    if kind == "campaign":
        return Q(campaign__series__code=code)
    if kind == "project":
        return Q(campaign__isnull=True, project__code=code)
    if kind == "type":
        return Q(campaign__isnull=True, project__isnull=True, activity_type__code=code)
    raise Http404(f"unknown group kind {kind}")


def group_subject(kind: str, code: str) -> Any:
    """The campaign series, project or activity type a group is about (404 if unknown)."""
    model: Any = {"campaign": CampaignSeries, "project": Project, "type": ActivityType}.get(kind)
    subject = model.objects.filter(code=code).first() if model else None
    if subject is None:
        raise Http404(f"unknown {kind} {code}")
    return subject


# --- published indicators and lists -------------------------------------------------------


def public_indicators() -> QuerySet[Indicator]:
    """The indicators the unit admin published (any other code is not found)."""
    return Indicator.objects.filter(is_public=True)


def _with_filters(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    return indicators.select_related("numerator", "denominator").prefetch_related(*FILTER_FIELDS)


def public_headline(period: Period) -> list[Result]:
    """ "L'Unité Genre en chiffres" as published: the headline indicators marked public."""
    indicators = _with_filters(public_indicators().filter(is_headline=True))
    return [compute(indicator, period) for indicator in indicators.order_by("order", "code")]


def published_lists(year: int) -> Q:
    """The activities of the year behind a figure whose list the unit admin published (one
    subquery per such indicator; nothing when there is none)."""
    q = Q(pk__in=[])
    for indicator in _with_filters(public_indicators().filter(lists_public=True)):
        q |= Q(pk__in=provenance(indicator, Period.year(year)).values("id"))
    return q


# --- headline figures and activity lists --------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A headline sentence split around its number, so that the number can stand out."""

    code: str
    before: str
    value: str
    after: str

    def __str__(self) -> str:
        return f"{self.before}{self.value}{self.after}"


def figure(result: Result) -> Figure:
    """Its sentence says the scope it was counted in, when it was counted in one."""
    before, value, after = headline_parts(result)
    return Figure(result.indicator.code, before, value, after)


def figures(results: Iterable[Result]) -> list[Figure]:
    return [figure(result) for result in results]


def activity_page(activities: QuerySet[Activity], page: str | None) -> Page[Activity]:
    """One page of an activity list, with what each row shows fetched in the same query."""
    qs = activities.select_related("activity_type", "place", "place__region", "campaign")
    qs = qs.defer("place__boundary", "place__region__boundary").order_by("start_date", "id")
    return Paginator(qs, PER_PAGE).get_page(page)


# --- how a figure adds up -------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    label: str
    value: str


@dataclass(frozen=True)
class Breakdown:
    """A published figure split by one dimension, its parts summing to the figure."""

    title: str
    parts: tuple[Part, ...]
    total: str


BREAKDOWNS = (
    ("region", gettext_lazy("By region")),
    ("activity_type", gettext_lazy("By type of activity")),
)


def breakdowns(result: Result) -> list[Breakdown]:
    """The figure by region and by type of activity, largest part first: what a reader
    adds up to find the figure (only for a figure that is the sum of its parts)."""
    indicator = result.indicator
    if not adds_up(indicator) or not result.total:
        return []
    allowed = set(indicator.disaggregations or ())
    out = []
    for dim, title in BREAKDOWNS:
        if dim not in allowed:
            continue
        rows = compute(indicator, result.period, result.scope, by=[dim]).rows
        rows = sorted(
            (r for r in rows if r.value), key=lambda r: (-float(r.value or 0), r.key[dim].label)
        )
        if len(rows) < 2:
            continue
        parts = tuple(
            Part(r.key[dim].label or str(gettext_lazy("not recorded")), number(r.value))
            for r in rows
        )
        out.append(Breakdown(str(title), parts, format_value(result, result.total)))
    return out


@dataclass(frozen=True)
class Listed:
    """An activity of a published list, with what it adds to the figure."""

    activity: Activity
    value: str


def with_contributions(page: Page[Activity], result: Result | None) -> tuple[list[Listed], str]:
    """The page's activities, each with its part of the figure (`result`) or, for a group of
    activities (no figure), its participants; and the sum of those on the page ("" for a
    figure that is not the sum of its activities' parts)."""
    ids = [a.pk for a in page]
    values: dict[int, Number]
    if result is None:
        values = _participants(ids)
    elif adds_up(result.indicator):
        values = contributions(result.indicator, result.period, ids)
    else:
        return [Listed(a, "") for a in page], ""
    listed = [Listed(a, number(values.get(a.pk, 0))) for a in page]
    return listed, number(sum(values.get(pk, 0) for pk in ids))


def _participants(ids: list[int]) -> dict[int, Number]:
    rows = (
        Participation.objects.filter(activity_id__in=ids)
        .values("activity_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {row["activity_id"]: row["n"] for row in rows}


# --- women at the table: the headline participation figures ----------------------------

# The participation figures the public page shows, in this order, when the unit admin
# published them (`is_public`) and a validated composition gives them a value.
PARTICIPATION = (
    "share-women-seats-government",
    "share-women-seats-assembly",
    "share-women-seats-delegations",
    "share-women-seats-follow-up",
)


@dataclass(frozen=True)
class Source:
    """A composition behind a participation figure, as its source names it."""

    body: str
    as_of: Any
    document: str
    url: str
    illustrative: bool


@dataclass(frozen=True)
class SeatFigure:
    figure: Figure
    women: str
    total: str
    sources: tuple[Source, ...]

    @property
    def illustrative(self) -> bool:
        return any(s.illustrative for s in self.sources)


def participation(period: Period) -> list[SeatFigure]:
    """The share of women in the government, the National Assembly, the negotiating
    delegations and the follow-up committees at the period's end — validated
    compositions only, each with the compositions (and their sources) it was counted from;
    a figure without any composition is left out (no data, not 0)."""
    indicators = _with_filters(public_indicators().filter(code__in=PARTICIPATION))
    out = []
    for indicator in sorted(indicators, key=lambda i: PARTICIPATION.index(i.code)):
        result = compute(indicator, period)
        if result.total is None or indicator.numerator is None or indicator.denominator is None:
            continue
        women = compute(indicator.numerator, period).total
        total = compute(indicator.denominator, period).total
        out.append(
            SeatFigure(
                figure(result), number(women), number(total), sources(indicator, period) or ()
            )
        )
    return out


def sources(indicator: Indicator, period: Period) -> tuple[Source, ...] | None:
    """The validated compositions (or sittings) behind a figure of women at the table, with
    their sources; None for a figure counted from activities."""
    from musow.indicators.engine import records

    behind = records(indicator, period)
    if behind.model is Activity:
        return None
    day = "as_of" if "as_of" in {f.name for f in behind.model._meta.fields} else "held_on"
    return tuple(
        Source(
            r.body.name,
            getattr(r, day),
            r.source_document,
            r.source_url,
            r.is_illustrative or r.body.is_illustrative,
        )
        for r in behind.select_related("body").order_by("body__code", day)
    )


def participation_years() -> list[int]:
    """Years in which a validated composition was recorded (the public page's years)."""
    from musow.representation.models import Composition, Status

    dates = Composition.objects.filter(status=Status.VALIDATED).dates("as_of", "year")
    return [d.year for d in dates]
