from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "User":
        """`musow createsuperuser` makes a unit admin: what a person may do follows the
        role (accounts.scopes), and a superuser of another role opens nothing more."""
        extra.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Roles and scopes follow docs/architecture.md's table."""

    objects: ClassVar[UserManager] = UserManager()

    class Role(models.TextChoices):
        ADMIN = "admin", _("unit admin")
        OFFICER = "officer", _("gender officer")
        FOCAL_POINT = "focal_point", _("regional focal point")
        PARTNER = "partner", _("partner organisation")
        VIEWER = "viewer", _("viewer")
        PROTECTION = "protection", _("protection officer")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    regions = models.ManyToManyField(
        "geo.Place",
        blank=True,
        related_name="+",
        verbose_name=_("regions"),
        help_text=_(
            "For regional focal points (and protection officers, if limited): "
            "the regions they work in."
        ),
    )
    organisation = models.ForeignKey(
        "activities.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
        help_text=_("For partner organisations: the organisation whose records they see."),
    )

    # The language of the pages the person last signed in on: their e-mails speak it.
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("fr", _("French")), ("en", _("English"))],
        default="fr",
        db_default="fr",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class AttendeeKeyCheck(models.Model):
    """Which chain of attendee-key secrets made the keys stored in this database: the
    chain's key of a fixed text (musow.activities.keys), never a secret. One row.

    With it, a changed, forgotten or mistyped MUSOW_ATTENDEE_KEY stops musow at start-up
    (a system check) instead of silently counting every person twice."""

    value = models.CharField(_("check value"), max_length=64)
    keys = models.PositiveSmallIntegerField(_("number of keys in the chain"), default=1)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("attendee key check")
        verbose_name_plural = _("attendee key checks")

    def __str__(self) -> str:
        return str(_("attendee keys"))
