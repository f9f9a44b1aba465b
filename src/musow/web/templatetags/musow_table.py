"""Filters of the pages of women at the table."""

from typing import Any

from django import template

from musow.lib.i18n import percent as percent_text

register = template.Library()


@register.filter
def percent(share: Any) -> str:
    """A share (0.343) as a percentage in the active locale (34,3 %); – for no data."""
    return percent_text(share)
