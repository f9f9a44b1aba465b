"""Writes for women at the table. Every door (web pages, the demo, the command line)
writes through these functions: keyword-only, all or nothing, audited, and each bad
input refused with one message per problem, naming its field, in the user's language.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.representation.models import (
    SEAT_SEXES,
    Body,
    Composition,
    Presence,
    Process,
    Record,
    Role,
    Seat,
    Sitting,
    Status,
)

MAX_SEATS = 100_000  # more people than any body seats: a typing slip
SEXES = dict(SEAT_SEXES)


@dataclass(frozen=True)
class Count:
    """How many people of one sex sit (or attended) in one role."""

    role: str  # the role's code
    sex: str  # "f" or "m"
    count: int


@dataclass(frozen=True)
class CompositionInput:
    body: Body
    as_of: date
    counts: tuple[Count, ...]
    source_document: str
    declared_total: int | None = None
    source_date: date | None = None
    source_url: str = ""
    note: str = ""
    is_illustrative: bool = False


@dataclass(frozen=True)
class SittingInput:
    body: Body
    held_on: date
    counts: tuple[Count, ...]
    source_document: str
    title: str = ""
    source_date: date | None = None
    source_url: str = ""
    note: str = ""
    is_illustrative: bool = False


@dataclass
class Problems:
    """Problems found in an input, by field, each said once."""

    by_field: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        if message not in self.by_field.setdefault(name, []):
            self.by_field[name].append(message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_counts(counts: Iterable[Count], problems: Problems) -> dict[str, Role]:
    """Roles known, sexes known, numbers not negative nor absurd, no cell twice."""
    counts = list(counts)
    roles = Role.objects.in_bulk({c.role for c in counts}, field_name="code")
    seen: set[tuple[str, str]] = set()
    if not counts:
        problems.add("counts", _("Enter at least one number of women or men."))
    for c in counts:
        if c.role not in roles:
            known = ", ".join(Role.objects.values_list("code", flat=True))
            problems.add(
                "counts",
                _("Unknown role “%(role)s”. Known roles: %(known)s.")
                % {"role": c.role, "known": known},
            )
            continue
        if c.sex not in SEXES:
            problems.add("counts", _("Unknown sex “%(sex)s”: write f or m.") % {"sex": c.sex})
            continue
        what = {"sex": SEXES[c.sex], "role": roles[c.role].name}
        if c.count < 0:
            problems.add(
                "counts",
                _("The number of %(sex)s in the role “%(role)s” cannot be negative.") % what,
            )
        elif c.count > MAX_SEATS:
            problems.add(
                "counts",
                _("The number of %(sex)s in the role “%(role)s” is too large (at most %(max)s).")
                % {**what, "max": MAX_SEATS},
            )
        if (c.role, c.sex) in seen:
            problems.add(
                "counts", _("The number of %(sex)s in the role “%(role)s” is given twice.") % what
            )
        seen.add((c.role, c.sex))
    return roles


def _check_source(data: CompositionInput | SittingInput, problems: Problems) -> None:
    if not data.source_document.strip():
        problems.add("source_document", _("Name the source: a document, a decree, a report."))
    if "\x00" in data.source_document + data.note + data.source_url:
        problems.add("note", _("The text contains a character that cannot be stored (NUL)."))


def _check_scope(user: Any, body: Body, problems: Problems) -> None:
    if user is not None and not scopes.may_write_body(user, body):
        problems.add(
            "body",
            _("You may only enter figures of bodies in your region(s): “%(body)s” is not.")
            % {"body": body.name},
        )


def _outside_validity(body: Body, day: date) -> str | None:
    if body.exists_on(day):
        return None
    return _("“%(body)s” existed from %(start)s to %(end)s: the date %(day)s is outside.") % {
        "body": body.name,
        "start": body.valid_from.isoformat() if body.valid_from else "…",
        "end": body.valid_to.isoformat() if body.valid_to else "…",
        "day": day.isoformat(),
    }


def composition_check(*, data: CompositionInput, user: Any = None) -> Problems:
    """Every problem of a composition input (none: it can be written)."""
    problems = Problems()
    _check_scope(user, data.body, problems)
    if problem := _outside_validity(data.body, data.as_of):
        problems.add("as_of", problem)
    _check_counts(data.counts, problems)
    _check_source(data, problems)
    if data.declared_total is not None:
        added = sum(c.count for c in data.counts)
        if data.declared_total < 0:
            problems.add("declared_total", _("The declared total cannot be negative."))
        elif added != data.declared_total:
            problems.add(
                "declared_total",
                _(
                    "The numbers by role and sex add up to %(added)s, not to the declared "
                    "total of %(total)s."
                )
                % {"added": added, "total": data.declared_total},
            )
    return problems


def composition_snapshot(composition: Composition) -> dict[str, Any]:
    seats = Seat.objects.filter(composition=composition).values_list("role__code", "sex", "count")
    return {
        "body": composition.body.code,
        "as_of": composition.as_of.isoformat(),
        "declared_total": composition.declared_total,
        "source_document": composition.source_document,
        "source_date": composition.source_date.isoformat() if composition.source_date else None,
        "source_url": composition.source_url,
        "note": composition.note,
        **{f"seats {role} {sex}": count for role, sex, count in sorted(seats)},
    }


def _bump_version(record: Any, expected_version: int | None) -> None:
    """Take the next version of a record (any model with a `version`), or refuse a stale edit."""
    model = type(record)
    rows = model._default_manager.filter(pk=record.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        raise ValidationError(
            _(
                "Someone else changed this record since you opened it. Your input is kept: "
                "check it against the new version and save again."
            ),
            code="stale",
        )
    record.version = model._default_manager.values_list("version", flat=True).get(pk=record.pk)


@transaction.atomic
def composition_save(
    *,
    data: CompositionInput,
    composition: Composition | None = None,
    user: Any = None,
    expected_version: int | None = None,
) -> Composition:
    """Create a composition (a draft), or replace a stored one's content with `data`."""
    problems = composition_check(data=data, user=user)
    problems.raise_any()
    is_new = composition is None
    before: dict[str, Any] = {}
    if composition is not None:
        before = composition_snapshot(composition)
        _bump_version(composition, expected_version)
    else:
        composition = Composition(created_by=user if getattr(user, "pk", None) else None)
    composition.body = data.body
    composition.as_of = data.as_of
    composition.declared_total = data.declared_total
    composition.source_document = data.source_document.strip()
    composition.source_date = data.source_date
    composition.source_url = data.source_url.strip()
    composition.note = data.note.strip()
    composition.is_illustrative = data.is_illustrative
    composition.save()
    roles = Role.objects.in_bulk({c.role for c in data.counts}, field_name="code")
    Seat.objects.filter(composition=composition).delete()
    Seat.objects.bulk_create(
        Seat(composition=composition, role=roles[c.role], sex=c.sex, count=c.count)
        for c in data.counts
    )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=composition,
        changes=diff(before, composition_snapshot(composition)),
    )
    return composition


