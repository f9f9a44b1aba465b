"""Elections and candidate lists for the tests of political participation."""

from datetime import date
from typing import Any

from musow.elections import services
from musow.elections.models import CandidateList, Election
from musow.elections.services import ElectionInput, ListInput, positions_parse
from tests.representation_factories import region


def make_election(
    kind: str = "communal", held_on: str = "2016-11-20", *, user: Any = None, **values: Any
) -> Election:
    data = ElectionInput(
        kind=kind,
        held_on=date.fromisoformat(held_on),
        name_fr=values.pop("name_fr", f"Élection {kind} {held_on}"),
        name_en=values.pop("name_en", f"{kind} election {held_on}"),
        **values,
    )
    return services.election_save(data=data, user=user)


def make_list(
    election: Election,
    sexes: str = "FMFMFM",
    *,
    place: str | None = "ML07",
    council: str = "communal-council",
    status: str = "validated",
    user: Any = None,
    **values: Any,
) -> CandidateList:
    values.setdefault("party", "Parti A")
    values.setdefault("source_document", "Liste déposée")
    data = ListInput(
        election=election,
        council=council,
        place=region(place) if place else None,
        candidates=positions_parse(sexes),
        **values,
    )
    saved = services.list_save(data=data, user=user)
    if status in ("submitted", "validated"):
        services.list_submit(candidate_list=saved, user=user)
    if status == "validated":
        services.list_validate(candidate_list=saved)
    return saved
