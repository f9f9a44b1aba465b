"""What a report covers, from what the user typed: a region, a campaign, a project, an
organisation, or everything."""

from django.utils.translation import gettext as _

from musow.activities.models import Campaign, CampaignSeries, Organisation, Project
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.indicators.engine import Scope
from musow.reports.types import ReportError, ReportScope


def scope_parse(text: str | None) -> ReportScope:
    """A region (P-code, ISO code or name in either language), a campaign edition or series
    code, or a project code. Raises ReportError in the active language."""
    text = (text or "").strip()
    if not text or text.lower() in ("all", "tout", "toutes", "*"):
        return ReportScope.everything()
    regions = Place.objects.filter(level=Place.Level.REGION, gazetteer__code=SHIPPED_GAZETTEER)
    place = (
        regions.filter(pcode__iexact=text).first()
        or regions.filter(iso_3166_2__iexact=text).first()
        or regions.filter(name_fr__iexact=text).first()
        or regions.filter(name_en__iexact=text).first()
    )
    if place is not None:
        return ReportScope(
            "region",
            place.pcode or place.iso_3166_2,
            place.name_fr,
            place.name_en,
            Scope(regions=(place.pk,)),
        )
    campaign = Campaign.objects.filter(code=text).first()
    if campaign is not None:
        return ReportScope(
            "campaign",
            campaign.code,
            campaign.name_fr,
            campaign.name_en,
            Scope(campaigns=(campaign.pk,)),
        )
    series = CampaignSeries.objects.filter(code=text).first()
    if series is not None:
        ids = tuple(sorted(series.campaigns.values_list("pk", flat=True))) or (-1,)
        return ReportScope(
            "series", series.code, series.name_fr, series.name_en, Scope(campaigns=ids)
        )
    project = Project.objects.filter(code=text).first()
    if project is not None:
        return ReportScope(
            "project", project.code, project.name_fr, project.name_en, Scope(projects=(project.pk,))
        )
    organisation = Organisation.objects.filter(code=text).first()
    if organisation is not None:
        return ReportScope(
            "organisation",
            organisation.code,
            organisation.name,
            organisation.name,
            Scope(organisations=(organisation.pk,)),
        )
    raise ReportError(
        _(
            "Unknown scope “%(scope)s”: give a region (P-code such as ML07, or its name), "
            "a campaign code or a project code."
        )
        % {"scope": text}
    )
