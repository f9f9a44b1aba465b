"""The dashboard's panel for those who see the SGBV programme whole (protection officers,
the unit admin): the period's provider reports received, by provider; the data-sharing
agreements that end within 60 days; incidents by type and the justice chain's funnel,
WHOLE — so showing the panel is written to the audit trail, as every whole view is.
Nobody else gets the panel (their figures are the statistics page's, protected)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.indicators.periods import Period
from musow.lib.i18n import number
from musow.protection import services
from musow.protection.charts import funnel_svg
from musow.protection.models import (
    JUSTICE_STAGES,
    Agreement,
    IncidentCount,
    IncidentType,
    ProviderReport,
)
from musow.protection.release import reports_q
from musow.web.dashboard_data import Bar, _bars

EXPIRING_DAYS = 60


@dataclass(frozen=True)
class ProviderRow:
    provider: str
    received: str
    validated: str
    waiting: str  # drafts and submitted, not yet validated
    latest: str  # the latest month received (any period)


@dataclass(frozen=True)
class Expiring:
    provider: str
    reference: str
    ends: datetime.date
    days: int
    pk: int


@dataclass(frozen=True)
class ProtectionPanel:
    period: Period
    providers: list[ProviderRow]
    expiring: list[Expiring]
    by_type: tuple[Bar, ...]
    by_type_rows: list[tuple[str, str]]
    funnel: str
    incidents: int


def protection_panel(user: Any, period: Period, regions: tuple[int, ...]) -> ProtectionPanel | None:
    """The panel, for users who see the programme whole (None for everyone else)."""
    if not scopes.sees_protection_whole(user):
        return None
    own = scopes.protection_region_ids(user)
    if own and regions:  # the dashboard's region, within the officer's
        regions = tuple(r for r in regions if r in own) or (-1,)
    elif own:
        regions = own
    reports = ProviderReport.objects.filter(reports_q(period, regions, provisional=True)).values(
        "provider__name"
    )
    validated = ProviderReport.Status.VALIDATED
    received = {
        r["provider__name"]: r
        for r in reports.annotate(
            n=Count("id"), ok=Count("id", filter=Q(status=validated))
        ).order_by()
    }
    latest_qs = ProviderReport.objects.all()
    if regions:
        latest_qs = latest_qs.filter(region_id__in=regions)
    latest = {
        r["provider__name"]: r["last"]
        for r in latest_qs.values("provider__name").annotate(last=Max("month")).order_by()
    }
    in_force = Agreement.objects.filter(valid_from__lte=period.end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start)
    )
    names = sorted(set(received) | set(in_force.values_list("provider__name", flat=True)))
    providers = [
        ProviderRow(
            name,
            number(received.get(name, {}).get("n", 0)),
            number(received.get(name, {}).get("ok", 0)),
            number(received.get(name, {}).get("n", 0) - received.get(name, {}).get("ok", 0)),
            Period.parse(latest[name].strftime("%Y-%m")).label() if name in latest else "–",
        )
        for name in names
    ]
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRING_DAYS)
    expiring = [
        Expiring(a.provider.name, a.document_reference, a.valid_to, (a.valid_to - today).days, a.pk)
        for a in Agreement.objects.filter(valid_to__gte=today, valid_to__lte=soon)
        .select_related("provider")
        .order_by("valid_to")
        if a.valid_to is not None
    ]
    counted = reports_q(period, regions, prefix="report__")
    by_type = {
        r["incident_type"]: r["n"] or 0
        for r in IncidentCount.objects.filter(counted)
        .values("incident_type")
        .annotate(n=Sum("count"))
        .order_by()
    }
    rows = [(str(label), [by_type.get(code, 0)]) for code, label in IncidentType.choices]
    stages = [code for code, _label in JUSTICE_STAGES]
    chain = ProviderReport.objects.filter(reports_q(period, regions)).aggregate(
        **{s: Sum(s) for s in stages}
    )
    funnel = funnel_svg(
        [
            (str(label), chain[code] or 0, number(chain[code] or 0))
            for code, label in JUSTICE_STAGES
        ],
        title=_("The justice chain: from complaint to conviction"),
        lang=get_language() or "fr",
        width=320,
    )
    services.whole_view_record(
        user=user,
        tables=["incidents-by-type", "justice"],
        scope=",".join(map(str, regions)) or "*",
        period=period.code,
        door="dashboard",
    )
    return ProtectionPanel(
        period=period,
        providers=providers,
        expiring=expiring,
        by_type=_bars([(label, values) for label, values in rows if values[0]], ()),
        by_type_rows=[(label, number(values[0])) for label, values in rows],
        funnel=funnel,
        incidents=sum(by_type.values()),
    )
