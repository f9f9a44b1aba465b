"""Elections and candidate lists (political participation): an election (kind, date,
round, place), its candidate lists whose candidates are recorded by position and sex —
no names — and the elected by sex. Appointments are representation's compositions
(`musow.representation`), checked against art. 1 of Law No. 2015-052 (`elections.law`).

Writes go through `elections.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musow.geo.models import Place
from musow.lib.i18n import localized
from musow.lib.models import CodeManager
from musow.representation.models import SEAT_SEXES, Process, Record, Status

__all__ = ["SEAT_SEXES", "Status", "Election", "CandidateList", "Candidate", "Council"]


class Council(models.TextChoices):
    """The body a candidate list is for."""

    ASSEMBLY = "national-assembly", _("National Assembly")
    HCCT = "hcct", _("High Council of Local Authorities")
    REGIONAL = "regional-council", _("regional council")
    CERCLE = "cercle-council", _("cercle council")
    COMMUNAL = "communal-council", _("communal council")
    OTHER = "other", _("other")


class Election(models.Model):
    """One round of an election on one date (a second round is another election)."""

    class Kind(models.TextChoices):
        PRESIDENTIAL = "presidential", _("presidential")
        LEGISLATIVE = "legislative", _("legislative")
        HCCT = "hcct", _("High Council of Local Authorities")
        REGIONAL = "regional", _("regional")
        CERCLE = "cercle", _("cercle")
        COMMUNAL = "communal", _("communal")
        OTHER = "other", _("other")

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        REGION = "region", _("region")
        CERCLE = "cercle", _("cercle")
        COMMUNE = "commune", _("commune")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    place = models.ForeignKey(
        Place,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
        help_text=_("Where the election is held (none for a national election)."),
    )
    process = models.ForeignKey(
        Process,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="elections",
        verbose_name=_("process"),
    )
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative (demo)"),
        default=False,
        help_text=_("Invented for trying musow: never the mission's figures."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    objects = CodeManager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-held_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(round__gte=1), name="election_round_positive")
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def name(self) -> str:
        return localized(self, "name")


class Compliance(models.TextChoices):
    MEETS = "meets", _("meets the law")
    FAILS = "fails", _("does not meet the law")
    NOT_APPLICABLE = "n/a", _("not applicable")


class CandidateList(Record):
    """A candidate list: a party or grouping's candidates by position and sex for one
    council at one place, with the number of women and men elected (None: not given).

    A "total" record holds an election's elected by sex as the source reports them for
    all lists together (no positions): an election has either lists or one total."""

    election = models.ForeignKey(
        Election, models.PROTECT, related_name="lists", verbose_name=_("election")
    )
    party = models.CharField(_("party or grouping"), max_length=200)
    council = models.CharField(_("for"), max_length=30, choices=Council.choices)
    place = models.ForeignKey(
        Place,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
        help_text=_("The region, cercle or commune of the list."),
    )
    is_total = models.BooleanField(
        _("total of all lists"),
        default=False,
        help_text=_("The elected by sex of all lists together, as the source gives them."),
    )
    # Kept from the positions by the service (None for a total: no positions).
    candidates_women = models.PositiveIntegerField(_("women candidates"), null=True, blank=True)
    candidates_men = models.PositiveIntegerField(_("men candidates"), null=True, blank=True)
    elected_women = models.PositiveIntegerField(
        _("women elected"), null=True, blank=True, help_text=_("Empty: not given (no data).")
    )
    elected_men = models.PositiveIntegerField(
        _("men elected"), null=True, blank=True, help_text=_("Empty: not given (no data).")
    )
    # Law No. 2015-052, art. 2 and 3, as `elections.law` found them at the last save.
    art2 = models.CharField(
        _("art. 2"), max_length=5, choices=Compliance.choices, default=Compliance.NOT_APPLICABLE
    )
    art3 = models.CharField(
        _("art. 3"), max_length=5, choices=Compliance.choices, default=Compliance.NOT_APPLICABLE
    )

    class Meta:
        verbose_name = _("candidate list")
        verbose_name_plural = _("candidate lists")
        ordering = ["election", "is_total", "party", "pk"]
        indexes = [models.Index(fields=["election", "status"])]

    def __str__(self) -> str:
        return f"{self.party} — {self.election}"

    @property
    def sexes(self) -> str:
        """The candidates' sexes in position order ("ffm…")."""
        return "".join(c.sex for c in self.candidates.order_by("position"))


class Candidate(models.Model):
    """One position on a list: its sex and whether it was elected (no name)."""

    candidate_list = models.ForeignKey(
        CandidateList, models.CASCADE, related_name="candidates", verbose_name=_("list")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    sex = models.CharField(_("sex"), max_length=1, choices=SEAT_SEXES)
    elected = models.BooleanField(_("elected"), default=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["candidate_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate_list", "position"], name="candidate_one_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.sex}"
