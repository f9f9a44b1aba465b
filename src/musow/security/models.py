"""Security sector reform and DDR: who is in the defence and security forces by force and
sex (strengths: a stock), and who goes through recruitment, DDR and community violence
reduction by stage, sex, age group and place (reports: flows).

No names of individuals: counts only, with their source. Writes go through
`security.services`. The workflow, source and version fields are representation's
(`representation.models.Record`), so that both modules behave alike.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musow.activities.models import AgeGroup, Project
from musow.geo.models import Place
from musow.lib.models import Term
from musow.representation.models import SEAT_SEXES, Record, Status

__all__ = ["SEXES", "Force", "IndicatorStages", "Programme", "Report", "ReportCount"]
__all__ += ["Stage", "Status", "Strength"]

SEXES = SEAT_SEXES  # f, m


class Programme(models.TextChoices):
    DDR = "ddr", _("disarmament, demobilisation and reintegration (DDR)")
    RECRUITMENT = "recruitment", _("recruitment into the forces")
    CVR = "cvr", _("community violence reduction (CVR)")


PROGRAMME_SHORT: dict[str, object] = {
    Programme.DDR: _("DDR"),
    Programme.RECRUITMENT: _("Recruitment"),
    Programme.CVR: _("CVR"),
}


class Force(Term):
    """A defence or security force (armed forces, national guard, gendarmerie, police,
    civil protection…): data, bilingual."""

    class Meta(Term.Meta):
        verbose_name = _("force")
        verbose_name_plural = _("forces")


class Stage(Term):
    """A stage of a programme (DDR: registered, demobilised, reintegrated; recruitment:
    recruited; CVR: beneficiary). Within a programme, `order` is the order people go
    through the stages: a later stage cannot count more people than an earlier one."""

    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)

    class Meta(Term.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")


class Strength(Record):
    """How many women and men serve in a force at a date (a stock)."""

    force = models.ForeignKey(
        Force, models.PROTECT, related_name="strengths", verbose_name=_("force")
    )
    as_of = models.DateField(_("strength on"))
    women = models.PositiveIntegerField(_("women"))
    men = models.PositiveIntegerField(_("men"))

    class Meta:
        verbose_name = _("strength of a force")
        verbose_name_plural = _("strengths of the forces")
        ordering = ["force", "-as_of", "-pk"]
        indexes = [models.Index(fields=["force", "status", "as_of"])]

    def __str__(self) -> str:
        return f"{self.force} — {self.as_of.isoformat()}"


class Report(Record):
    """A programme's figures for a place over a period (a flow): people by stage, sex and
    age group (ReportCount rows). Counted in a figure's period by its last day."""

    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    place = models.ForeignKey(Place, models.PROTECT, related_name="+", verbose_name=_("place"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    force = models.ForeignKey(
        Force,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("force"),
        help_text=_("For a recruitment: the force recruiting."),
    )
    project = models.ForeignKey(
        Project,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
        help_text=_("For community violence reduction: the project, if it is registered."),
    )

    class Meta:
        verbose_name = _("programme figures")
        verbose_name_plural = _("programme figures")
        ordering = ["-period_end", "-pk"]
        indexes = [models.Index(fields=["programme", "status", "period_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="security_report_end_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} — {self.place} — {self.period_end.isoformat()}"

    @property
    def programme_short(self) -> str:
        """DDR, Recruitment, CVR: the programme's name in a list."""
        return str(PROGRAMME_SHORT.get(self.programme, self.programme))


class ReportCount(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="counts")
    stage = models.ForeignKey(Stage, models.PROTECT, related_name="+", verbose_name=_("stage"))
    sex = models.CharField(_("sex"), max_length=1, choices=SEXES)
    age_group = models.ForeignKey(
        AgeGroup, models.PROTECT, related_name="+", verbose_name=_("age group")
    )
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        verbose_name = _("number of people")
        verbose_name_plural = _("numbers of people")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "stage", "sex", "age_group"], name="report_count_one_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.sex} {self.age_group}: {self.count}"


class IndicatorStagesManager(models.Manager["IndicatorStages"]):
    def get_by_natural_key(self, indicator: str) -> "IndicatorStages":
        return self.get(indicator__code=indicator)


class IndicatorStages(models.Model):
    """Which people an indicator of this module counts: its programme and stages (empty:
    every stage of the programme). Shipped with the indicators, as data."""

    indicator = models.OneToOneField(
        "indicators.Indicator",
        models.CASCADE,
        related_name="stages_filter",
        verbose_name=_("indicator"),
    )
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    stages = models.JSONField(_("stages"), default=list, blank=True)

    objects = IndicatorStagesManager()

    class Meta:
        verbose_name = _("stages an indicator counts")
        verbose_name_plural = _("stages indicators count")

    def __str__(self) -> str:
        return str(self.indicator)

    def natural_key(self) -> tuple[str]:
        return (self.indicator.code,)
