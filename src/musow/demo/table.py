"""Women at the table in the demo: public figures with their sources, and an ILLUSTRATIVE
peace process (the Algiers talks 2014, their delegations, five rounds, a 2015 follow-up
committee, a local reconciliation committee in Gao) invented for trying musow.

Public figures (press reports of official results, as issue 11 gives them): the
government formed in September 2018 had 11 women among 32 members, the one before 9 of
36; the National Assembly elected in 2020 seated 42 women of 147, the one before 14 of 147.
Everything else here is marked `is_illustrative` in the data and said so by `musow demo`:
the seed gives no such figures, and they are never to be presented as the mission's.

Loading again changes nothing (processes and bodies by code, compositions by body and
date, sittings by body and date).
"""

from datetime import date
from typing import Any

from django.db import transaction

from musow.demo.load import Tally, _region
from musow.representation import services
from musow.representation.models import Body, Composition, Process, Sitting
from musow.representation.services import CompositionInput, Count, SittingInput

ILLUSTRATIVE_NOTE = (
    "ILLUSTRATIF — chiffres inventés pour la démonstration, pas ceux de la mission / "
    "ILLUSTRATIVE — figures invented for the demo, not the mission's"
)
PRESS = "Presse (résultats officiels) / press reports of official results"

PROCESSES: list[dict[str, Any]] = [
    {
        "code": "pourparlers-alger",
        "name_fr": "Pourparlers inclusifs d'Alger (ILLUSTRATIF)",
        "name_en": "Algiers inclusive talks (ILLUSTRATIVE)",
        "start_date": date(2014, 7, 16),
        "end_date": date(2015, 6, 20),
        "is_illustrative": True,
    },
]

ALGIERS = {"process": "pourparlers-alger", "valid_from": date(2014, 7, 16)}
BODIES: list[dict[str, Any]] = [
    {
        "code": "gouvernement-mali",
        "name_fr": "Gouvernement du Mali",
        "name_en": "Government of Mali",
        "kind": Body.Kind.GOVERNMENT,
        "level": Body.Level.NATIONAL,
    },
    {
        "code": "assemblee-nationale",
        "name_fr": "Assemblée nationale",
        "name_en": "National Assembly",
        "kind": Body.Kind.ASSEMBLY,
        "level": Body.Level.NATIONAL,
    },
    *(
        {
            "code": code,
            "name_fr": f"{fr} (ILLUSTRATIF)",
            "name_en": f"{en} (ILLUSTRATIVE)",
            "kind": kind,
            "level": Body.Level.NATIONAL,
            "valid_to": date(2015, 6, 20),
            "is_illustrative": True,
            **ALGIERS,
        }
        for code, fr, en, kind in [
            (
                "alger-gouvernement",
                "Délégation du gouvernement, Alger",
                "Government delegation, Algiers",
                Body.Kind.DELEGATION,
            ),
            (
                "alger-coordination",
                "Délégation de la Coordination des mouvements, Alger",
                "Coordination of movements' delegation, Algiers",
                Body.Kind.DELEGATION,
            ),
            (
                "alger-plateforme",
                "Délégation de la Plateforme, Alger",
                "Platform delegation, Algiers",
                Body.Kind.DELEGATION,
            ),
            (
                "alger-mediation",
                "Équipe de médiation, Alger",
                "Mediation team, Algiers",
                Body.Kind.MEDIATION,
            ),
        ]
    ),
    {
        "code": "comite-suivi-accord",
        "name_fr": "Comité de suivi de l'Accord (ILLUSTRATIF)",
        "name_en": "Agreement Monitoring Committee (ILLUSTRATIVE)",
        "kind": Body.Kind.FOLLOW_UP,
        "level": Body.Level.NATIONAL,
        "valid_from": date(2015, 6, 20),
        "is_illustrative": True,
    },
    {
        "code": "reconciliation-gao",
        "name_fr": "Comité local de réconciliation de Gao (ILLUSTRATIF)",
        "name_en": "Gao local reconciliation committee (ILLUSTRATIVE)",
        "kind": Body.Kind.RECONCILIATION,
        "level": Body.Level.REGION,
        "place": "ML07",
        "valid_from": date(2015, 9, 1),
        "is_illustrative": True,
    },
]

