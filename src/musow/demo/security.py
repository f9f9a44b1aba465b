"""The security sector and DDR in the demo: an ILLUSTRATIVE composition of the defence and
security forces by force and sex (end of 2015 and of 2016), and an ILLUSTRATIVE DDR intake
in Gao and Tombouctou for 2015–2016, with a recruitment and a CVR project's beneficiaries.

Every figure here is invented for trying musow: marked `is_illustrative` in the data, its
source and note say so, and `musow demo` prints it. They are never the mission's figures,
nor the forces' or the DDR commission's. Loading again changes nothing (strengths by force
and date, programme figures by programme, place and period).
"""

from datetime import date
from typing import Any

from django.db import transaction

from musow.demo.load import Tally, _region
from musow.security import services
from musow.security.models import Force, Report, Strength
from musow.security.services import Cell, ReportInput, StrengthInput

ILLUSTRATIVE = (
    "ILLUSTRATIF — chiffres inventés pour la démonstration, pas ceux de la mission ni des "
    "forces / ILLUSTRATIVE — figures invented for the demo, not the mission's nor the forces'"
)
SOURCE = "ILLUSTRATIF / ILLUSTRATIVE"

# (force, date, women, men)
STRENGTHS: list[tuple[str, date, int, int]] = [
    ("fama", date(2015, 12, 31), 1_150, 13_850),
    ("garde-nationale", date(2015, 12, 31), 310, 6_690),
    ("gendarmerie", date(2015, 12, 31), 420, 5_580),
    ("police", date(2015, 12, 31), 1_020, 6_480),
    ("protection-civile", date(2015, 12, 31), 240, 1_760),
    ("fama", date(2016, 12, 31), 1_420, 14_580),
    ("garde-nationale", date(2016, 12, 31), 360, 6_840),
    ("gendarmerie", date(2016, 12, 31), 530, 5_770),
    ("police", date(2016, 12, 31), 1_180, 6_620),
    ("protection-civile", date(2016, 12, 31), 270, 1_830),
]

D = "ddr-registered", "ddr-demobilised", "ddr-reintegrated"
# (programme, region, start, end, force, {(stage, sex, age group): n})
REPORTS: list[tuple[str, str, date, date, str | None, dict[tuple[str, str, str], int]]] = [
    (
        "ddr",
        "ML07",
        date(2015, 7, 1),
        date(2015, 12, 31),
        None,
        {
            (D[0], "f", "18-plus"): 42,
            (D[0], "m", "18-plus"): 610,
            (D[0], "f", "under-18"): 6,
            (D[0], "m", "under-18"): 31,
            (D[1], "f", "18-plus"): 30,
            (D[1], "m", "18-plus"): 480,
            (D[1], "f", "under-18"): 6,
            (D[1], "m", "under-18"): 29,
        },
    ),
    (
        "ddr",
        "ML07",
        date(2016, 1, 1),
        date(2016, 12, 31),
        None,
        {
            (D[0], "f", "18-plus"): 55,
            (D[0], "m", "18-plus"): 720,
            (D[1], "f", "18-plus"): 48,
            (D[1], "m", "18-plus"): 650,
            (D[2], "f", "18-plus"): 21,
            (D[2], "m", "18-plus"): 390,
            (D[2], "f", "under-18"): 0,
            (D[2], "m", "under-18"): 12,
        },
    ),
    (
        "ddr",
        "ML06",
        date(2015, 7, 1),
        date(2015, 12, 31),
        None,
        {
            (D[0], "f", "18-plus"): 18,
            (D[0], "m", "18-plus"): 340,
            (D[0], "m", "under-18"): 14,
            (D[1], "f", "18-plus"): 12,
            (D[1], "m", "18-plus"): 260,
        },
    ),
    (
        "ddr",
        "ML06",
        date(2016, 1, 1),
        date(2016, 12, 31),
        None,
        {
            (D[0], "f", "18-plus"): 27,
            (D[0], "m", "18-plus"): 410,
            (D[1], "f", "18-plus"): 25,
            (D[1], "m", "18-plus"): 380,
            (D[2], "f", "18-plus"): 9,
            (D[2], "m", "18-plus"): 205,
        },
    ),
    (
        "recruitment",
        "ML07",
        date(2016, 1, 1),
        date(2016, 12, 31),
        "gendarmerie",
        {("recruited", "f", "18-plus"): 14, ("recruited", "m", "18-plus"): 126},
    ),
    (
        "cvr",
        "ML06",
        date(2016, 1, 1),
        date(2016, 12, 31),
        None,
        {
            ("cvr-beneficiary", "f", "18-plus"): 180,
            ("cvr-beneficiary", "m", "18-plus"): 320,
            ("cvr-beneficiary", "f", "under-18"): 40,
            ("cvr-beneficiary", "m", "under-18"): 60,
        },
    ),
]


@transaction.atomic
def security_demo_load() -> dict[str, Tally]:
    """Create or update the demo's strengths and programme figures (all ILLUSTRATIVE)."""
    return {"strengths": _strengths(), "reports": _reports()}


def _validated(record: Any) -> None:
    if record.status == "draft":
        services.record_submit(record=record)
    if record.status == "submitted":
        services.record_validate(record=record)


def _strengths() -> Tally:
    tally = Tally()
    for code, as_of, women, men in STRENGTHS:
        force = Force.objects.get(code=code)
        stored = Strength.objects.filter(force=force, as_of=as_of, is_illustrative=True).first()
        if stored is not None and (stored.women, stored.men) == (women, men):
            tally.add("unchanged")
            continue
        data = StrengthInput(
            force=force,
            as_of=as_of,
            women=women,
            men=men,
            source_document=SOURCE,
            note=ILLUSTRATIVE,
            is_illustrative=True,
        )
        _validated(services.strength_save(data=data, strength=stored))
        tally.add("created" if stored is None else "updated")
    return tally


def _reports() -> Tally:
    tally = Tally()
    for programme, pcode, start, end, force, cells in REPORTS:
        place = _region(pcode)
        stored = Report.objects.filter(
            programme=programme,
            place=place,
            period_start=start,
            period_end=end,
            is_illustrative=True,
        ).first()
        if stored is not None:
            got = {
                (c.stage.code, c.sex, c.age_group.code): c.count
                for c in stored.counts.select_related("stage", "age_group")
            }
            if got == cells:
                tally.add("unchanged")
                continue
        data = ReportInput(
            programme=programme,
            place=place,
            period_start=start,
            period_end=end,
            cells=tuple(Cell(stage, sex, age, n) for (stage, sex, age), n in cells.items()),
            force=Force.objects.get(code=force) if force else None,
            source_document=SOURCE,
            note=ILLUSTRATIVE,
            is_illustrative=True,
        )
        _validated(services.report_save(data=data, report=stored))
        tally.add("created" if stored is None else "updated")
    return tally
