"""A small SGBV programme world: two providers (Bamako, Gao) with agreements, and a
protection officer for each scope."""

import datetime
from typing import Any

from musow.accounts.models import User
from musow.activities.models import Organisation
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.protection.models import TABLE_CODES, Agreement
from musow.protection.services import ReportInput


def region(pcode: str) -> Place:
    return Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=pcode)


def provider(code: str, pcode: str) -> Organisation:
    org, _created = Organisation.objects.get_or_create(
        code=code, defaults={"name": code.upper(), "kind": "ngo", "place": region(pcode)}
    )
    return org


def agreement(org: Organisation, **fields: Any) -> Agreement:
    values = {
        "tables": list(TABLE_CODES),
        "valid_from": datetime.date(2025, 1, 1),
        "valid_to": None,
        "signed_on": datetime.date(2024, 12, 15),
        "signed_by_role": "directrice",
        "document_reference": f"ACC-{org.code}-2024",
        **fields,
    }
    return Agreement.objects.create(provider=org, **values)


def officer(name: str = "protection", regions: tuple[str, ...] = ()) -> User:
    user = User.objects.create_user(name, password="x", role=User.Role.PROTECTION)
    if regions:
        user.regions.set([region(p) for p in regions])
    return user


def month(org: Organisation, pcode: str, day: str = "2025-03-01", **overrides: Any) -> ReportInput:
    """A coherent month: 9 incidents, 2 of them small cells."""
    values: dict[str, Any] = {
        "provider": org,
        "place": region(pcode),
        "month": datetime.date.fromisoformat(day),
        "incidents": 9,
        "by_type": {
            ("rape", "f", "18-59"): 6,
            ("rape", "f", "12-17"): 2,
            ("physical_assault", "m", "18-59"): 1,
        },
        "delays": {"0-72h": 4, "3-5d": 2, "6d-1m": 2, "1m+": 1},
        "services": {"health": 7, "psychosocial": 9},
        "referrals": {"legal": 3},
        "justice": {
            "complaints": 5,
            "investigations": 4,
            "sent_to_court": 2,
            "judgments": 1,
            "convictions": 1,
        },
        "legal_aid": 3,
        **overrides,
    }
    return ReportInput(**values)
