"""Filters of the pages of women at the table."""

from typing import Any

from django import template

from musow.lib.i18n import percent as percent_text

register = template.Library()


@register.filter
def percent(share: Any) -> str:
    """A share (0.343) as a percentage in the active locale (34,3 %); – for no data."""
    return percent_text(share)


@register.inclusion_tag("web/table/_dashboard_panel.html")
def table_panel(choice: Any, links: bool) -> dict[str, Any]:
    """The dashboard's "women at the table" panel, for the dashboard's period and scope."""
    from musow.web.table_presenters import dashboard_panel

    return {"panel": dashboard_panel(choice.period, choice.scope), "links": links}
