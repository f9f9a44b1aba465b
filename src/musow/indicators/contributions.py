"""How a figure adds up: each activity's part of an indicator's value, and the value broken
down so that a reader sees its parts (the public figures page: "5 400 = 4 175 in Bamako
+ 1 449 in Gao + …").

    contributions(indicator, Period.year(2014), [12, 15])  # {12: 300, 15: 1200}

Only for figures that are the sum of their parts (contacts, activities, media reach); a
figure of distinct persons (who may come to several activities) or a ratio has none.
"""

from collections.abc import Collection

from musow.indicators.engine import EVERYTHING, RULES, Number, Scope, _queryset
from musow.indicators.models import Indicator
from musow.indicators.periods import Period


def adds_up(indicator: Indicator) -> bool:
    """Whether the indicator's value is the sum of its activities' parts."""
    return indicator.rule != Indicator.Rule.RATIO and RULES[indicator.rule].additive


def contributions(
    indicator: Indicator,
    period: Period,
    activity_ids: Collection[int],
    scope: Scope = EVERYTHING,
) -> dict[int, Number]:
    """What each of these activities adds to the indicator's value (one GROUP BY over the
    same records the engine counts; an activity that adds nothing is left out). Empty for
    a figure that does not add up (see `adds_up`)."""
    if not activity_ids or not adds_up(indicator):
        return {}
    spec, qs = _queryset(indicator, period, scope, False)
    key = spec.to_activity or "id"
    rows = qs.filter(**{f"{key}__in": list(activity_ids)}).values(key).annotate(v=spec.value(False))
    return {row[key]: row["v"] for row in rows if row["v"]}
