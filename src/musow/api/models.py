"""Personal API tokens and what the pulls from field servers remember.

A token is shown once, when it is created; musow keeps only its SHA-256 digest (the
secret is 32 random bytes, so a slow hash would add nothing) and its first characters,
to find it and to show the person which one is which.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Token(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=20, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class PullMark(models.Model):
    """The last pull from a field server's form that was imported whole."""

    server = models.CharField(_("server"), max_length=10)  # "kobo" or "odk"
    form = models.CharField(_("form"), max_length=200)
    pulled_at = models.DateTimeField(_("pulled"))
    submissions = models.PositiveIntegerField(_("submissions"), default=0)

    class Meta:
        verbose_name = _("pull")
        verbose_name_plural = _("pulls")
        constraints = [
            models.UniqueConstraint(fields=["server", "form"], name="pullmark_one_per_form")
        ]

    def __str__(self) -> str:
        return f"{self.server}:{self.form}"
