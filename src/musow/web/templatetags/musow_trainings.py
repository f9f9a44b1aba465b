"""Filters of the trainings pages: a mean score with one decimal, a share as a percentage
(– for no data: a missing test is never shown as 0)."""

from typing import Any

from django import template

from musow.lib.i18n import number, percent

register = template.Library()


@register.filter
def mean(value: Any) -> str:
    return number(value, 1)


@register.filter
def share(value: Any) -> str:
    return percent(value)


@register.filter
def whole(value: Any) -> str:
    """A score 0–100 as stored (72.50 → 72,5; 80.00 → 80)."""
    if value is None:
        return "–"
    return number(value, 0 if float(value).is_integer() else 1)
