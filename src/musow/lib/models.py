"""Shared model bases."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from musow.lib.i18n import localized


class CodeManager(models.Manager["Any"]):
    def get_by_natural_key(self, code: str) -> Any:
        return self.get(code=code)


class Term(models.Model):
    """A controlled vocabulary entry with a stable code and names in French and English."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CodeManager()

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def name(self) -> str:
        return localized(self, "name")
