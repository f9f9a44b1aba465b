"""The activity register: what the unit did, where, with whom, and who was reached.

Counting rules (see README, "How figures are counted"):
- a `Participation` row is a number of *contacts* for one audience × sex × age group;
- an `Attendance` row links a pseudonymous `Attendee` to an activity, for *unique persons*;
- `MediaReach` is an estimated audience, never added to direct participants.
An activity's total is always the sum of its participation rows: it is derived,
never stored, so it cannot disagree with its disaggregation.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from musow.geo.models import Place
from musow.lib.i18n import localized
from musow.lib.models import CodeManager, Term
from musow.lib.spreadsheet import misread

# The longest texts an activity keeps, one limit per field, checked at every door (the
# write path's validation) and by the database (a CHECK per table, below). All fit in
# a spreadsheet cell (32 767 characters), so an export never cuts a text.
ACTIVITY_TEXT_MAX = {
    "title": 300,
    "description": 10_000,
    "source": 200,
    "source_key": 200,
    "origin": 500,
    "review_comment": 2_000,
}
MEDIA_TEXT_MAX = {"outlet": 200, "method": 2_000}


class SpreadsheetSafeCode:
    """A code that users type in spreadsheets must stay text there: French Excel and
    LibreOffice read `8-mars-2014` as a date and `007` as 7 (lib/spreadsheet.py)."""

    code: str

    def clean(self) -> None:
        if self.code and misread(self.code):
            raise ValidationError(
                {
                    "code": _(
                        "A spreadsheet would read “%(code)s” as a date or a number and change "
                        "it: add a word (for example journee-8-mars-2014)."
                    )
                    % {"code": self.code}
                }
            )


def _lengths_check(model_name: str, limits: dict[str, int]) -> models.CheckConstraint:
    """One CHECK for all the texts of a table (one constraint: one rebuild of a large
    SQLite table when it is added, not one per field)."""
    condition = Q()
    for name, limit in limits.items():
        condition &= Q(LessThanOrEqual(Length(name), limit))
    return models.CheckConstraint(condition=condition, name=f"{model_name}_text_lengths")


class Sex(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")
    UNKNOWN = "u", _("not recorded")


class ActivityType(Term):
    class Meta(Term.Meta):
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")


class Theme(Term):
    # Gender-based violence (GBV/SGBV) is: its activities are counted in published figures
    # but never listed on the public pages, whatever the indicator (issue 9, item 18).
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Activities with a sensitive theme are never listed on the public pages."),
    )

    class Meta(Term.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Audience(Term):
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("broader audience"),
    )

    class Meta(Term.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class AgeGroup(Term):
    """An age band. The default set is under 18 / 18 and over / not recorded."""

    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)

    class Meta(Term.Meta):
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_age__isnull=True)
                | Q(min_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="agegroup_max_after_min",
                violation_error_message=_("The maximum age cannot be below the minimum age."),
            )
        ]


class Objective(Term):
    """A line of the unit's mandate."""

    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"))

    class Meta(Term.Meta):
        verbose_name = _("mandate line")
        verbose_name_plural = _("mandate lines")

    @property
    def text(self) -> str:
        return localized(self, "text")


class CampaignSeries(Term):
    """A recurring campaign: the 16 Days of Activism, the UNSCR 1325 open day, 8 March."""

    class Meta(Term.Meta):
        verbose_name = _("campaign series")
        verbose_name_plural = _("campaign series")


class Campaign(SpreadsheetSafeCode, models.Model):
    """One edition of a campaign, with its date window (16 Days 2014: 25 Nov – 10 Dec)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    series = models.ForeignKey(
        CampaignSeries, models.PROTECT, related_name="campaigns", verbose_name=_("series")
    )
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    objects = CodeManager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="campaign_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def name(self) -> str:
        return localized(self, "name")


class Project(SpreadsheetSafeCode, models.Model):
    """A project or programme the unit runs or supports."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=400)
    name_en = models.CharField(_("name (English)"), max_length=400)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def name(self) -> str:
        return localized(self, "name")