def _transition(
    record: Record,
    *,
    user: Any,
    allowed_from: Iterable[str],
    status: str,
    action: str,
    refusal: str,
    comment: str = "",
) -> Any:
    model = type(record)
    current = model._default_manager.select_for_update().get(pk=record.pk)
    if current.status not in allowed_from:
        raise ValidationError({"status": refusal}, code="transition")
    old = current.status
    record.status = status
    record.version = current.version + 1
    if status == Status.VALIDATED:
        record.validated_at = timezone.now()
        record.validated_by = user if getattr(user, "pk", None) else None
    else:
        record.validated_at, record.validated_by = None, None
    record.save(update_fields=["status", "version", "validated_at", "validated_by", "updated_at"])
    entry_record(
        actor=user,
        action=action,
        target=record,
        changes={"status": (old, status)},
        comment=comment,
    )
    return record


@transaction.atomic
def composition_submit(*, composition: Composition, user: Any = None) -> Composition:
    """Its author sends a draft composition for validation."""
    return _transition(
        composition,
        user=user,
        allowed_from=[Status.DRAFT],
        status=Status.SUBMITTED,
        action=Entry.Action.SUBMIT,
        refusal=_("Only a draft can be submitted."),
    )


@transaction.atomic
def composition_validate(*, composition: Composition, user: Any = None) -> Composition:
    """An officer accepts a submitted composition: from now on it counts in the figures."""
    return _transition(
        composition,
        user=user,
        allowed_from=[Status.SUBMITTED],
        status=Status.VALIDATED,
        action=Entry.Action.VALIDATE,
        refusal=_("Only a submitted composition can be validated."),
    )


@transaction.atomic
def composition_return(*, composition: Composition, user: Any = None, comment: str) -> Composition:
    """An officer sends a submitted or validated composition back to draft, saying why."""
    return record_return(
        composition,
        user=user,
        comment=comment,
        refusal=_("Only a submitted or validated composition can be returned."),
    )


# The workflow every record of this module shares (compositions, sittings, submissions,
# agreements): draft → submitted → validated, returned to draft with a reason.


def record_submit(record: Record, *, user: Any) -> Any:
    """Its author sends a draft for validation."""
    return _transition(
        record,
        user=user,
        allowed_from=[Status.DRAFT],
        status=Status.SUBMITTED,
        action=Entry.Action.SUBMIT,
        refusal=_("Only a draft can be submitted."),
    )


def record_validate(record: Record, *, user: Any, refusal: str) -> Any:
    """An officer accepts a submitted record: from now on it counts in the figures."""
    return _transition(
        record,
        user=user,
        allowed_from=[Status.SUBMITTED],
        status=Status.VALIDATED,
        action=Entry.Action.VALIDATE,
        refusal=refusal,
    )


def record_return(record: Record, *, user: Any, comment: str, refusal: str) -> Any:
    """An officer sends a submitted or validated record back to draft, saying why."""
    comment = (comment or "").strip()
    if not comment or "\x00" in comment:
        raise ValidationError(
            {"comment": _("Say why it is returned: its author will read it.")}, code="required"
        )
    return _transition(
        record,
        user=user,
        allowed_from=[Status.SUBMITTED, Status.VALIDATED],
        status=Status.DRAFT,
        action=Entry.Action.RETURN,
        refusal=refusal,
        comment=comment[:2000],
    )


