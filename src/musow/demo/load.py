"""Load the 2014 demo data set: organisations, campaigns, the project, then every activity
through `activity_upsert` (source "demo"), so that loading it again changes nothing."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from musow.activities.models import Activity, Campaign, CampaignSeries, Organisation, Project
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_upsert
from musow.demo import data2014
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.indicators.models import Indicator
from musow.indicators.services import target_set


@dataclass
class Tally:
    """What a load did to one kind of thing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


DemoCounts = dict[str, Tally]  # organisations, campaigns, projects, activities, targets


@transaction.atomic
def demo_load() -> DemoCounts:
    """Create or update the demo data set; return what was created, updated, unchanged."""
    return {
        "organisations": _organisations(),
        "campaigns": _campaigns(),
        "projects": _projects(),
        "activities": _activities(),
        "targets": _targets(),
        "trainees": _trainees(),
    }


def _trainees() -> Tally:
    """The induction and FDS trainings' courses and trainees (illustrative scores)."""
    from musow.trainings.demo import trainings_demo_load

    return Tally(**trainings_demo_load(source=data2014.SOURCE))


def _sync(model: type[models.Model], code: str, values: dict[str, Any]) -> str:
    """Create the object with this code, or update it where it differs from `values`."""
    obj = model._default_manager.filter(code=code).first()
    if obj is None:
        model._default_manager.create(code=code, **values)
        return "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=changed)
    return "updated"


def _region(pcode: str) -> Place:
    return Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=pcode)


def _organisations() -> Tally:
    tally = Tally()
    for spec in data2014.ORGANISATIONS:
        values = {k: v for k, v in spec.items() if k not in ("code", "place")}
        tally.add(_sync(Organisation, spec["code"], {**values, "place": _region(spec["place"])}))
    return tally


def _campaigns() -> Tally:
    tally = Tally()
    for spec in data2014.CAMPAIGNS:
        values: dict[str, Any] = {
            "series": CampaignSeries.objects.get(code=spec["series"]),
            "name_fr": spec["name_fr"],
            "name_en": spec["name_en"],
            "start_date": date.fromisoformat(spec["start_date"]),
            "end_date": date.fromisoformat(spec["end_date"]),
        }
        tally.add(_sync(Campaign, spec["code"], values))
    return tally


def _projects() -> Tally:
    tally = Tally()
    for spec in data2014.PROJECTS:
        values: dict[str, Any] = {k: v for k, v in spec.items() if k != "code"}
        for name in ("start_date", "end_date"):
            values[name] = date.fromisoformat(spec[name])
        tally.add(_sync(Project, spec["code"], values))
    return tally


def _activities() -> Tally:
    tally = Tally()
    keys = []
    for rec in data2014.records():
        data = activity_input_from_record(rec, source=data2014.SOURCE)
        _activity, outcome = activity_upsert(data=data)
        tally.add(outcome)
        keys.append(data.source_key)
    # Activities of an earlier version of the demo that it no longer has.
    stale = Activity.objects.filter(source=data2014.SOURCE).exclude(source_key__in=keys)
    tally.removed = stale.count()
    stale.delete()
    return tally


# Illustrative targets for the demo's results framework: the seed page gives the unit's
# results, not its targets, so these are invented for trying musow and say so.
DEMO_TARGET_NOTE = "Cible de démonstration (illustrative) — demo target (illustrative)"
DEMO_TARGETS: list[tuple[str, str, str | None, str]] = [
    ("students-sensitised-gbv", "2014", None, "250"),
    ("people-sensitised-vawg", "2014", "4000", "5000"),
    ("women-girls-reached-1325", "2014", None, "600"),
    ("mission-staff-trained-gender", "2014", "900", "1000"),
]


def _targets() -> Tally:
    tally = Tally()
    for code, period, baseline, target in DEMO_TARGETS:
        tally.add(
            target_set(
                indicator=Indicator.objects.get(code=code),
                period=period,
                baseline=None if baseline is None else Decimal(baseline),
                target=Decimal(target),
                note=DEMO_TARGET_NOTE,
            )
        )
    return tally
