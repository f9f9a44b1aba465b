"""Loading places: Mali's regions shipped with musow, deeper levels from OCHA gazetteers."""

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from musow.geo.models import Gazetteer, Place

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_GAZETTEER = "ocha-cod-ab-mli"


@transaction.atomic
def regions_load_shipped() -> int:
    """Create or update Mali's first-level units (2013–2021 OCHA COD-AB frame) with boundaries.

    Ménaka (ML10) and Taoudénit (no P-code in that frame) became operational in
    2016: they are loaded with `valid_from` 2016-01-01 and no boundary of their own.
    Returns the number of places written.
    """
    gazetteer, _ = Gazetteer.objects.update_or_create(
        code=SHIPPED_GAZETTEER,
        defaults={
            "name": "OCHA COD-AB Mali (DNCT)",
            "vintage": "2013–2021",
            "source": (
                "geoBoundaries gbHumanitarian MLI ADM1 (boundaryID MLI-ADM1-25159768, "
                "boundaryYear 2013), from OCHA COD-AB / DNCT; ISO 3166-2:ML codes."
            ),
            "licence": "CC BY 3.0 IGO",
            "attribution": "geoBoundaries (wmgeolab) / OCHA COD-AB Mali / DNCT",
        },
    )
    with open(DATA_DIR / "mali_admin1.geojson", encoding="utf-8") as fh:
        geometries = {
            feature["properties"]["pcode"]: feature["geometry"]
            for feature in json.load(fh)["features"]
        }
    count = 0
    with open(DATA_DIR / "mali_admin1.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            later = row["in_geojson"] != "yes"
            lookup: dict[str, Any] = (
                {"pcode": row["pcode"]} if row["pcode"] else {"iso_3166_2": row["iso_3166_2"]}
            )
            Place.objects.update_or_create(
                gazetteer=gazetteer,
                level=Place.Level.REGION,
                **lookup,
                defaults={
                    "pcode": row["pcode"],
                    "iso_3166_2": row["iso_3166_2"],
                    "name_fr": row["name_fr"],
                    "name_en": row["name_en"],
                    "kind_fr": row["type_fr"],
                    "kind_en": row["type_en"],
                    "valid_from": date(2016, 1, 1) if later else None,
                    "boundary": geometries.get(row["pcode"]),
                    "note": row["note"],
                },
            )
            count += 1
    return count