# --- sittings (flows) --------------------------------------------------------------


def sitting_check(*, data: SittingInput, user: Any = None) -> Problems:
    problems = Problems()
    _check_scope(user, data.body, problems)
    if problem := _outside_validity(data.body, data.held_on):
        problems.add("held_on", problem)
    process = data.body.process
    if process is not None and process.start_date and data.held_on < process.start_date:
        problems.add(
            "held_on",
            _("The process “%(process)s” starts on %(start)s: a sitting cannot be before it.")
            % {"process": process.name, "start": process.start_date.isoformat()},
        )
    _check_counts(data.counts, problems)
    _check_source(data, problems)
    return problems


@transaction.atomic
def sitting_save(
    *,
    data: SittingInput,
    sitting: Sitting | None = None,
    user: Any = None,
    expected_version: int | None = None,
) -> Sitting:
    """Create a sitting (a draft) with its attendance, or replace a stored one's content."""
    sitting_check(data=data, user=user).raise_any()
    is_new = sitting is None
    before: dict[str, Any] = {}
    if sitting is not None:
        before = sitting_snapshot(sitting)
        _bump_version(sitting, expected_version)
    else:
        sitting = Sitting(created_by=user if getattr(user, "pk", None) else None)
    for name in ("body", "held_on", "title", "source_document", "source_date", "source_url"):
        setattr(sitting, name, getattr(data, name))
    sitting.source_document = data.source_document.strip()
    sitting.title, sitting.source_url = data.title.strip(), data.source_url.strip()
    sitting.note, sitting.is_illustrative = data.note.strip(), data.is_illustrative
    sitting.save()
    roles = Role.objects.in_bulk({c.role for c in data.counts}, field_name="code")
    Presence.objects.filter(sitting=sitting).delete()
    Presence.objects.bulk_create(
        Presence(sitting=sitting, role=roles[c.role], sex=c.sex, count=c.count) for c in data.counts
    )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=sitting,
        changes=diff(before, sitting_snapshot(sitting)),
    )
    return sitting


def sitting_snapshot(sitting: Sitting) -> dict[str, Any]:
    presences = Presence.objects.filter(sitting=sitting).values_list("role__code", "sex", "count")
    return {
        "body": sitting.body.code,
        "held_on": sitting.held_on.isoformat(),
        "title": sitting.title,
        "source_document": sitting.source_document,
        "source_date": sitting.source_date.isoformat() if sitting.source_date else None,
        "source_url": sitting.source_url,
        "note": sitting.note,
        **{f"attendance {role} {sex}": count for role, sex, count in sorted(presences)},
    }


@transaction.atomic
def sitting_submit(*, sitting: Sitting, user: Any = None) -> Sitting:
    return _transition(
        sitting,
        user=user,
        allowed_from=[Status.DRAFT],
        status=Status.SUBMITTED,
        action=Entry.Action.SUBMIT,
        refusal=_("Only a draft can be submitted."),
    )


@transaction.atomic
def sitting_validate(*, sitting: Sitting, user: Any = None) -> Sitting:
    return _transition(
        sitting,
        user=user,
        allowed_from=[Status.SUBMITTED],
        status=Status.VALIDATED,
        action=Entry.Action.VALIDATE,
        refusal=_("Only a submitted sitting can be validated."),
    )


@transaction.atomic
def sitting_return(*, sitting: Sitting, user: Any = None, comment: str) -> Sitting:
    """An officer sends a submitted or validated sitting back to draft, saying why."""
    return record_return(
        sitting,
        user=user,
        comment=comment,
        refusal=_("Only a submitted or validated sitting can be returned."),
    )


# --- processes and bodies (reference data of the module) ---------------------------


@transaction.atomic
def process_sync(*, code: str, values: Mapping[str, Any], user: Any = None) -> str:
    """Create the process with this code or bring it to `values`: created/updated/unchanged."""
    return _sync(Process, code, values, user)


@transaction.atomic
def body_sync(*, code: str, values: Mapping[str, Any], user: Any = None) -> str:
    """Create the body with this code or bring it to `values`: created/updated/unchanged."""
    return _sync(Body, code, values, user)


def _sync(model: Any, code: str, values: Mapping[str, Any], user: Any) -> str:
    obj = model._default_manager.filter(code=code).first()
    if obj is None:
        obj = model(code=code, **values)
        obj.full_clean()
        obj.save()
        entry_record(actor=user, action=Entry.Action.CREATE, target=obj)
        return "created"
    changes = {n: (getattr(obj, n), v) for n, v in values.items() if getattr(obj, n) != v}
    if not changes:
        return "unchanged"
    for name, (_old, new) in changes.items():
        setattr(obj, name, new)
    obj.full_clean()
    obj.save()
    entry_record(
        actor=user,
        action=Entry.Action.UPDATE,
        target=obj,
        changes={n: (str(o), str(v)) for n, (o, v) in changes.items()},
    )
    return "updated"
