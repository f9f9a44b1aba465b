"""Trainings that measure learning (issue 13).

A course (bilingual title, audience, duration, version, pass mark) has a question bank.
A training session is an existing activity that names its course (`TrainingSession`):
the activity keeps counting as it always did. Its trainees are the activity's
pseudonymous attendees (`activities.Attendee`, on its attendance list), with what a
training needs to know about them — component, category, contributing country, rank
band; never a name. Each trainee may have a pre-test and a post-test (a score 0–100, or
answers scored against the course's key), a reaction (Likert 1–5), completion, and
follow-ups at 3 and 9 months. Everything is optional: a missing test is "no data".
"""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musow.activities.models import Activity, Attendee
from musow.lib.i18n import localized
from musow.lib.models import CodeManager


class Component(models.TextChoices):
    CIVILIAN = "civilian", _("civilian")
    MILITARY = "military", _("military")
    POLICE = "police", _("police")
    FDS = "fds", _("national defence and security forces")
    OTHER = "other", _("other")


UNIFORMED = (Component.MILITARY, Component.POLICE, Component.FDS)


class Category(models.TextChoices):
    STAFF = "staff", _("staff member")
    CONTINGENT = "contingent", _("contingent member")
    STAFF_OFFICER = "staff-officer", _("staff officer or military observer")
    INDIVIDUAL_POLICE = "ipo", _("individual police officer")
    FORMED_POLICE = "fpu", _("formed police unit member")
    UN_VOLUNTEER = "unv", _("UN volunteer")
    NATIONAL = "national", _("national forces member")
    OTHER = "other", _("other")


class RankBand(models.TextChoices):
    SENIOR_OFFICER = "senior-officer", _("senior officer")
    OFFICER = "officer", _("officer")
    NCO = "nco", _("non-commissioned officer")
    OTHER_RANKS = "other-ranks", _("other ranks")


class Course(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    audience_fr = models.CharField(_("audience (French)"), max_length=300, blank=True)
    audience_en = models.CharField(_("audience (English)"), max_length=300, blank=True)
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    version = models.CharField(_("version"), max_length=100, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (0–100)"), default=70)

    objects = CodeManager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="course_pass_mark_range")
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def audience(self) -> str:
        return localized(self, "audience")


class Question(models.Model):
    """An item of the course's question bank; `choices` are [{"code", "fr", "en"}]."""

    course = models.ForeignKey(
        Course, models.CASCADE, related_name="questions", verbose_name=_("course")
    )
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"))
    choices = models.JSONField(_("choices"), default=list)
    answer = models.CharField(_("answer key"), max_length=40)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["course", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="question_code_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.course.code}/{self.code}"

    @property
    def text(self) -> str:
        return localized(self, "text")

    def choice_codes(self) -> list[str]:
        return [str(c["code"]) for c in self.choices]


class TrainingSession(models.Model):
    """An activity that is a session of a course (the activity counts as before)."""

    activity = models.OneToOneField(
        Activity, models.CASCADE, related_name="training", verbose_name=_("activity")
    )
    course = models.ForeignKey(
        Course, models.PROTECT, related_name="sessions", verbose_name=_("course")
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.course.code}: {self.activity}"


class Trainee(models.Model):
    """A person on a session's attendance list, as the training knows them: no name."""

    session = models.ForeignKey(
        TrainingSession, models.CASCADE, related_name="trainees", verbose_name=_("session")
    )
    attendee = models.ForeignKey(
        Attendee, models.PROTECT, related_name="trainings", verbose_name=_("attendee")
    )
    component = models.CharField(
        _("component"), max_length=12, choices=Component.choices, default=Component.OTHER
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    country = models.CharField(_("contributing country"), max_length=2, blank=True)
    rank_band = models.CharField(
        _("rank band"), max_length=16, choices=RankBand.choices, blank=True
    )
    completed = models.BooleanField(_("completed"), null=True, blank=True)
    reaction = models.PositiveSmallIntegerField(_("reaction (1–5)"), null=True, blank=True)

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "attendee"], name="trainee_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(reaction__isnull=True) | Q(reaction__gte=1, reaction__lte=5),
                name="trainee_reaction_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee} @ {self.session_id}"

    def _score(self, kind: str) -> Any:
        return next((t.score for t in self.tests.all() if t.kind == kind), None)

    @property
    def pre_score(self) -> Any:
        return self._score("pre")

    @property
    def post_score(self) -> Any:
        return self._score("post")


class TestResult(models.Model):
    __test__ = False  # not a pytest class

    class Kind(models.TextChoices):
        PRE = "pre", _("pre-test")
        POST = "post", _("post-test")

    trainee = models.ForeignKey(
        Trainee, models.CASCADE, related_name="tests", verbose_name=_("trainee")
    )
    kind = models.CharField(_("test"), max_length=4, choices=Kind.choices)
    score = models.DecimalField(_("score (0–100)"), max_digits=5, decimal_places=2)
    answers = models.JSONField(_("answers"), null=True, blank=True)

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "kind"], name="test_once_per_kind"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="test_range"),
            models.CheckConstraint(condition=Q(kind__in=["pre", "post"]), name="test_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.kind} {self.score}"


class FollowUp(models.Model):
    class Applied(models.TextChoices):
        YES = "yes", _("yes")
        PARTLY = "partly", _("partly")
        NO = "no", _("no")

    trainee = models.ForeignKey(
        Trainee, models.CASCADE, related_name="follow_ups", verbose_name=_("trainee")
    )
    months = models.PositiveSmallIntegerField(_("months after"))
    applied = models.CharField(_("applied at work"), max_length=8, choices=Applied.choices)
    example = models.TextField(_("example"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "months"], name="follow_up_once"),
            models.CheckConstraint(condition=Q(months__in=[3, 9]), name="follow_up_months"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.months} months, {self.applied}"
