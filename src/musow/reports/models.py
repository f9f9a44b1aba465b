"""Issued reports: a report's figures as they were when it was issued, kept unchanged."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuedReport(models.Model):
    """A report as issued: its period and scope, its figures (without any language), the
    activities behind each figure, and a SHA-256 of those figures. Never edited: issuing
    again adds a new row, compared with the last one."""

    period = models.CharField(_("period"), max_length=40)
    scope_kind = models.CharField(_("kind of scope"), max_length=20, default="all")
    scope_code = models.CharField(_("scope"), max_length=60, blank=True)
    figures = models.JSONField(_("figures"))
    provenance = models.JSONField(_("activities behind each figure"), default=dict)
    # The unit's own words as they were when it was issued (ReportText.texts()).
    texts = models.JSONField(_("the unit's text"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256 of the figures"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(
                fields=["period", "scope_kind", "scope_code", "-issued_at"],
                name="issued_report_key",
            )
        ]

    def __str__(self) -> str:
        scope = self.scope_code or "all"
        return f"{self.period} · {scope} · {self.issued_at:%Y-%m-%d %H:%M}"


TEXT_PARTS = ("highlights", "challenges", "recommendations")
TEXT_MAX = 5_000


class ReportText(models.Model):
    """The unit's own words for a report (a period and a scope): highlights, challenges and
    recommendations, in French and English, written on the report page by an officer.
    Issuing the report copies them into the issued report, which keeps them unchanged."""

    period = models.CharField(_("period"), max_length=40)
    scope_kind = models.CharField(_("kind of scope"), max_length=20, default="all")
    scope_code = models.CharField(_("scope"), max_length=60, blank=True)
    highlights_fr = models.TextField(_("highlights (French)"), blank=True, max_length=TEXT_MAX)
    highlights_en = models.TextField(_("highlights (English)"), blank=True, max_length=TEXT_MAX)
    challenges_fr = models.TextField(_("challenges (French)"), blank=True, max_length=TEXT_MAX)
    challenges_en = models.TextField(_("challenges (English)"), blank=True, max_length=TEXT_MAX)
    recommendations_fr = models.TextField(
        _("recommendations (French)"), blank=True, max_length=TEXT_MAX
    )
    recommendations_en = models.TextField(
        _("recommendations (English)"), blank=True, max_length=TEXT_MAX
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    updated_at = models.DateTimeField(_("written"), auto_now=True)

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "scope_kind", "scope_code"], name="report_text_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.scope_code or 'all'}"

    def texts(self) -> dict[str, str]:
        """Every part in both languages: {"highlights_fr": …, …}."""
        return {
            f"{part}_{lang}": getattr(self, f"{part}_{lang}")
            for part in TEXT_PARTS
            for lang in ("fr", "en")
        }
