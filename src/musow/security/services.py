"""Writes of the security sector and DDR module. Every door (web pages, the demo, the
import) writes through these functions: keyword-only, all or nothing, audited, and each
bad input refused with one message per problem, naming its field, in the user's language.

The workflow (draft → submitted → validated, returned with a reason) and optimistic
locking are representation's (`representation.services`), shared rather than copied.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.activities.models import AgeGroup, Project
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.geo.models import Place
from musow.representation.services import Problems, _bump_version, _transition
from musow.security.models import (
    SEXES,
    Force,
    Programme,
    Report,
    ReportCount,
    Stage,
    Status,
    Strength,
)

MAX_PEOPLE = 1_000_000  # more than any force or programme counts: a typing slip
SEX_NAMES = dict(SEXES)


@dataclass(frozen=True)
class StrengthInput:
    force: Force
    as_of: date
    women: int
    men: int
    source_document: str
    source_date: date | None = None
    source_url: str = ""
    note: str = ""
    is_illustrative: bool = False


@dataclass(frozen=True)
class Cell:
    """How many people of one sex and age group were at one stage."""

    stage: str  # the stage's code
    sex: str  # "f" or "m"
    age_group: str  # the age group's code
    count: int


@dataclass(frozen=True)
class ReportInput:
    programme: str
    place: Place
    period_start: date
    period_end: date
    cells: tuple[Cell, ...]
    source_document: str
    force: Force | None = None
    project: Project | None = None
    source_date: date | None = None
    source_url: str = ""
    note: str = ""
    is_illustrative: bool = False


def _today() -> date:
    return timezone.localdate()


def _check_source(data: StrengthInput | ReportInput, problems: Problems) -> None:
    if not data.source_document.strip():
        problems.add("source_document", _("Name the source: a document, a decree, a report."))
    if "\x00" in data.source_document + data.note + data.source_url:
        problems.add("note", _("The text contains a character that cannot be stored (NUL)."))


def _check_not_future(name: str, day: date | None, problems: Problems) -> None:
    if day is not None and day > _today():
        problems.add(
            name,
            _("The date %(day)s is in the future: enter figures once they are known.")
            % {"day": day.isoformat()},
        )


def _check_number(name: str, label: str, value: int, problems: Problems) -> None:
    if value < 0:
        problems.add(name, _("The number of %(what)s cannot be negative.") % {"what": label})
    elif value > MAX_PEOPLE:
        problems.add(
            name,
            _("The number of %(what)s is too large (at most %(max)s).")
            % {"what": label, "max": MAX_PEOPLE},
        )


# --- strengths of the forces (a stock) -----------------------------------------------


def strength_check(*, data: StrengthInput, user: Any = None) -> Problems:
    """Every problem of a strength input (none: it can be written)."""
    problems = Problems()
    if user is not None and not scopes.may_write_strengths(user):
        problems.add("force", _("Only gender officers enter the strengths of the forces."))
    _check_not_future("as_of", data.as_of, problems)
    _check_not_future("source_date", data.source_date, problems)
    _check_number("women", str(_("women")), data.women, problems)
    _check_number("men", str(_("men")), data.men, problems)
    _check_source(data, problems)
    return problems


def strength_snapshot(strength: Strength) -> dict[str, Any]:
    return {
        "force": strength.force.code,
        "as_of": strength.as_of.isoformat(),
        "women": strength.women,
        "men": strength.men,
        "source_document": strength.source_document,
        "source_date": strength.source_date.isoformat() if strength.source_date else None,
        "source_url": strength.source_url,
        "note": strength.note,
    }


@transaction.atomic
def strength_save(
    *,
    data: StrengthInput,
    strength: Strength | None = None,
    user: Any = None,
    expected_version: int | None = None,
) -> Strength:
    """Create a force's strength at a date (a draft), or replace a stored one's content."""
    strength_check(data=data, user=user).raise_any()
    is_new = strength is None
    before: dict[str, Any] = {}
    if strength is not None:
        before = strength_snapshot(strength)
        _bump_version(strength, expected_version)
    else:
        strength = Strength(created_by=user if getattr(user, "pk", None) else None)
    strength.force, strength.as_of = data.force, data.as_of
    strength.women, strength.men = data.women, data.men
    strength.source_document = data.source_document.strip()
    strength.source_date, strength.source_url = data.source_date, data.source_url.strip()
    strength.note, strength.is_illustrative = data.note.strip(), data.is_illustrative
    strength.save()
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=strength,
        changes=diff(before, strength_snapshot(strength)),
    )
    return strength


# --- programme figures: DDR, recruitment, CVR (flows) --------------------------------


def _check_cells(data: ReportInput, problems: Problems) -> None:
    """Stages of the programme, age groups known, numbers not negative, no cell twice,
    and no later stage counting more people than an earlier one (per sex and age group)."""
    cells = list(data.cells)
    stages = Stage.objects.in_bulk({c.stage for c in cells}, field_name="code")
    ages = AgeGroup.objects.in_bulk({c.age_group for c in cells}, field_name="code")
    if not cells:
        problems.add("cells", _("Enter at least one number of women or men."))
    seen: set[tuple[str, str, str]] = set()
    valid: list[Cell] = []
    for c in cells:
        stage = stages.get(c.stage)
        if stage is None or stage.programme != data.programme:
            known = ", ".join(
                Stage.objects.filter(programme=data.programme).values_list("code", flat=True)
            )
            problems.add(
                "cells",
                _("Unknown stage “%(stage)s” for this programme. Known stages: %(known)s.")
                % {"stage": c.stage, "known": known or "—"},
            )
            continue
        if c.age_group not in ages:
            known = ", ".join(AgeGroup.objects.values_list("code", flat=True))
            problems.add(
                "cells",
                _("Unknown age group “%(age)s”. Known age groups: %(known)s.")
                % {"age": c.age_group, "known": known},
            )
            continue
        if c.sex not in SEX_NAMES:
            problems.add("cells", _("Unknown sex “%(sex)s”: write f or m.") % {"sex": c.sex})
            continue
        label = _("%(sex)s aged “%(age)s” at the stage “%(stage)s”") % {
            "sex": SEX_NAMES[c.sex],
            "age": ages[c.age_group].name,
            "stage": stage.name,
        }
        before = len(problems.by_field.get("cells", []))
        _check_number("cells", label, c.count, problems)
        if (c.stage, c.sex, c.age_group) in seen:
            problems.add("cells", _("The number of %(what)s is given twice.") % {"what": label})
        seen.add((c.stage, c.sex, c.age_group))
        if len(problems.by_field.get("cells", [])) == before:
            valid.append(c)
    _check_funnel(valid, stages, ages, problems)


def _check_funnel(
    cells: Iterable[Cell],
    stages: dict[str, Stage],
    ages: dict[str, AgeGroup],
    problems: Problems,
) -> None:
    by_cell: dict[tuple[str, str], list[tuple[Stage, int]]] = defaultdict(list)
    for c in cells:
        by_cell[(c.sex, c.age_group)].append((stages[c.stage], c.count))
    for (sex, age), counts in sorted(by_cell.items()):
        counts.sort(key=lambda sc: (sc[0].order, sc[0].code))
        for (earlier, n_earlier), (later, n_later) in zip(counts, counts[1:], strict=False):
            if later.order > earlier.order and n_later > n_earlier:
                problems.add(
                    "cells",
                    _(
                        "%(later)s (%(n_later)s) cannot be more than %(earlier)s "
                        "(%(n_earlier)s): %(sex)s aged “%(age)s”."
                    )
                    % {
                        "later": later.name,
                        "n_later": n_later,
                        "earlier": earlier.name,
                        "n_earlier": n_earlier,
                        "sex": SEX_NAMES[sex],
                        "age": ages[age].name,
                    },
                )


def report_check(*, data: ReportInput, user: Any = None) -> Problems:
    """Every problem of a programme's figures (none: they can be written)."""
    problems = Problems()
    if data.programme not in Programme.values:
        problems.add(
            "programme",
            _("Unknown programme “%(programme)s”. Known programmes: %(known)s.")
            % {"programme": data.programme, "known": ", ".join(Programme.values)},
        )
        return problems
    if user is not None and not scopes.may_write_security_place(user, data.place):
        problems.add(
            "place",
            _("You may only enter figures of places in your region(s): “%(place)s” is not.")
            % {"place": data.place.name},
        )
    if data.period_end < data.period_start:
        problems.add("period_end", _("The period cannot end before it starts."))
    _check_not_future("period_start", data.period_start, problems)
    _check_not_future("period_end", data.period_end, problems)
    _check_not_future("source_date", data.source_date, problems)
    if data.programme == Programme.RECRUITMENT and data.force is None:
        problems.add("force", _("Say which force recruited."))
    if data.programme != Programme.RECRUITMENT and data.force is not None:
        problems.add("force", _("Only a recruitment has a force."))
    if data.programme != Programme.CVR and data.project is not None:
        problems.add("project", _("Only community violence reduction figures name a project."))
    _check_cells(data, problems)
    _check_source(data, problems)
    return problems


