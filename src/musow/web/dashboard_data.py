"""What the dashboard shows: headline figures, activities over time, reach by sex and age,
reach by region (the map), for a period and a scope. Every number comes from the counting
engine (one GROUP BY each); nothing is counted here.

A board is cached per language, period, scope and provisional flag, for all the server's
processes, under the analytics store's generation (musow.analytics.cache): any change to
activities, places, indicators or targets makes it stale, so a validation shows at the
next page view, and twenty people looking at the same figures cost one computation.
A renamed label shows within CACHE_SECONDS.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from musow.activities.models import Activity, AgeGroup, Sex
from musow.analytics.cache import remember
from musow.geo.models import Place
from musow.geo.shapes import map_shapes, regions_outside
from musow.indicators.codes import ACTIVITIES, PARTICIPANTS
from musow.indicators.engine import FILTER_FIELDS, Result, Scope, compute, headline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.text import format_value, scope_phrase
from musow.lib.charts import choropleth_svg
from musow.lib.i18n import current_lang, number
from musow.lib.svg import BAR, SERIES_COLOURS
from musow.web.figures import figure

CACHE_SECONDS = 600
# The map is drawn for a phone: 320 units wide with 12-unit text, so that shown 320 px
# wide its text is 12 px; on a desktop it is shown at most 1.3 times larger.
MAP_WIDTH = 320
MAP_TEXT = 12
BAR_SCALE = 1000  # a bar's length, in units of its (stretched) drawing


@dataclass(frozen=True)
class Choice:
    """What a board is about."""

    period: Period
    scope: Scope
    region: str = ""  # the P-code the user narrowed to, if any
    provisional: bool = False


@dataclass(frozen=True)
class HeadlineFigure:
    code: str
    before: str
    value: str
    after: str
    provisional_value: str | None  # with drafts and submitted activities, when asked for
    query: str  # the activity list's query string for the activities behind it


@dataclass(frozen=True)
class TableRow:
    label: str
    values: tuple[str, ...]
    query: str  # the activity list's query for this row ("" when it has no activities)


@dataclass(frozen=True)
class Segment:
    x: int  # where it starts, 0 to BAR_SCALE (the longest bar)
    width: int
    colour: str


@dataclass(frozen=True)
class Bar:
    """A bar of an HTML bar chart: its text is the page's, so it reads at any width."""

    label: str
    total: str
    segments: tuple[Segment, ...]
    parts: str = ""  # the stacked values in words ("femme 4 229 · homme 3 720")


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Panel:
    title: str
    svg: str  # the map ("" for a bar chart)
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    query: str  # all the activities behind the panel
    bars: tuple[Bar, ...] = ()
    series: tuple[Series, ...] = ()  # the legend of a stacked bar chart


@dataclass(frozen=True)
class Board:
    figures: tuple[HeadlineFigure, ...]
    over_time: Panel | None
    by_sex_age: Panel | None
    by_region: Panel | None
    within: str = ""  # the scope the figures were counted in ("dans la région de Gao")


def default_period() -> Period:
    """The latest year that has validated activities (this year when there is none)."""
    last = Activity.objects.filter(status=Activity.Status.VALIDATED).aggregate(
        last=Max("start_date")
    )["last"]
    return Period.year(last.year if last else timezone.localdate().year)


