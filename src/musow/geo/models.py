from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musow.lib.i18n import localized


class GazetteerManager(models.Manager["Gazetteer"]):
    def get_by_natural_key(self, code: str) -> "Gazetteer":
        return self.get(code=code)


class Gazetteer(models.Model):
    """A code set for places (e.g. OCHA COD-AB for Mali, 2013–2021 frame) and its vintage.

    P-codes are only unique within a code set: Mali's post-2023 coding reuses ML09
    (Bamako before, Taoudénit after), so every place belongs to exactly one gazetteer.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    vintage = models.CharField(_("vintage"), max_length=40, help_text=_("e.g. 2013–2021"))
    source = models.TextField(_("source"), blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)

    objects = GazetteerManager()

    class Meta:
        verbose_name = _("gazetteer")
        verbose_name_plural = _("gazetteers")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.vintage})"

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class PlaceManager(models.Manager["Place"]):
    def get_by_natural_key(self, gazetteer: str, pcode: str) -> "Place":
        return self.get(gazetteer__code=gazetteer, pcode=pcode)


class Place(models.Model):
    class Level(models.IntegerChoices):
        REGION = 1, _("region / district")
        CERCLE = 2, _("cercle")
        COMMUNE = 3, _("commune")
        LOCALITY = 4, _("locality")

    gazetteer = models.ForeignKey(
        Gazetteer, models.PROTECT, related_name="places", verbose_name=_("gazetteer")
    )
    pcode = models.CharField(_("P-code"), max_length=20, blank=True)
    iso_3166_2 = models.CharField(_("ISO 3166-2 code"), max_length=10, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # The first-level ancestor (the place itself for a region), kept so that
    # figures by region need one join whatever the depth of the place.
    region = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("region"),
    )
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind_fr = models.CharField(_("kind (French)"), max_length=60, blank=True)
    kind_en = models.CharField(_("kind (English)"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = PlaceManager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["gazetteer", "level", "pcode", "name_fr"]
        constraints = [
            models.UniqueConstraint(
                fields=["gazetteer", "pcode"],
                condition=~Q(pcode=""),
                name="place_pcode_unique_in_gazetteer",
                violation_error_message=_("This P-code already exists in this gazetteer."),
            ),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="place_parent_matches_level",
                violation_error_message=_("A region has no parent; any deeper place has one."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="place_valid_to_after_valid_from",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pcode})" if self.pcode else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.level > 1 and self.parent_id is not None:
            self.region_id = Place.objects.values_list("region_id", flat=True).get(
                pk=self.parent_id
            )
        super().save(*args, **kwargs)
        if self.level == 1 and self.region_id != self.pk:
            Place.objects.filter(pk=self.pk).update(region=self.pk)
            self.region_id = self.pk

    def natural_key(self) -> tuple[str, str]:
        return (self.gazetteer.code, self.pcode)

    natural_key.dependencies = ["geo.gazetteer"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        parent = self.parent if self.parent_id else None
        if parent is None:
            return
        if parent.gazetteer_id != self.gazetteer_id:
            raise ValidationError({"parent": _("The parent must belong to the same gazetteer.")})
        if parent.level != self.level - 1:
            raise ValidationError(
                {"parent": _("The parent must be one level up (a cercle's parent is a region).")}
            )

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def kind(self) -> str:
        return localized(self, "kind")
