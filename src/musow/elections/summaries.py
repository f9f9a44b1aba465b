"""What the election pages show, read from the records (no writes): each list's verdicts
under Law No. 2015-052 with their reasons, an election's women among candidates and
elected (validated lists only, as the figures count them), and the appointments —
representation's compositions of appointed bodies — against art. 1."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from musow.elections import law
from musow.elections.models import CandidateList, Status
from musow.representation.models import Body, Composition, Seat

# The bodies whose members are appointed (art. 1: "institutions and public services").
APPOINTED_KINDS = (Body.Kind.GOVERNMENT, Body.Kind.DDR, Body.Kind.SSR)


@dataclass(frozen=True)
class Split:
    """Women and men (None: the source does not give it — no data)."""

    women: int | None
    men: int | None

    @property
    def total(self) -> int | None:
        return None if self.women is None or self.men is None else self.women + self.men

    @property
    def share(self) -> float | None:
        total = self.total
        return self.women / total if total and self.women is not None else None

    @property
    def below_threshold(self) -> bool:
        share = self.share
        return share is not None and min(share, 1 - share) < law.THRESHOLD


def list_verdicts(candidate_list: CandidateList) -> list[law.Verdict]:
    """Art. 2 and 3 for a list, with their reasons in the active language."""
    if candidate_list.is_total:
        return []
    sexes = [c.sex for c in candidate_list.candidates.all()]  # ordered by position
    return list(law.list_verdicts(sexes, candidate_list.council))


def list_row(candidate_list: CandidateList) -> dict[str, Any]:
    verdicts = list_verdicts(candidate_list)
    return {
        "list": candidate_list,
        "sexes": [c.sex for c in candidate_list.candidates.all()],
        "candidates": Split(candidate_list.candidates_women, candidate_list.candidates_men),
        "elected": Split(candidate_list.elected_women, candidate_list.elected_men),
        "verdicts": verdicts,
        "overall": law.overall(verdicts),
    }


def _sum(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def election_summary(lists: list[CandidateList]) -> dict[str, Any]:
    """Women and men among candidates and elected of the validated lists; elected men
    stay "no data" if any validated list lacks them."""
    counted = [c for c in lists if c.status == Status.VALIDATED]
    candidates = [c for c in counted if not c.is_total]
    elected_women = _sum(c.elected_women for c in counted)
    elected_men = _sum(c.elected_men for c in counted)
    if any(c.elected_men is None for c in counted) or any(c.elected_women is None for c in counted):
        complete = None
    else:
        complete = Split(elected_women, elected_men)
    return {
        "lists": len(candidates),
        "candidates": Split(
            _sum(c.candidates_women for c in candidates), _sum(c.candidates_men for c in candidates)
        )
        if candidates
        else None,
        "elected": complete or (Split(elected_women, None) if elected_women is not None else None),
        "failing_art2": sum(1 for c in candidates if c.art2 == law.FAILS),
        "failing_art3": sum(1 for c in candidates if c.art3 == law.FAILS),
    }


def appointments(bodies: Any) -> list[dict[str, Any]]:
    """Each validated composition of the appointed bodies among `bodies`, oldest first
    per body, with art. 1's verdict (at least 30 % of either sex)."""
    compositions = list(
        Composition.objects.filter(
            body__in=bodies.filter(kind__in=APPOINTED_KINDS), status=Status.VALIDATED
        )
        .select_related("body")
        .order_by("body__code", "as_of", "pk")
    )
    sums: dict[int, dict[str, int]] = {c.pk: {"f": 0, "m": 0} for c in compositions}
    rows = (
        Seat.objects.filter(composition__in=compositions)
        .values("composition_id", "sex")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in rows:
        sums[row["composition_id"]][row["sex"]] += row["n"] or 0
    out = []
    for c in compositions:
        split = Split(sums[c.pk]["f"], sums[c.pk]["m"])
        out.append({"composition": c, "split": split, "verdict": law.art1_appointed(**_wm(split))})
    return out


def _wm(split: Split) -> dict[str, int | None]:
    return {"women": split.women, "men": split.men}