def region_ids(pcode: str) -> tuple[int, ...]:
    """Every region (of every gazetteer) that carries this P-code."""
    return tuple(
        Place.objects.filter(level=Place.Level.REGION, pcode=pcode)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def board(choice: Choice) -> Board:
    scope = choice.scope
    key = [
        current_lang(),
        choice.period.code,
        scope.regions,
        scope.organisations,
        scope.campaigns,
        scope.projects,
        choice.region,
        choice.provisional,
    ]
    return remember("dashboard-2", key, lambda: _board(choice), CACHE_SECONDS)


def _board(choice: Choice) -> Board:
    scope = choice.scope
    indicators = _indicators()
    reach = _reach(choice, indicators.get(PARTICIPANTS))
    return Board(
        figures=tuple(_headline(choice)),
        over_time=_over_time(choice, indicators.get(ACTIVITIES)),
        by_sex_age=_by_sex_age(choice, reach),
        by_region=_by_region(choice, reach),
        within="" if scope.is_everything() else scope_phrase(scope),
    )


def _query(choice: Choice, **params: str) -> str:
    """The activity list's query string: the choice's period, region and flag, and `params`."""
    query = {"period": choice.period.code}
    if choice.region:
        query["region"] = choice.region
    query.update(params)
    if choice.provisional:
        query["provisional"] = "on"
    return urlencode(query)


def _indicators() -> dict[str, Indicator]:
    """The indicators the charts use, with their filters, in three queries."""
    return {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(code__in=[ACTIVITIES, PARTICIPANTS])
        .select_related("numerator", "denominator")
        .prefetch_related(*FILTER_FIELDS)
    }


def _headline(choice: Choice) -> list[HeadlineFigure]:
    official = headline(choice.period, choice.scope)
    provisional: dict[str, Result] = {}
    if choice.provisional:
        provisional = {
            r.indicator.code: r for r in headline(choice.period, choice.scope, provisional=True)
        }
    out = []
    for result in official:
        parts = figure(result)
        extra = provisional.get(result.indicator.code)
        out.append(
            HeadlineFigure(
                code=parts.code,
                before=parts.before,
                value=parts.value,
                after=parts.after,
                provisional_value=format_value(extra, extra.total) if extra else None,
                query=_query(choice, indicator=parts.code),
            )
        )
    return out


def _title(title: str, provisional: bool) -> str:
    return _("%(title)s, provisional") % {"title": title} if provisional else title


def _months(period: Period) -> list[str]:
    codes = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        codes.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return codes


def _over_time(choice: Choice, indicator: Indicator | None) -> Panel | None:
    if indicator is None:
        return None
    period = choice.period
    months = _months(period)
    by_month = len(months) <= 24
    dim = "month" if by_month else "year"
    result = compute(indicator, period, choice.scope, by=[dim], provisional=choice.provisional)
    values = {row.key[dim].code: row.value or 0 for row in result.rows}
    codes = months if by_month else [str(y) for y in range(period.start.year, period.end.year + 1)]
    labels = {code: Period.parse(code).label() for code in codes}
    title = _title(
        _("Activities per month") if by_month else _("Activities per year"), choice.provisional
    )
    rows = [(labels[code], [values.get(code, 0)]) for code in codes]
    return Panel(
        title=title,
        svg="",
        bars=_bars(rows, ()),
        columns=(_("Activities"),),
        rows=tuple(
            TableRow(
                labels[code],
                (number(values.get(code, 0)),),
                _query(_within(choice, code), indicator=ACTIVITIES) if values.get(code) else "",
            )
            for code in codes
        ),
        query=_query(choice, indicator=ACTIVITIES),
    )


def _within(choice: Choice, code: str) -> Choice:
    """The same choice for a month or a year of its period (clipped to the period)."""
    part = Period.parse(code)
    start, end = max(part.start, choice.period.start), min(part.end, choice.period.end)
    if (start, end) != (part.start, part.end):
        part = Period.parse(f"{start.isoformat()}..{end.isoformat()}")
    return Choice(part, choice.scope, choice.region, choice.provisional)


def _reach(choice: Choice, indicator: Indicator | None) -> Result | None:
    """Contacts by region × age group × sex: one GROUP BY (at most a few dozen rows) that
    both reach panels sum up, since contacts add up across a breakdown."""
    if indicator is None:
        return None
    return compute(
        indicator,
        choice.period,
        choice.scope,
        by=["region", "age_group", "sex"],
        provisional=choice.provisional,
    )


def _by_sex_age(choice: Choice, result: Result | None) -> Panel | None:
    if result is None:
        return None
    sexes = [Sex.FEMALE, Sex.MALE, Sex.UNKNOWN]
    order = {
        code: i
        for i, code in enumerate(
            AgeGroup.objects.order_by("order", "code").values_list("code", flat=True)
        )
    }
    cells: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    for row in result.rows:
        age, sex = row.key["age_group"], row.key["sex"]
        names[age.code] = age.label
        by_sex = cells.setdefault(age.code, {})
        by_sex[sex.code] = by_sex.get(sex.code, 0) + (row.value or 0)
    ages = sorted(cells, key=lambda code: (order.get(code, len(order)), code))
    series = [str(sex.label) for sex in sexes]
    title = _title(_("People reached by sex and age (contacts)"), choice.provisional)
    data = [(names[a], [cells[a].get(s.value, 0) for s in sexes]) for a in ages]
    return Panel(
        title=title,
        svg="",
        bars=_bars(data, series),
        series=tuple(Series(name, SERIES_COLOURS[k]) for k, name in enumerate(series)),
        columns=(*series, _("total")),
        rows=tuple(
            TableRow(label, (*(number(v) for v in values), number(sum(values))), "")
            for label, values in data
        ),
        query=_query(choice, indicator=PARTICIPANTS),
    )


def _bars(rows: list[tuple[str, list[Any]]], series: list[str] | tuple[()]) -> tuple[Bar, ...]:
    """Bars scaled to the longest; segments in the series' colours (one colour when there
    is no series)."""
    top = max((sum(values) for _label, values in rows), default=0) or 1
    bars = []
    for label, values in rows:
        segments, x = [], 0.0
        for k, value in enumerate(values):
            if value:
                width = value * BAR_SCALE / top
                colour = SERIES_COLOURS[k % len(SERIES_COLOURS)] if series else BAR
                segments.append(Segment(round(x), max(1, round(width)), colour))
                x += width
        parts = ""
        if series:
            parts = " · ".join(
                f"{name}\u00a0{number(v)}" for name, v in zip(series, values, strict=False) if v
            )
        bars.append(Bar(label, number(sum(values)), tuple(segments), parts))
    return tuple(bars)


def _by_region(choice: Choice, result: Result | None) -> Panel | None:
    if result is None:
        return None
    values: dict[str, Any] = {}
    names: dict[str, str] = {}
    for row in result.rows:
        member = row.key["region"]
        if member.code:
            values[member.code] = values.get(member.code, 0) + (row.value or 0)
            names[member.code] = member.label
    title = _title(_("People reached by region (contacts)"), choice.provisional)
    ordered = sorted(values, key=lambda code: (-values[code], names[code]))
    return Panel(
        title=title,
        svg=choropleth_svg(
            values,
            shapes=map_shapes(current_lang()),
            title=title,
            lang=current_lang(),
            width=MAP_WIDTH,
            text_size=MAP_TEXT,
            draw_title=False,
            unit=_("People reached (contacts)"),
            outside=regions_outside(choice.scope.regions),
            outside_label=_("outside the chosen region")
            if choice.region
            else _("outside your scope"),
        ),
        columns=(_("People reached"),),
        rows=tuple(
            TableRow(
                names[code],
                (number(values[code]),),
                _query(choice, region=code, indicator=PARTICIPANTS),
            )
            for code in ordered
        ),
        query=_query(choice, indicator=PARTICIPANTS),
    )
