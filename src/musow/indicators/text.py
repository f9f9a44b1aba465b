"""Figures as sentences, in the active language."""

from decimal import Decimal

from musow.indicators.engine import Result
from musow.indicators.models import Indicator
from musow.lib.i18n import colon, number, percent


def format_value(result: Result, value: int | float | Decimal | None) -> str:
    if value is not None and result.indicator.rule == Indicator.Rule.RATIO:
        return percent(float(value))
    return number(value)


def headline_sentence(result: Result) -> str:
    value = format_value(result, result.total)
    template = result.indicator.headline
    if template and "{value}" in template:
        return template.replace("{value}", value)
    return colon(result.indicator.name, value)
