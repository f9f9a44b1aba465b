"""Elections in the demo: a public figure with its source, and ILLUSTRATIVE candidate lists.

Public figure (press reports of official results, as issue 11 gives it): the communal
elections of 20 November 2016 elected 2 800 women councillors, against 927 at the
previous ones (26 April 2009). The source gives the women only: the men elected are
stored as "no data" (None), never a guessed number, so no share of women is made of it.

Everything else is marked `is_illustrative` in the data and said so by `musow demo`: an
invented partial communal election in the Gao region with three lists — one meeting the
law, one failing art. 2 (more than 70 % men), one failing art. 3 (three men in a row).

Loading again changes nothing (elections by code, lists by election and party).
"""

from datetime import date
from typing import Any

from django.db import transaction

from musow.demo.load import Tally, _region
from musow.elections import services
from musow.elections.models import CandidateList, Election
from musow.elections.services import ElectionInput, ListInput, positions_parse

PRESS = "Presse (résultats officiels) / press reports of official results"
MEN_NOT_GIVEN = (
    "La source ne donne pas le nombre d'hommes élus : « pas de donnée », pas de part "
    "calculée. / The source does not give the number of men elected: no data, no share."
)
ILLUSTRATIVE_NOTE = (
    "ILLUSTRATIF — listes inventées pour la démonstration, pas celles de la mission / "
    "ILLUSTRATIVE — lists invented for the demo, not the mission's"
)

ELECTIONS: list[dict[str, Any]] = [
    {
        "code": "communales-2009",
        "kind": "communal",
        "held_on": date(2009, 4, 26),
        "name_fr": "Élections communales du 26 avril 2009",
        "name_en": "Communal elections of 26 April 2009",
        "source_document": f"{PRESS} : 927 conseillères élues / 927 women councillors elected",
        "total_women": 927,
    },
    {
        "code": "communales-2016",
        "kind": "communal",
        "held_on": date(2016, 11, 20),
        "name_fr": "Élections communales du 20 novembre 2016",
        "name_en": "Communal elections of 20 November 2016",
        "source_document": (
            f"{PRESS} : 2 800 conseillères élues, contre 927 aux précédentes / "
            "2,800 women councillors elected, against 927 at the previous ones"
        ),
        "total_women": 2800,
    },
    {
        "code": "communales-partielles-gao-illustratif",
        "kind": "communal",
        "held_on": date(2017, 12, 17),
        "name_fr": "Communales partielles, région de Gao (ILLUSTRATIF)",
        "name_en": "Partial communal elections, Gao region (ILLUSTRATIVE)",
        "level": Election.Level.REGION,
        "place": "ML07",
        "source_document": "ILLUSTRATIF",
        "is_illustrative": True,
    },
]

# (party, sexes by position, women elected, men elected): ILLUSTRATIVE lists in Gao.
LISTS = [
    ("Liste A (ILLUSTRATIF)", "FMMFMFMMF", 2, 3),  # meets art. 2 and 3
    ("Liste B (ILLUSTRATIF)", "MMFMM", 0, 2),  # 4 men of 5 (80 %): fails art. 2
    ("Liste C (ILLUSTRATIF)", "FMMMFFMF", 1, 1),  # positions 2-4 all men: fails art. 3
]


@transaction.atomic
def elections_demo_load() -> dict[str, Tally]:
    elections, lists = Tally(), Tally()
    for spec in ELECTIONS:
        spec = dict(spec)
        code, total_women = spec.pop("code"), spec.pop("total_women", None)
        if "place" in spec:
            spec["place"] = _region(spec["place"])
        election = Election.objects.filter(code=code).first()
        if election is None:
            election = services.election_save(data=ElectionInput(**spec), code=code)
            elections.add("created")
        else:
            elections.add("unchanged")
        if total_women is not None:
            lists.add(_total(election, total_women, spec["source_document"]))
    gao = Election.objects.get(code="communales-partielles-gao-illustratif")
    for party, sexes, women, men in LISTS:
        lists.add(_list(gao, party, sexes, women, men))
    return {"elections": elections, "lists": lists}


def _validated(candidate_list: CandidateList) -> None:
    if candidate_list.status == "draft":
        services.list_submit(candidate_list=candidate_list)
    if candidate_list.status == "submitted":
        services.list_validate(candidate_list=candidate_list)


def _total(election: Election, women: int, source: str) -> str:
    party = "Toutes les listes (total national) / All lists (national total)"
    if CandidateList.objects.filter(election=election, party=party).exists():
        return "unchanged"
    data = ListInput(
        election=election,
        party=party,
        council="communal-council",
        place=None,
        is_total=True,
        elected_women=women,
        elected_men=None,  # not given by the source: no data
        source_document=source,
        note=MEN_NOT_GIVEN,
    )
    _validated(services.list_save(data=data))
    return "created"


def _list(election: Election, party: str, sexes: str, women: int, men: int) -> str:
    if CandidateList.objects.filter(election=election, party=party).exists():
        return "unchanged"
    data = ListInput(
        election=election,
        party=party,
        council="communal-council",
        place=_region("ML07"),
        candidates=positions_parse(sexes),
        elected_women=women,
        elected_men=men,
        source_document="ILLUSTRATIF",
        note=ILLUSTRATIVE_NOTE,
        is_illustrative=True,
    )
    _validated(services.list_save(data=data))
    return "created"
