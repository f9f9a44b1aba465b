"""ILLUSTRATIVE provider reports for the demo: invented, plausible counts for one year
from two providers (a one-stop centre in Bamako, a legal clinic in Gao), with small cells
so that the demo shows disclosure control at work. Every report is marked illustrative;
none describes real survivors."""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from musow.activities.models import Organisation
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.protection.models import TABLE_CODES, Agreement, ProviderReport, Sector
from musow.protection.services import ReportInput, report_save

DEMO_YEAR = 2014
PROVIDERS = [
    # code, name, acronym, region, kind, monthly incidents (mean)
    (
        "demo-cpi-bamako",
        "Centre de prise en charge intégrée de Bamako (illustratif)",
        "CPI",
        "ML09",
        "ngo",
        14,
    ),
    ("demo-clinique-gao", "Clinique juridique de Gao (illustratif)", "CJG", "ML07", "cso", 4),
]
TYPES_WEIGHTS = [
    ("rape", 30),
    ("sexual_assault", 12),
    ("physical_assault", 25),
    ("forced_marriage", 8),
    ("denial", 10),
    ("psychological", 15),
]
BANDS_WEIGHTS = [("0-11", 6), ("12-17", 22), ("18-59", 68), ("60-plus", 4)]


@dataclass
class DemoReports:
    created: int = 0
    unchanged: int = 0


def _region(pcode: str) -> Place:
    return Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=pcode)


def _month(rng: random.Random, mean: int) -> dict[str, object]:
    total = max(0, int(rng.gauss(mean, mean / 3)))
    by_type: dict[tuple[str, str, str], int] = {}
    for _i in range(total):
        t = rng.choices([t for t, _w in TYPES_WEIGHTS], [w for _t, w in TYPES_WEIGHTS])[0]
        s = "f" if rng.random() < 0.9 else "m"
        a = rng.choices([b for b, _w in BANDS_WEIGHTS], [w for _b, w in BANDS_WEIGHTS])[0]
        by_type[(t, s, a)] = by_type.get((t, s, a), 0) + 1
    delays = {"0-72h": 0, "3-5d": 0, "6d-1m": 0, "1m+": 0}
    for _i in range(total):
        delays[rng.choices(list(delays), [35, 20, 25, 20])[0]] += 1
    complaints = rng.randint(0, total // 2) if total else 0
    investigations = rng.randint(0, complaints)
    court = rng.randint(0, investigations)
    judgments = rng.randint(0, court)
    convictions = rng.randint(0, judgments)
    return {
        "incidents": total,
        "by_type": by_type,
        "delays": delays,
        "services": {s: rng.randint(0, total) for s in Sector.values if rng.random() < 0.8},
        "referrals": {s: rng.randint(0, max(total // 3, 1)) for s in ("legal", "health", "safety")},
        "justice": {
            "complaints": complaints,
            "investigations": investigations,
            "sent_to_court": court,
            "judgments": judgments,
            "convictions": convictions,
        },
        "legal_aid": rng.randint(0, complaints),
    }


@transaction.atomic
def protection_demo_load(year: int = DEMO_YEAR) -> DemoReports:
    """Create the illustrative providers, their agreements and a year of monthly reports
    (validated); a report already there is left unchanged."""
    outcome = DemoReports()
    rng = random.Random(f"musow-protection-{year}")
    for code, name, acronym, pcode, kind, mean in PROVIDERS:
        region = _region(pcode)
        provider, _created = Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "acronym": acronym, "kind": kind, "place": region}
        )
        if not Agreement.objects.filter(provider=provider).exists():
            Agreement.objects.create(
                provider=provider,
                tables=list(TABLE_CODES),
                valid_from=datetime.date(year, 1, 1),
                signed_on=datetime.date(year - 1, 12, 10),
                signed_by_role="directrice ou directeur",
                document_reference=f"ILLUSTRATIF-{acronym}-{year}",
            )
        for month in range(1, 13):
            counts = _month(rng, mean)
            day = datetime.date(year, month, 1)
            if ProviderReport.objects.filter(provider=provider, place=region, month=day).exists():
                outcome.unchanged += 1
                continue
            report_save(
                user=None,
                data=ReportInput(
                    provider=provider,
                    place=region,
                    month=day,
                    status=ProviderReport.Status.VALIDATED,
                    is_illustrative=True,
                    **counts,  # type: ignore[arg-type]
                ),
            )
            outcome.created += 1
    return outcome
