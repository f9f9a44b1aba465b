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