class Organisation(SpreadsheetSafeCode, models.Model):
    class Kind(models.TextChoices):
        WOMENS_ORGANISATION = "womens_org", _("women's organisation")
        CIVIL_SOCIETY = "cso", _("civil society organisation")
        MINISTRY = "ministry", _("ministry or public institution")
        SECURITY_FORCES = "security", _("defence and security forces")
        UN_ENTITY = "un", _("UN entity")
        NGO = "ngo", _("NGO")
        MEDIA = "media", _("media")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    place = models.ForeignKey(
        Place, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("place")
    )

    objects = CodeManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Activity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned to its author")
        VALIDATED = "validated", _("validated")
        DELETED = "deleted", _("deleted")

    activity_type = models.ForeignKey(
        ActivityType, models.PROTECT, related_name="activities", verbose_name=_("type")
    )
    themes = models.ManyToManyField(Theme, related_name="activities", verbose_name=_("themes"))
    title = models.CharField(_("title"), max_length=ACTIVITY_TEXT_MAX["title"])
    description = models.TextField(
        _("description"), blank=True, max_length=ACTIVITY_TEXT_MAX["description"]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.ForeignKey(
        Place, models.PROTECT, related_name="activities", verbose_name=_("place")
    )
    campaign = models.ForeignKey(
        Campaign,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("campaign"),
    )
    project = models.ForeignKey(
        Project,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("project"),
    )
    organiser = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_activities",
        verbose_name=_("organiser"),
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partnered_activities", verbose_name=_("partners")
    )
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="activities", verbose_name=_("mandate lines")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Where the record came from: "web", "admin", "demo", "import:<file>", …
    # with a key stable within that source, so that loading the same source
    # twice updates rather than duplicates.
    source = models.CharField(_("source"), max_length=ACTIVITY_TEXT_MAX["source"], blank=True)
    source_key = models.CharField(
        _("key in source"), max_length=ACTIVITY_TEXT_MAX["source_key"], blank=True
    )
    # Fingerprint of the data last written from that source: an identical
    # record loaded again changes nothing.
    source_hash = models.CharField(_("fingerprint of source data"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    # Where this record came from, for people: "activites.xlsx, sheet Activités, row 12",
    # "KoboToolbox submission uuid:…", "entered by aminata".
    origin = models.CharField(
        _("origin"), max_length=ACTIVITY_TEXT_MAX["origin"], blank=True, db_default=""
    )
    # The last comment of a validator who returned the activity to its author.
    review_comment = models.TextField(
        _("review comment"),
        blank=True,
        db_default="",
        max_length=ACTIVITY_TEXT_MAX["review_comment"],
    )
    # Optimistic locking: each write adds one; a save made from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    status_before_deletion = models.CharField(
        _("status before deletion"),
        max_length=12,
        choices=Status.choices,
        blank=True,
        db_default="",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="activity_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "validated", "deleted"]),
                name="activity_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="deleted", deleted_at__isnull=False)
                | (~Q(status="deleted") & Q(deleted_at__isnull=True)),
                name="activity_deleted_has_date",
            ),
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=~Q(source_key=""),
                name="activity_source_key_unique",
            ),
            _lengths_check("activity", ACTIVITY_TEXT_MAX),
        ]
        indexes = [
            # Covers what the counting engine filters and joins on (status, period,
            # type, campaign, place), so figures read the index, not the rows
            # (measured in bench/README.md).
            models.Index(
                fields=["status", "start_date", "activity_type", "campaign", "place"],
                name="activity_status_start_cover",
            ),
            models.Index(fields=["start_date"], name="activity_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        campaign = self.campaign if self.campaign_id else None
        if campaign is not None and self.start_date and self.end_date:
            if self.end_date < campaign.start_date or self.start_date > campaign.end_date:
                errors["campaign"] = _(
                    "The activity's dates fall outside the campaign window (%(start)s – %(end)s)."
                ) % {"start": campaign.start_date, "end": campaign.end_date}
        if errors:
            raise ValidationError(errors)

    @property
    def is_official(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def is_editable(self) -> bool:
        """Its author may still change it (validated ones go back through an officer)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_deleted(self) -> bool:
        return self.status == self.Status.DELETED


class Participation(models.Model):
    """Contacts of one activity for one audience × sex × age group."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="participation", verbose_name=_("activity")
    )
    audience = models.ForeignKey(
        Audience, models.PROTECT, related_name="+", verbose_name=_("audience")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_group = models.ForeignKey(
        AgeGroup, models.PROTECT, related_name="+", verbose_name=_("age group")
    )
    count = models.PositiveIntegerField(_("number of participants"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "audience", "sex", "age_group"],
                name="participation_one_row_per_cell",
                violation_error_message=_(
                    "This activity already has a count for this audience, sex and age group."
                ),
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0),
                name="participation_count_not_negative",
                violation_error_message=_("A number of participants cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["f", "m", "u"]), name="participation_sex_valid"
            ),
        ]
        indexes = [
            # Every column the counting engine reads, so that contacts are summed
            # from the index alone (no lookup of each row).
            models.Index(
                fields=["activity", "audience", "sex", "age_group", "count"],
                name="participation_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audience} · {self.get_sex_display()} · {self.age_group}: {self.count}"


class Attendee(models.Model):
    """A person who attended, known only by a pseudonymous key.

    The key is a keyed hash (HMAC-SHA256 with a deployment secret) of what
    identifies the person, or of a participant code; names are not kept.
    """

    key = models.CharField(_("pseudonymous key"), max_length=64, unique=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=["f", "m", "u"]), name="attendee_sex_valid")
        ]

    def __str__(self) -> str:
        return self.key[:12]


class Attendance(models.Model):
    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="attendance", verbose_name=_("activity")
    )
    attendee = models.ForeignKey(
        Attendee, models.PROTECT, related_name="attendance", verbose_name=_("attendee")
    )
    audience = models.ForeignKey(
        Audience,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audience"),
    )
    age_group = models.ForeignKey(
        AgeGroup,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("age group"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "attendee"],
                name="attendance_once_per_activity",
                violation_error_message=_("This person is already on this activity's list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.attendee} @ {self.activity_id}"


class MediaReach(models.Model):
    """An estimated audience reached through a medium: reported apart from participants."""

    class Medium(models.TextChoices):
        RADIO = "radio", _("radio")
        TELEVISION = "tv", _("television")
        PRINT = "print", _("print")
        ONLINE = "online", _("online / social media")
        OTHER = "other", _("other")

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="media_reach", verbose_name=_("activity")
    )
    medium = models.CharField(_("medium"), max_length=10, choices=Medium.choices)
    outlet = models.CharField(_("outlet"), max_length=MEDIA_TEXT_MAX["outlet"], blank=True)
    estimated_audience = models.PositiveIntegerField(_("estimated audience"))
    method = models.TextField(
        _("how it was estimated"), blank=True, max_length=MEDIA_TEXT_MAX["method"]
    )

    class Meta:
        verbose_name = _("media reach")
        verbose_name_plural = _("media reach")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_audience__gte=0),
                name="mediareach_not_negative",
                violation_error_message=_("An estimated audience cannot be negative."),
            ),
            _lengths_check("mediareach", MEDIA_TEXT_MAX),
        ]

    def __str__(self) -> str:
        return f"{self.get_medium_display()} {self.outlet}: {self.estimated_audience}"
