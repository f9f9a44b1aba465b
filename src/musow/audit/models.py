"""The audit trail: who changed what, when, from which value to which.

Entries are written by the services that change things (never by signals), in
the same transaction as the change, and are never edited or deleted by users.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EntryQuerySet(models.QuerySet["Entry"]):
    def for_target(self, target: models.Model) -> "EntryQuerySet":
        return self.filter(target_type=target._meta.label_lower, target_id=str(target.pk))


class Entry(models.Model):
    class Action(models.TextChoices):
        # Nouns in French ("création", "validation"…): a trail line reads the same for an
        # activity or an account, whatever the record's grammatical gender.
        CREATE = "create", pgettext_lazy("audit action", "created")
        UPDATE = "update", pgettext_lazy("audit action", "edited")
        SUBMIT = "submit", pgettext_lazy("audit action", "submitted for validation")
        RETURN = "return", pgettext_lazy("audit action", "returned to its author")
        VALIDATE = "validate", pgettext_lazy("audit action", "validated")
        DELETE = "delete", pgettext_lazy("audit action", "deleted")
        RESTORE = "restore", pgettext_lazy("audit action", "restored")
        IMPORT = "import", pgettext_lazy("audit action", "imported")
        PASSWORD = "password", pgettext_lazy("audit action", "password changed")
        # Protected statistics seen or exported whole (unsuppressed): who, when, which
        # table, which scope (musow.protection).
        VIEW_WHOLE = "view_whole", pgettext_lazy("audit action", "viewed unsuppressed")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("kind of record"), max_length=100)
    target_id = models.CharField(_("record"), max_length=64)
    target_label = models.CharField(_("record label"), max_length=300, blank=True)
    # {field: [old, new]} in plain JSON values (codes, ISO dates, numbers).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        return [(name, pair[0], pair[1]) for name, pair in sorted(self.changes.items())]
