"""The SGBV access-to-justice programme: aggregate statistics only.

Service providers (health centres, legal clinics, one-stop centres, women's NGOs: the
register's organisations) share, under a written data-sharing `Agreement`, one monthly
`ProviderReport` per place: counts of incidents by GBVIMS core type × survivor sex × age
band, by time between incident and report, the services given and referrals made, and
how far cases went through the justice chain. There is no survivor identifier, no case
record and no free text about a person anywhere: the models have none to fill (GBVIMS
Information Sharing Protocol). Writes go through `services.py`; figures that leave the
programme go through `disclosure.py`.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musow.activities.models import Sex
from musow.lib.models import Term


class IncidentType(models.TextChoices):
    """The six GBVIMS core incident types (exactly one per incident)."""

    RAPE = "rape", _("rape")
    SEXUAL_ASSAULT = "sexual_assault", _("sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("forced marriage")
    DENIAL = "denial", _("denial of resources, opportunities or services")
    PSYCHOLOGICAL = "psychological", _("psychological / emotional abuse")


class Delay(models.TextChoices):
    """Time between the incident and its report (it decides medical care)."""

    WITHIN_72H = "0-72h", _("within 72 hours")
    DAYS_3_5 = "3-5d", _("3 to 5 days")
    DAYS_6_30 = "6d-1m", _("6 days to 1 month")
    LATER = "1m+", _("more than 1 month")


class Sector(models.TextChoices):
    """Services provided and referrals made."""

    HEALTH = "health", _("health")
    PSYCHOSOCIAL = "psychosocial", _("psychosocial")
    LEGAL = "legal", _("legal aid")
    SAFETY = "safety", _("safety and security")
    LIVELIHOODS = "livelihoods", _("livelihoods")
    SHELTER = "shelter", _("shelter")


# The justice chain, in order: no stage may count more than the stage before it.
JUSTICE_STAGES: tuple[tuple[str, Any], ...] = (
    ("complaints", _("complaints filed")),
    ("investigations", _("investigations opened")),
    ("sent_to_court", _("cases sent to court")),
    ("judgments", _("judgments")),
    ("convictions", _("convictions")),
)
JUSTICE_FIELDS = tuple(code for code, _label in JUSTICE_STAGES)
TABLES: tuple[tuple[str, Any], ...] = (
    ("incidents", _("incidents by type, sex and age band")),
    ("delays", _("time to report")),
    ("services", _("services and referrals")),
    ("justice", _("justice chain")),
)
TABLE_CODES = tuple(code for code, _label in TABLES)


class AgeBand(Term):
    """Survivors' age bands, as data (children and adults at least)."""

    min_age = models.PositiveSmallIntegerField(_("from age"))
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    is_child = models.BooleanField(_("children"), default=False)

    class Meta(Term.Meta):
        verbose_name = _("survivor age band")
        verbose_name_plural = _("survivor age bands")


class Agreement(models.Model):
    """A data-sharing agreement with a provider: what it shares, from when to when."""

    provider = models.ForeignKey(
        "activities.Organisation",
        models.PROTECT,
        related_name="sharing_agreements",
        verbose_name=_("provider"),
    )
    tables = models.JSONField(_("tables shared"), default=list)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"))
    signed_by_role = models.CharField(
        _("signed by (role)"),
        max_length=200,
        help_text=_("The signatory's role (e.g. “director”), never a person's name."),
    )
    document_reference = models.CharField(_("document reference"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("data-sharing agreement")
        verbose_name_plural = _("data-sharing agreements")
        ordering = ["provider__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agreement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} — {self.document_reference}"


class ProviderReport(models.Model):
    """One provider's aggregate counts for one place and one month."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        VALIDATED = "validated", _("validated")

    provider = models.ForeignKey(
        "activities.Organisation", models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    agreement = models.ForeignKey(
        Agreement, models.PROTECT, related_name="reports", verbose_name=_("agreement")
    )
    place = models.ForeignKey(
        "geo.Place", models.PROTECT, related_name="+", verbose_name=_("place")
    )
    region = models.ForeignKey(
        "geo.Place", models.PROTECT, related_name="+", editable=False, verbose_name=_("region")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    incidents = models.PositiveIntegerField(_("incidents reported"), default=0)
    complaints = models.PositiveIntegerField(_("complaints filed"), default=0)
    investigations = models.PositiveIntegerField(_("investigations opened"), default=0)
    sent_to_court = models.PositiveIntegerField(_("cases sent to court"), default=0)
    judgments = models.PositiveIntegerField(_("judgments"), default=0)
    convictions = models.PositiveIntegerField(_("convictions"), default=0)
    legal_aid = models.PositiveIntegerField(_("legal aid supported by the programme"), default=0)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demonstration data, not real reports.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("provider report")
        verbose_name_plural = _("provider reports")
        ordering = ["-month", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "place", "month"], name="provider_report_one_per_month"
            ),
        ]
        indexes = [models.Index(fields=["month", "region"], name="provider_report_month")]

    def __str__(self) -> str:
        return f"{self.provider} — {self.place} — {self.month:%Y-%m}"


class IncidentCount(models.Model):
    report = models.ForeignKey(ProviderReport, models.CASCADE, related_name="incident_counts")
    incident_type = models.CharField(_("incident type"), max_length=30, choices=IncidentType)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_band = models.ForeignKey(AgeBand, models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("incident count")
        verbose_name_plural = _("incident counts")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "incident_type", "sex", "age_band"], name="incident_count_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_type} {self.sex} {self.age_band_id}: {self.count}"


class DelayCount(models.Model):
    report = models.ForeignKey(ProviderReport, models.CASCADE, related_name="delay_counts")
    delay = models.CharField(_("time to report"), max_length=10, choices=Delay)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "delay"], name="delay_count_cell")]

    def __str__(self) -> str:
        return f"{self.delay}: {self.count}"


class ServiceCount(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("services provided")
        REFERRAL = "referral", _("referrals made")

    report = models.ForeignKey(ProviderReport, models.CASCADE, related_name="service_counts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "sector"], name="service_count_cell")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sector}: {self.count}"
