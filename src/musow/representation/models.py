"""Women at the table: processes, the bodies where decisions are made, who sits in them
by role and sex at a date (compositions: stocks), and their sittings (flows).

No names of individuals: a composition is counts by role × sex, with its source.
Writes go through `representation.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musow.geo.models import Place
from musow.lib.i18n import localized
from musow.lib.models import CodeManager, Term

# Sexes a seat is counted by (the register's codes: f, m).
SEAT_SEXES = (("f", _("women")), ("m", _("men")))


class Process(models.Model):
    """A peace process, a negotiation, an election: what bodies belong to."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative (demo)"),
        default=False,
        help_text=_("Invented for trying musow: never the mission's figures."),
    )

    objects = CodeManager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["start_date", "code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def name(self) -> str:
        return localized(self, "name")


class Body(models.Model):
    """A body where decisions are made: a delegation, a committee, a government…"""

    class Kind(models.TextChoices):
        DELEGATION = "delegation", _("negotiating delegation")
        MEDIATION = "mediation", _("mediation team")
        FOLLOW_UP = "follow-up-committee", _("follow-up committee")
        SUB_COMMITTEE = "sub-committee", _("sub-committee")
        GOVERNMENT = "government", _("government")
        ASSEMBLY = "national-assembly", _("national assembly")
        REGIONAL_COUNCIL = "regional-council", _("regional council")
        COMMUNAL_COUNCIL = "communal-council", _("communal council")
        DDR = "ddr-commission", _("DDR commission")
        SSR = "ssr-commission", _("SSR commission")
        RECONCILIATION = "reconciliation-committee", _("local reconciliation committee")
        WOMENS_PLATFORM = "womens-platform", _("women's platform")
        OBSERVERS = "observers", _("observers")
        OTHER = "other", _("other body")

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        REGION = "region", _("region")
        CERCLE = "cercle", _("cercle")
        COMMUNE = "commune", _("commune")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    place = models.ForeignKey(
        Place,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
        help_text=_("Where the body sits (none for a national body)."),
    )
    process = models.ForeignKey(
        Process,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("process"),
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent body"),
    )
    valid_from = models.DateField(_("in existence from"), null=True, blank=True)
    valid_to = models.DateField(_("in existence until"), null=True, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative (demo)"),
        default=False,
        help_text=_("Invented for trying musow: never the mission's figures."),
    )

    objects = CodeManager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="body_valid_to_after_valid_from",
                violation_error_message=_("A body cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def name(self) -> str:
        return localized(self, "name")

    def exists_on(self, day: object) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (  # type: ignore[operator]
            self.valid_to is None or day <= self.valid_to  # type: ignore[operator]
        )


class Role(Term):
    """A role at the table (head of delegation, negotiator, mediator…): data, bilingual."""

    class Meta(Term.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    VALIDATED = "validated", _("validated")


class Record(models.Model):
    """What a composition and a sitting share: their source, workflow and version."""

    source_document = models.CharField(_("source document"), max_length=300)
    source_date = models.DateField(_("date of the source"), null=True, blank=True)
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_illustrative = models.BooleanField(
        _("illustrative (demo)"),
        default=False,
        help_text=_("Invented for trying musow: never the mission's figures."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )

    class Meta:
        abstract = True


class Composition(Record):
    """Who sits in a body at a date (a stock): counts by role × sex (Seat rows)."""

    body = models.ForeignKey(
        Body, models.PROTECT, related_name="compositions", verbose_name=_("body")
    )
    as_of = models.DateField(_("composition on"))
    declared_total = models.PositiveIntegerField(
        _("declared total"),
        null=True,
        blank=True,
        help_text=_("The total the source gives, if any: the counts must add up to it."),
    )

    class Meta:
        verbose_name = _("composition")
        verbose_name_plural = _("compositions")
        ordering = ["body", "-as_of", "-pk"]
        indexes = [models.Index(fields=["body", "status", "as_of"])]

    def __str__(self) -> str:
        return f"{self.body} — {self.as_of.isoformat()}"


class Seat(models.Model):
    composition = models.ForeignKey(Composition, models.CASCADE, related_name="seats")
    role = models.ForeignKey(Role, models.PROTECT, related_name="+", verbose_name=_("role"))
    sex = models.CharField(_("sex"), max_length=1, choices=SEAT_SEXES)
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        verbose_name = _("seats")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["composition", "role", "sex"], name="seat_one_per_role_sex"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.sex}: {self.count}"


class Sitting(Record):
    """A round of talks or a session of a body at a date (a flow): attendance by role × sex."""

    body = models.ForeignKey(Body, models.PROTECT, related_name="sittings", verbose_name=_("body"))
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["body", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.body} — {self.held_on.isoformat()}"


class Presence(models.Model):
    sitting = models.ForeignKey(Sitting, models.CASCADE, related_name="presences")
    role = models.ForeignKey(Role, models.PROTECT, related_name="+", verbose_name=_("role"))
    sex = models.CharField(_("sex"), max_length=1, choices=SEAT_SEXES)
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "role", "sex"], name="presence_one_per_role_sex"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.sex}: {self.count}"


class IndicatorBodiesManager(models.Manager["IndicatorBodies"]):
    def get_by_natural_key(self, indicator: str) -> "IndicatorBodies":
        return self.get(indicator__code=indicator)


class IndicatorBodies(models.Model):
    """Which seats an indicator of this module counts: the kinds of body, levels and
    roles it is limited to (empty: all). Shipped with the indicators, as data."""

    indicator = models.OneToOneField(
        "indicators.Indicator",
        models.CASCADE,
        related_name="bodies_filter",
        verbose_name=_("indicator"),
    )
    body_kinds = models.JSONField(_("kinds of body"), default=list, blank=True)
    levels = models.JSONField(_("levels"), default=list, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    follow_up = models.JSONField(
        _("follow-up statuses"),
        default=list,
        blank=True,
        help_text=_("Recommendations: only those at one of these statuses (empty: all)."),
    )
    provisions = models.JSONField(
        _("gender provisions"),
        default=list,
        blank=True,
        help_text=_("Agreements: only those containing at least one of these (empty: all)."),
    )

    objects = IndicatorBodiesManager()

    class Meta:
        verbose_name = _("bodies an indicator counts")
        verbose_name_plural = _("bodies indicators count")

    def __str__(self) -> str:
        return str(self.indicator)

    def natural_key(self) -> tuple[str]:
        return (self.indicator.code,)


# --- what women's organisations asked for, and what the agreements say ----------------


class FollowUp(models.TextChoices):
    """Where a recommendation stands: it only moves forward (a recommendation not retained
    may still be reflected later, in another text)."""

    SUBMITTED = "submitted", _("submitted")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    REFLECTED = "reflected", _("reflected in a text or decision")
    NOT_RETAINED = "not-retained", _("not retained")


# How far each follow-up status is along the way (a follow-up never goes back).
FOLLOW_UP_RANK = {
    FollowUp.SUBMITTED: 0,
    FollowUp.ACKNOWLEDGED: 1,
    FollowUp.NOT_RETAINED: 2,
    FollowUp.REFLECTED: 3,
}


class Submission(Record):
    """A memorandum, a list of recommendations or a declaration that women's organisations
    submitted to a body (or a process) at a date; its recommendations are followed up."""

    class Kind(models.TextChoices):
        MEMORANDUM = "memorandum", _("memorandum")
        RECOMMENDATIONS = "recommendations", _("list of recommendations")
        DECLARATION = "declaration", _("declaration")

    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.ForeignKey(
        Body,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("body"),
    )
    process = models.ForeignKey(
        Process,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("process"),
    )
    submitted_on = models.DateField(_("submitted on"))
    organisations = models.ManyToManyField(
        "activities.Organisation", related_name="+", verbose_name=_("organisations")
    )

    class Meta:
        verbose_name = _("submission by women's organisations")
        verbose_name_plural = _("submissions by women's organisations")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(process__isnull=False),
                name="submission_to_a_body_or_process",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.submitted_on.isoformat()}"


class Recommendation(models.Model):
    """One recommendation of a submission, and where it stands (its latest follow-up)."""

    submission = models.ForeignKey(
        Submission, models.CASCADE, related_name="recommendations", verbose_name=_("submission")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("recommendation"))
    status = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, default=FollowUp.SUBMITTED
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["submission", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUpStep(models.Model):
    """A recommendation reached a status on a date (acknowledged, reflected in a text or
    decision, not retained). Its status at any date is its latest step by then."""

    recommendation = models.ForeignKey(
        Recommendation, models.CASCADE, related_name="steps", verbose_name=_("recommendation")
    )
    status = models.CharField(_("follow-up"), max_length=20, choices=FollowUp.choices)
    on = models.DateField(_("date"))
    agreement = models.ForeignKey(
        "Agreement",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reflected",
        verbose_name=_("reflected in the agreement"),
    )
    reflected_in = models.CharField(
        _("reflected in (text or decision)"), max_length=300, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered on"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up of a recommendation")
        verbose_name_plural = _("follow-ups of recommendations")
        ordering = ["recommendation", "on", "pk"]
        indexes = [models.Index(fields=["recommendation", "on"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} — {self.on.isoformat()}"


class GenderProvision(Term):
    """An item of the checklist of gender provisions an agreement may contain (women's
    participation or quota, SGBV, women's economic and social rights…): data, bilingual."""

    class Meta(Term.Meta):
        verbose_name = _("gender provision")
        verbose_name_plural = _("gender provisions")


class Agreement(Record):
    """An agreement or decision of a body (or a process) at a date: its signatories by sex
    (counts, no names) and the gender provisions it contains."""

    title = models.CharField(_("title"), max_length=300)
    body = models.ForeignKey(
        Body,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("body"),
    )
    process = models.ForeignKey(
        Process,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("process"),
    )
    signed_on = models.DateField(_("signed or adopted on"))
    signatories_women = models.PositiveIntegerField(_("women signatories"), null=True, blank=True)
    signatories_men = models.PositiveIntegerField(_("men signatories"), null=True, blank=True)
    provisions = models.ManyToManyField(
        GenderProvision, blank=True, related_name="agreements", verbose_name=_("gender provisions")
    )

    class Meta:
        verbose_name = _("agreement or decision")
        verbose_name_plural = _("agreements and decisions")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(process__isnull=False),
                name="agreement_of_a_body_or_process",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.signed_on.isoformat()}"
