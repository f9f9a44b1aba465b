"""Gender mainstreaming: reviews of mission documents and projects, with the Gender
Equality Marker, a checklist, and recommendations followed up until implemented.

The Gender Equality Marker (GEM) codes how much a document or a project contributes to
gender equality: 0 no contribution, 1 limited, 2 significant, 3 principal. Some entities
split 2 into 2a / 2b: the code given is kept as given (`marker_code`) and counted as 2
(`marker`). UN-SWAP's financial benchmark is the share of budgets coded 2 or 3.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from musow.activities.models import Organisation, Project
from musow.geo.models import Place
from musow.lib.models import Term


class Marker(models.IntegerChoices):
    NONE = 0, _("0 – no contribution to gender equality")
    LIMITED = 1, _("1 – limited contribution")
    SIGNIFICANT = 2, _("2 – significant contribution")
    PRINCIPAL = 3, _("3 – gender equality is the principal objective")


# The codes a reviewer may give, and the marker each counts as (2a and 2b count as 2).
MARKER_CODES: dict[str, int] = {"0": 0, "1": 1, "2": 2, "2a": 2, "2b": 2, "3": 3}
MARKER_CODE_CHOICES = [
    ("0", _("0 – no contribution")),
    ("1", _("1 – limited contribution")),
    ("2", _("2 – significant contribution")),
    ("2a", _("2a – significant (gender mainstreamed)")),
    ("2b", _("2b – significant (targeted action)")),
    ("3", _("3 – principal objective")),
]
# The document kind whose share with a gender analysis is reported (figures.py).
SECURITY_COUNCIL_REPORT = "sc-report"
# The checklist item that says a document contains a gender analysis.
GENDER_ANALYSIS = "gender-analysis"

_MARKER_RANGE = Q(marker__gte=0, marker__lte=3)


class DocumentKind(Term):
    """Policy, strategy, SOP, plan, budget or project proposal, report to the Security
    Council, public information product…"""

    class Meta(Term.Meta):
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")


class Section(Term):
    """A section of the mission that owns documents, projects or recommendations."""

    class Meta(Term.Meta):
        verbose_name = _("mission section")
        verbose_name_plural = _("mission sections")


class ChecklistItem(Term):
    """One question of the review checklist ("uses sex-disaggregated data"…)."""

    class Meta(Term.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")


class Review(models.Model):
    """A gender review of one mission document (or project proposal)."""

    kind = models.ForeignKey(
        DocumentKind, models.PROTECT, related_name="reviews", verbose_name=_("document kind")
    )
    title = models.CharField(_("document title"), max_length=300)
    section = models.ForeignKey(
        Section, models.PROTECT, related_name="reviews", verbose_name=_("owner section")
    )
    document_date = models.DateField(_("document date"), null=True, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_on = models.DateField(_("review date"))
    region = models.ForeignKey(
        Place,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Place.Level.REGION},
        verbose_name=_("region"),
        help_text=_("For a regional document: focal points of the region see its review."),
    )
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
        help_text=_("For a partner's document or proposal: the partner sees its review."),
    )
    project = models.ForeignKey(
        Project,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
    )
    marker = models.PositiveSmallIntegerField(_("Gender Equality Marker"), choices=Marker.choices)
    marker_code = models.CharField(
        _("marker code as given"), max_length=2, choices=MARKER_CODE_CHOICES
    )
    justification = models.TextField(_("justification of the marker"), max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("gender review")
        verbose_name_plural = _("gender reviews")
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_MARKER_RANGE, name="review_marker_in_scale"),
        ]

    def __str__(self) -> str:
        return self.title


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    PARTLY = "partly", _("partly")
    NO = "no", _("no")
    NOT_APPLICABLE = "na", _("not applicable")


class ReviewAnswer(models.Model):
    review = models.ForeignKey(Review, models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="review_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_answer_display()}"


class Recommendation(models.Model):
    """What the reviewer asks the owner section to change, followed up until it is
    implemented or not accepted: open → accepted → implemented, or → not accepted."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        IMPLEMENTED = "implemented", _("implemented")
        NOT_ACCEPTED = "not_accepted", _("not accepted")

    review = models.ForeignKey(
        Review, models.CASCADE, related_name="recommendations", verbose_name=_("review")
    )
    text = models.TextField(_("recommendation"), max_length=4000)
    section = models.ForeignKey(
        Section, models.PROTECT, related_name="recommendations", verbose_name=_("owner section")
    )
    made_on = models.DateField(_("made on"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    not_accepted_on = models.DateField(_("not accepted on"), null=True, blank=True)
    comment = models.TextField(_("follow-up comment"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=F("made_on")), name="recommendation_due_after_made"
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("made_on")),
                name="recommendation_accepted_after_made",
            ),
            models.CheckConstraint(
                condition=Q(implemented_on__isnull=True)
                | Q(accepted_on__isnull=False, implemented_on__gte=F("accepted_on")),
                name="recommendation_implemented_after_accepted",
            ),
            models.CheckConstraint(
                condition=Q(not_accepted_on__isnull=True) | Q(not_accepted_on__gte=F("made_on")),
                name="recommendation_declined_after_made",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, on: date) -> bool:
        """Still open or accepted (not implemented) after its due date."""
        return self.status in (self.Status.OPEN, self.Status.ACCEPTED) and self.due_date < on


class ProjectMarker(models.Model):
    """A project's Gender Equality Marker, its owner section and its budget by year."""

    project = models.OneToOneField(
        Project, models.CASCADE, related_name="gender_marker", verbose_name=_("project")
    )
    marker = models.PositiveSmallIntegerField(_("Gender Equality Marker"), choices=Marker.choices)
    marker_code = models.CharField(
        _("marker code as given"), max_length=2, choices=MARKER_CODE_CHOICES
    )
    section = models.ForeignKey(
        Section, models.PROTECT, related_name="projects", verbose_name=_("owner section")
    )
    justification = models.TextField(_("justification of the marker"), blank=True)

    class Meta:
        verbose_name = _("project marker")
        verbose_name_plural = _("project markers")
        constraints = [
            models.CheckConstraint(condition=_MARKER_RANGE, name="project_marker_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.project} ({self.marker_code})"


class ProjectBudget(models.Model):
    """A project's budget for one year (US dollars)."""

    project_marker = models.ForeignKey(
        ProjectMarker, models.CASCADE, related_name="budgets", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (USD)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("project budget")
        verbose_name_plural = _("project budgets")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_marker", "year"], name="project_budget_one_per_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"
