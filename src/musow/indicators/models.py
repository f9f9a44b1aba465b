"""Indicators are data: what to count, over which records, shown by which dimensions."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musow.activities.models import (
    ActivityType,
    AgeGroup,
    Audience,
    CampaignSeries,
    Objective,
    Project,
    Sex,
    Theme,
)
from musow.geo.models import Place
from musow.indicators.rules import dimension_choices, rule_choices
from musow.lib.i18n import localized
from musow.lib.models import CodeManager

# The dimensions a figure can be broken down by. Which of them an indicator
# allows depends on its rule (engine.dimensions_for); programme modules add theirs
# (indicators.rules).
DIMENSION_CHOICES = [
    ("year", _("year")),
    ("quarter", _("quarter")),
    ("month", _("month")),
    ("region", _("region")),
    ("activity_type", _("activity type")),
    ("theme", _("theme")),
    ("campaign", _("campaign")),
    ("project", _("project")),
    ("organiser", _("organiser")),
    ("audience", _("audience")),
    ("sex", _("sex")),
    ("age_group", _("age group")),
    ("medium", _("medium")),
]
DIMENSIONS = [code for code, _label in DIMENSION_CHOICES]


class Indicator(models.Model):
    class Rule(models.TextChoices):
        CONTACTS = "contacts", _("contacts (sum of participants over activities)")
        UNIQUE_PERSONS = "unique_persons", _("unique persons (distinct attendees)")
        ACTIVITIES = "activities", _("number of activities")
        MEDIA_REACH = "media_reach", _("estimated media audience")
        RATIO = "ratio", _("ratio of two indicators")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    # The sentence of "L'Unité Genre en chiffres", with {value} where the number goes.
    headline_fr = models.CharField(_("headline sentence (French)"), max_length=400, blank=True)
    headline_en = models.CharField(_("headline sentence (English)"), max_length=400, blank=True)
    description_fr = models.TextField(_("definition (French)"), blank=True)
    description_en = models.TextField(_("definition (English)"), blank=True)
    # The engine's rules (Rule) or a programme module's (indicators.rules): checked in clean().
    rule = models.CharField(_("counting rule"), max_length=40)

    # Filters: within one dimension any listed value matches; across dimensions
    # all must match. An empty filter does not restrict.
    activity_types = models.ManyToManyField(
        ActivityType, blank=True, related_name="+", verbose_name=_("activity types")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    campaign_series = models.ManyToManyField(
        CampaignSeries, blank=True, related_name="+", verbose_name=_("campaigns")
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="+", verbose_name=_("projects")
    )
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="+", verbose_name=_("audiences")
    )
    age_groups = models.ManyToManyField(
        AgeGroup, blank=True, related_name="+", verbose_name=_("age groups")
    )
    sexes = models.JSONField(
        _("sexes"), default=list, blank=True, help_text=_('e.g. ["f"] for women and girls')
    )
    regions = models.ManyToManyField(
        Place,
        blank=True,
        related_name="+",
        verbose_name=_("regions"),
        limit_choices_to={"level": Place.Level.REGION},
    )

    numerator = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("numerator"),
    )
    denominator = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("denominator"),
    )
    disaggregations = models.JSONField(
        _("allowed disaggregations"),
        default=list,
        blank=True,
        help_text=_('e.g. ["sex", "age_group", "audience", "region"]'),
    )
    objective = models.ForeignKey(
        Objective,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("mandate line"),
    )
    wps_reference = models.CharField(
        _("UNSCR 1325 global indicator"),
        max_length=200,
        blank=True,
        help_text=_("The S/2010/498 indicator this one reports against, if any."),
    )
    is_headline = models.BooleanField(_("in the headline figures"), default=False)
    # What the public pages (/fr/chiffres/, no sign-in) may show: the figure, and the list
    # of the activities behind it — two decisions of the unit admin. Activities with a
    # sensitive theme are never listed, whatever these say.
    is_public = models.BooleanField(
        _("published on the public pages"),
        default=False,
        help_text=_("Its value and definition are shown to anyone, without signing in."),
    )
    lists_public = models.BooleanField(
        _("its activities listed on the public pages"),
        default=False,
        help_text=_(
            "The activities behind its figure are listed to anyone (never those with a "
            "sensitive theme). Only for a published indicator."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CodeManager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rule="ratio") | Q(numerator__isnull=False, denominator__isnull=False),
                name="indicator_ratio_has_terms",
                violation_error_message=_("A ratio needs a numerator and a denominator."),
            ),
            models.CheckConstraint(
                condition=Q(lists_public=False) | Q(is_public=True),
                name="indicator_lists_public_only_if_public",
                violation_error_message=_(
                    "Its activities can be listed publicly only if the indicator is published."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        bad_sexes = [s for s in self.sexes or [] if s not in Sex.values]
        if not isinstance(self.sexes, list) or bad_sexes:
            errors["sexes"] = _("Unknown sex code(s): %(codes)s. Use f, m or u.") % {
                "codes": ", ".join(map(str, bad_sexes or [self.sexes]))
            }
        if self.rule not in {code for code, _label in rule_choices()}:
            errors["rule"] = _("Unknown counting rule: %(rule)s.") % {"rule": self.rule}
        known_dims = {code for code, _label in dimension_choices()}
        bad_dims = [d for d in self.disaggregations or [] if d not in known_dims]
        if not isinstance(self.disaggregations, list) or bad_dims:
            errors["disaggregations"] = _("Unknown dimension(s): %(dims)s.") % {
                "dims": ", ".join(map(str, bad_dims or [self.disaggregations]))
            }
        if self.rule == self.Rule.RATIO and not (self.numerator_id and self.denominator_id):
            errors["rule"] = _("A ratio needs a numerator and a denominator.")
        if self.lists_public and not self.is_public:
            errors["lists_public"] = _(
                "Its activities can be listed publicly only if the indicator is published."
            )
        if self.pk and self.pk in (self.numerator_id, self.denominator_id):
            errors["numerator"] = _("A ratio cannot use itself.")
        if errors:
            raise ValidationError(errors)

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def headline(self) -> str:
        return localized(self, "headline")

    @property
    def description(self) -> str:
        return localized(self, "description")


class Target(models.Model):
    """Baseline and target of an indicator for a period ("2014", "2014-Q4", "2014-11")."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    period = models.CharField(_("period"), max_length=40)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="target_one_per_indicator_period",
                violation_error_message=_("This indicator already has a target for this period."),
            ),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0),
                name="target_baseline_not_negative",
                violation_error_message=_("A baseline cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="target_target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}"

    def clean(self) -> None:
        from musow.indicators.periods import Period, PeriodError

        try:
            Period.parse(self.period)
        except PeriodError as exc:
            raise ValidationError({"period": str(exc)}) from exc
