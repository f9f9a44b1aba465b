"""Strengths of the forces and programme figures for the tests of the security sector
and DDR module (musow.security)."""

from datetime import date
from typing import Any

from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.security import services
from musow.security.models import Force, Report, Strength
from musow.security.services import Cell, ReportInput, StrengthInput


def place(pcode: str) -> Place:
    return Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=pcode)


def advance(record: Any, status: str, user: Any = None) -> Any:
    if status in ("submitted", "validated"):
        services.record_submit(record=record, user=user)
    if status == "validated":
        services.record_validate(record=record)
    return record


def make_strength(
    force: str, as_of: str, *, women: int, men: int, status: str = "validated", user: Any = None
) -> Strength:
    data = StrengthInput(
        force=Force.objects.get(code=force),
        as_of=date.fromisoformat(as_of),
        women=women,
        men=men,
        source_document="Tableau des effectifs",
    )
    return advance(services.strength_save(data=data, user=user), status, user)


def cells(**counts: int) -> tuple[Cell, ...]:
    """cells(ddr_registered__f__18_plus=3) -> Cell("ddr-registered", "f", "18-plus", 3)."""
    out = []
    for key, n in counts.items():
        stage, sex, age = key.split("__")
        out.append(Cell(stage.replace("_", "-"), sex, age.replace("_", "-"), n))
    return tuple(out)


def report_input(
    programme: str = "ddr",
    *,
    pcode: str = "ML07",
    start: str = "2015-01-01",
    end: str = "2015-03-31",
    force: str | None = None,
    **counts: int,
) -> ReportInput:
    return ReportInput(
        programme=programme,
        place=place(pcode),
        period_start=date.fromisoformat(start),
        period_end=date.fromisoformat(end),
        cells=cells(**counts),
        source_document="Rapport de la CNDDR",
        force=Force.objects.get(code=force) if force else None,
    )


def make_report(
    programme: str = "ddr", *, status: str = "validated", user: Any = None, **kwargs: Any
) -> Report:
    data = report_input(programme, **kwargs)
    return advance(services.report_save(data=data, user=user), status, user)
