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
from musow.indicators.codes import ACTIVITIES, PARTICIPANTS
from musow.indicators.engine import FILTER_FIELDS, Result, Scope, compute, headline
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.indicators.text import format_value, scope_phrase
from musow.lib.charts import bar_chart_svg, choropleth_svg, stacked_bar_chart_svg
from musow.lib.i18n import current_lang, number
from musow.lib.maps import regions_outside
from musow.web.figures import figure

CACHE_SECONDS = 600
CHART_WIDTH = 480


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
class Panel:
    title: str
    svg: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    query: str  # all the activities behind the panel


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
    return remember("dashboard", key, lambda: _board(choice), CACHE_SECONDS)


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
    rows = [(labels[code], values.get(code, 0)) for code in codes]
    return Panel(
        title=title,
        svg=bar_chart_svg(rows, title=title, lang=current_lang(), width=CHART_WIDTH),
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
        svg=stacked_bar_chart_svg(
            data, series=series, title=title, lang=current_lang(), width=CHART_WIDTH
        ),
        columns=(*series, _("total")),
        rows=tuple(
            TableRow(label, (*(number(v) for v in values), number(sum(values))), "")
            for label, values in data
        ),
        query=_query(choice, indicator=PARTICIPANTS),
    )


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
            title=title,
            lang=current_lang(),
            width=CHART_WIDTH,
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