def report_snapshot(report: Report) -> dict[str, Any]:
    cells = ReportCount.objects.filter(report=report).values_list(
        "stage__code", "sex", "age_group__code", "count"
    )
    return {
        "programme": report.programme,
        "place": report.place.pcode or str(report.place_id),
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "force": report.force.code if report.force else None,
        "project": report.project.code if report.project else None,
        "source_document": report.source_document,
        "source_date": report.source_date.isoformat() if report.source_date else None,
        "source_url": report.source_url,
        "note": report.note,
        **{f"{stage} {sex} {age}": n for stage, sex, age, n in sorted(cells)},
    }


@transaction.atomic
def report_save(
    *,
    data: ReportInput,
    report: Report | None = None,
    user: Any = None,
    expected_version: int | None = None,
) -> Report:
    """Create a programme's figures (a draft), or replace a stored one's content."""
    report_check(data=data, user=user).raise_any()
    is_new = report is None
    before: dict[str, Any] = {}
    if report is not None:
        before = report_snapshot(report)
        _bump_version(report, expected_version)
    else:
        report = Report(created_by=user if getattr(user, "pk", None) else None)
    for name in ("programme", "place", "period_start", "period_end", "force", "project"):
        setattr(report, name, getattr(data, name))
    report.source_document = data.source_document.strip()
    report.source_date, report.source_url = data.source_date, data.source_url.strip()
    report.note, report.is_illustrative = data.note.strip(), data.is_illustrative
    report.save()
    stages = Stage.objects.in_bulk({c.stage for c in data.cells}, field_name="code")
    ages = AgeGroup.objects.in_bulk({c.age_group for c in data.cells}, field_name="code")
    ReportCount.objects.filter(report=report).delete()
    ReportCount.objects.bulk_create(
        ReportCount(
            report=report,
            stage=stages[c.stage],
            sex=c.sex,
            age_group=ages[c.age_group],
            count=c.count,
        )
        for c in data.cells
    )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=report,
        changes=diff(before, report_snapshot(report)),
    )
    return report


