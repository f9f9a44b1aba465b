"""Mali's Law No. 2015-052 of 18 December 2015 (measures to promote gender in access to
appointed and elected office), its three checks in one place: pure functions of counts
and of a list's sexes by position, each answering whether the law is met and why, in
words (French or English, by the active language).

- art. 1: among the people appointed to the institutions and public services, at least
  30 % of either sex;
- art. 2: a list of three or more candidates for the National Assembly, the High Council
  of Local Authorities or a local (regional, cercle, communal) council is not receivable
  with more than 70 % of women or of men;
- art. 3: on local election lists the sexes alternate: after two candidates of one sex,
  the third is of the other (never three of the same sex in a row).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from musow.lib.i18n import percent

THRESHOLD = 0.30  # art. 1: at least 30 % of either sex
CEILING = 0.70  # art. 2: not more than 70 % of either sex
ART2_MIN_CANDIDATES = 3
# The bodies whose lists art. 2 covers, and the local councils art. 3 covers.
ART2_COUNCILS = frozenset(
    {"national-assembly", "hcct", "regional-council", "cercle-council", "communal-council"}
)
LOCAL_COUNCILS = frozenset({"regional-council", "cercle-council", "communal-council"})

MEETS, FAILS, NOT_APPLICABLE = "meets", "fails", "n/a"


@dataclass(frozen=True)
class Verdict:
    """Whether one article is met: MEETS, FAILS or NOT_APPLICABLE (the article does not
    cover the case, or there is no data), and why, in words."""

    article: int
    outcome: str
    reason: str

    @property
    def meets(self) -> bool | None:
        return None if self.outcome == NOT_APPLICABLE else self.outcome == MEETS


def _share(part: int, whole: int) -> str:
    return percent(part / whole) if whole else "–"


def art1_appointed(women: int | None, men: int | None) -> Verdict:
    """Art. 1: at least 30 % of either sex among the people appointed (a body's seats)."""
    if women is None or men is None or women + men == 0:
        return Verdict(1, NOT_APPLICABLE, _("No data: the numbers of women and men are needed."))
    total = women + men
    fewer, label = (women, _("women")) if women <= men else (men, _("men"))
    what = {"n": fewer, "sex": label, "total": total, "share": _share(fewer, total)}
    if fewer / total < THRESHOLD:
        return Verdict(
            1,
            FAILS,
            _(
                "%(n)s of the %(total)s people appointed are %(sex)s (%(share)s): below the "
                "30 %% of either sex that art. 1 asks for."
            )
            % what,
        )
    return Verdict(
        1,
        MEETS,
        _(
            "%(n)s of the %(total)s people appointed are %(sex)s (%(share)s): at least "
            "30 %% of either sex."
        )
        % what,
    )


def art2_list(sexes: Sequence[str], council: str) -> Verdict:
    """Art. 2: a list of 3+ candidates for the covered bodies has at most 70 % of either sex."""
    n = len(sexes)
    if council not in ART2_COUNCILS:
        return Verdict(2, NOT_APPLICABLE, _("Art. 2 does not cover lists for this body."))
    if n < ART2_MIN_CANDIDATES:
        return Verdict(
            2,
            NOT_APPLICABLE,
            _("%(n)s candidate(s): art. 2 covers lists of three or more.") % {"n": n},
        )
    women = sum(1 for s in sexes if s == "f")
    more, label = (women, _("women")) if women >= n - women else (n - women, _("men"))
    what = {"n": more, "sex": label, "total": n, "share": _share(more, n)}
    if more / n > CEILING:
        return Verdict(
            2,
            FAILS,
            _(
                "%(n)s of the %(total)s candidates are %(sex)s (%(share)s): more than 70 %% "
                "of one sex, the list is not receivable (art. 2)."
            )
            % what,
        )
    return Verdict(
        2,
        MEETS,
        _("%(n)s of the %(total)s candidates are %(sex)s (%(share)s): at most 70 %% of either sex.")
        % what,
    )


def first_run_of_three(sexes: Sequence[str]) -> int | None:
    """The position (1-based) of the third candidate of a run of three of the same sex."""
    for i in range(2, len(sexes)):
        if sexes[i] == sexes[i - 1] == sexes[i - 2]:
            return i + 1
    return None


def art3_list(sexes: Sequence[str], council: str) -> Verdict:
    """Art. 3: on a local council's list, after two candidates of one sex, the third is of
    the other one."""
    if council not in LOCAL_COUNCILS:
        return Verdict(3, NOT_APPLICABLE, _("Art. 3 covers the lists of local councils only."))
    if len(sexes) < 3:
        return Verdict(3, NOT_APPLICABLE, _("Fewer than three candidates: nothing to alternate."))
    third = first_run_of_three(sexes)
    if third is not None:
        label = _("women") if sexes[third - 1] == "f" else _("men")
        return Verdict(
            3,
            FAILS,
            _(
                "Positions %(a)s, %(b)s and %(c)s are all %(sex)s: after two candidates of one "
                "sex, the third must be of the other (art. 3)."
            )
            % {"a": third - 2, "b": third - 1, "c": third, "sex": label},
        )
    return Verdict(3, MEETS, _("The sexes alternate: never three of the same sex in a row."))


def list_verdicts(sexes: Sequence[str], council: str) -> tuple[Verdict, Verdict]:
    """Art. 2 and art. 3 for one list (its candidates' sexes in position order)."""
    return art2_list(sexes, council), art3_list(sexes, council)


def overall(verdicts: Sequence[Verdict]) -> str:
    """FAILS if any article fails, MEETS if one applies and all that apply are met."""
    outcomes = {v.outcome for v in verdicts}
    if FAILS in outcomes:
        return FAILS
    return MEETS if MEETS in outcomes else NOT_APPLICABLE
