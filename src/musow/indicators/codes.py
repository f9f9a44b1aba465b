"""The indicators the code itself reads by code, in one place.

Indicators are data (the fixtures, the admin), but the dashboard's charts and the report's
tables and sentences are built on a few of them. This module names them, with the counting
rule they must have and the breakdowns the code asks of them; `musow.indicators.checks`
checks the database against it at start-up (`musow check`, `musow serve`), so a missing or
changed indicator is an error before any page or report is built — never a 0 in a report.

The headline figures are not listed here: they are the indicators marked "in the headline
figures" (data), whatever their codes.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIVITIES = "activities-all"  # activities per month, by type, theme, organiser; the annex
PARTICIPANTS = "participants-all"  # contacts by region, sex, age group, audience, month
WOMEN = "women-participants"  # women and girls among them
MEDIA = "media-audience"  # estimated media audience, on its own line
LEADERS = "women-leaders-accompanied"  # a sentence of the report's narrative


@dataclass(frozen=True)
class Needed:
    code: str
    rule: str  # Indicator.Rule value
    by: tuple[str, ...]  # every breakdown the code asks of it
    used_by: Promise | str  # what needs it, for the message


NEEDED: tuple[Needed, ...] = (
    Needed(
        ACTIVITIES,
        "activities",
        ("year", "month", "region", "activity_type", "theme", "campaign", "organiser"),
        _("the dashboard and the report"),
    ),
    Needed(
        PARTICIPANTS,
        "contacts",
        ("month", "region", "sex", "age_group", "audience", "activity_type", "campaign"),
        _("the dashboard and the report"),
    ),
    Needed(
        WOMEN,
        "contacts",
        ("month", "region", "age_group", "audience", "activity_type", "campaign"),
        _("the report"),
    ),
    Needed(MEDIA, "media_reach", ("medium",), _("the report")),
    Needed(LEADERS, "contacts", (), _("the report")),
)
