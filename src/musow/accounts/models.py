from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Roles and scopes follow DESIGN.md's table."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("unit admin")
        OFFICER = "officer", _("gender officer")
        FOCAL_POINT = "focal_point", _("regional focal point")
        PARTNER = "partner", _("partner organisation")
        VIEWER = "viewer", _("viewer")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    regions = models.ManyToManyField(
        "geo.Place",
        blank=True,
        related_name="+",
        verbose_name=_("regions"),
        help_text=_("For regional focal points: the regions they work in."),
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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