# --- the workflow of both ------------------------------------------------------------


@transaction.atomic
def record_submit(*, record: Strength | Report, user: Any = None) -> Strength | Report:
    """Its author sends a draft for validation."""
    result: Strength | Report = _transition(
        record,
        user=user,
        allowed_from=[Status.DRAFT],
        status=Status.SUBMITTED,
        action=Entry.Action.SUBMIT,
        refusal=_("Only a draft can be submitted."),
    )
    return result


@transaction.atomic
def record_validate(*, record: Strength | Report, user: Any = None) -> Strength | Report:
    """An officer accepts submitted figures: from now on they count."""
    result: Strength | Report = _transition(
        record,
        user=user,
        allowed_from=[Status.SUBMITTED],
        status=Status.VALIDATED,
        action=Entry.Action.VALIDATE,
        refusal=_("Only submitted figures can be validated."),
    )
    return result


@transaction.atomic
def record_return(
    *, record: Strength | Report, user: Any = None, comment: str
) -> Strength | Report:
    """An officer sends submitted or validated figures back to draft, saying why."""
    comment = (comment or "").strip()
    if not comment or "\x00" in comment:
        raise ValidationError(
            {"comment": _("Say why it is returned: its author will read it.")}, code="required"
        )
    result: Strength | Report = _transition(
        record,
        user=user,
        allowed_from=[Status.SUBMITTED, Status.VALIDATED],
        status=Status.DRAFT,
        action=Entry.Action.RETURN,
        refusal=_("Only submitted or validated figures can be returned."),
        comment=comment[:2000],
    )
    return result