# (body, date, {(role, sex): n}, declared total, source, illustrative)
COMPOSITIONS: list[tuple[str, date, dict[tuple[str, str], int], int | None, str, bool]] = [
    (
        "gouvernement-mali",
        date(2017, 12, 31),
        {("minister", "f"): 9, ("minister", "m"): 27},
        36,
        f"{PRESS} : gouvernement précédent, 9 femmes sur 36 (date approximative) / "
        "previous government, 9 women of 36 (approximate date)",
        False,
    ),
    (
        "gouvernement-mali",
        date(2018, 9, 9),
        {("minister", "f"): 11, ("minister", "m"): 21},
        32,
        f"{PRESS} : gouvernement de septembre 2018, 11 femmes sur 32 / September 2018 government",
        False,
    ),
    (
        "assemblee-nationale",
        date(2013, 12, 15),
        {("elected-member", "f"): 14, ("elected-member", "m"): 133},
        147,
        f"{PRESS} : législatives 2013, 14 femmes sur 147 / 2013 elections, 14 women of 147",
        False,
    ),
    (
        "assemblee-nationale",
        date(2020, 4, 30),
        {("elected-member", "f"): 42, ("elected-member", "m"): 105},
        147,
        f"{PRESS} : législatives 2020, 42 femmes sur 147 (28,6 %) / 2020 elections",
        False,
    ),
    # ILLUSTRATIVE from here on.
    (
        "alger-gouvernement",
        date(2014, 7, 16),
        {
            ("head-of-delegation", "m"): 1,
            ("negotiator", "f"): 1,
            ("negotiator", "m"): 9,
            ("technical-expert", "f"): 1,
            ("technical-expert", "m"): 4,
        },
        16,
        "ILLUSTRATIF",
        True,
    ),
    (
        "alger-gouvernement",
        date(2015, 2, 16),
        {
            ("head-of-delegation", "m"): 1,
            ("negotiator", "f"): 2,
            ("negotiator", "m"): 8,
            ("technical-expert", "f"): 2,
            ("technical-expert", "m"): 3,
        },
        16,
        "ILLUSTRATIF",
        True,
    ),
    (
        "alger-coordination",
        date(2014, 7, 16),
        {("head-of-delegation", "m"): 1, ("negotiator", "f"): 1, ("negotiator", "m"): 11},
        13,
        "ILLUSTRATIF",
        True,
    ),
    (
        "alger-plateforme",
        date(2014, 7, 16),
        {("head-of-delegation", "m"): 1, ("negotiator", "f"): 1, ("negotiator", "m"): 8},
        10,
        "ILLUSTRATIF",
        True,
    ),
    (
        "alger-mediation",
        date(2014, 7, 16),
        {
            ("mediator", "f"): 1,
            ("mediator", "m"): 7,
            ("secretariat", "f"): 2,
            ("secretariat", "m"): 2,
        },
        12,
        "ILLUSTRATIF",
        True,
    ),
    (
        "comite-suivi-accord",
        date(2015, 6, 20),
        {
            ("president", "m"): 1,
            ("member", "f"): 2,
            ("member", "m"): 27,
            ("observer", "f"): 1,
            ("observer", "m"): 5,
        },
        36,
        "ILLUSTRATIF",
        True,
    ),
    (
        "comite-suivi-accord",
        date(2016, 6, 20),
        {
            ("president", "m"): 1,
            ("member", "f"): 5,
            ("member", "m"): 24,
            ("observer", "f"): 2,
            ("observer", "m"): 4,
        },
        36,
        "ILLUSTRATIF",
        True,
    ),
    (
        "reconciliation-gao",
        date(2015, 9, 1),
        {("president", "m"): 1, ("member", "f"): 4, ("member", "m"): 10},
        15,
        "ILLUSTRATIF",
        True,
    ),
]

# Five rounds of talks in Algiers (ILLUSTRATIVE attendance, all delegations together).
ROUNDS = [
    (date(2014, 7, 16), "1er tour / 1st round", 4, 45),
    (date(2014, 9, 1), "2e tour / 2nd round", 5, 48),
    (date(2014, 10, 20), "3e tour / 3rd round", 5, 50),
    (date(2014, 11, 20), "4e tour / 4th round", 6, 47),
    (date(2015, 2, 16), "5e tour / 5th round", 7, 46),
]


@transaction.atomic
def table_load() -> dict[str, Tally]:
    """Create or update the demo's processes, bodies, compositions and sittings."""
    processes, bodies = Tally(), Tally()
    for spec in PROCESSES:
        values = {k: v for k, v in spec.items() if k != "code"}
        processes.add(services.process_sync(code=spec["code"], values=values))
    for spec in BODIES:
        values = {k: v for k, v in spec.items() if k != "code"}
        if "process" in values:
            values["process"] = Process.objects.get(code=values["process"])
        if "place" in values:
            values["place"] = _region(values["place"])
        bodies.add(services.body_sync(code=spec["code"], values=values))
    from musow.demo.advocacy import advocacy_load

    return {
        "processes": processes,
        "bodies": bodies,
        "compositions": _compositions(),
        "sittings": _sittings(),
        **advocacy_load(),
    }


def _validated(record: Any, submit: Any, validate: Any) -> None:
    if record.status == "draft":
        submit(record)
    if record.status == "submitted":
        validate(record)


def _compositions() -> Tally:
    tally = Tally()
    for code, as_of, cells, total, source, illustrative in COMPOSITIONS:
        body = Body.objects.get(code=code)
        data = CompositionInput(
            body=body,
            as_of=as_of,
            counts=tuple(Count(role, sex, n) for (role, sex), n in cells.items()),
            declared_total=total,
            source_document=source,
            note=ILLUSTRATIVE_NOTE if illustrative else "",
            is_illustrative=illustrative,
        )
        stored = Composition.objects.filter(body=body, as_of=as_of).first()
        seats = (
            {(s.role.code, s.sex): s.count for s in stored.seats.select_related("role")}
            if stored
            else None
        )
        if stored is not None and seats == cells and stored.source_document == source:
            tally.add("unchanged")
            continue
        composition = services.composition_save(data=data, composition=stored)
        tally.add("created" if stored is None else "updated")
        _validated(
            composition,
            lambda c: services.composition_submit(composition=c),
            lambda c: services.composition_validate(composition=c),
        )
    return tally


def _sittings() -> Tally:
    tally = Tally()
    body = Body.objects.get(code="alger-mediation")
    for held_on, title, women, men in ROUNDS:
        if Sitting.objects.filter(body=body, held_on=held_on).exists():
            tally.add("unchanged")
            continue
        data = SittingInput(
            body=body,
            held_on=held_on,
            title=f"Pourparlers d'Alger, {title} (ILLUSTRATIF)",
            counts=(Count("negotiator", "f", women), Count("negotiator", "m", men)),
            source_document="ILLUSTRATIF",
            note=ILLUSTRATIVE_NOTE,
            is_illustrative=True,
        )
        sitting = services.sitting_save(data=data)
        tally.add("created")
        _validated(
            sitting,
            lambda s: services.sitting_submit(sitting=s),
            lambda s: services.sitting_validate(sitting=s),
        )
    return tally
