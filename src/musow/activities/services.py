"""Writes to the activity register. Every door (admin, web forms, imports, the
command line, the demo) writes activities through `activity_save`, so the same
validation applies everywhere, and a write is all or nothing. What an activity input
is, and its checks, are in `inputs` (re-exported here)."""

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities import bulk, notifications
from musow.activities.inputs import (
    DELETED_ACTIVITY,
    DELETED_BY_WRITE,
    EMPTY_IDENTITY,
    INPUT_FIELDS,
    MAX_COUNT,
    NUL_IN_TEXT,
    RETURN_WITHOUT_COMMENT,
    STALE_EDIT,
    TEXT_LIMITS,
    TEXT_TOO_LONG,
    ActivityInput,
    AttendanceEntry,
    MediaEstimate,
    ParticipationCount,
    _too_long,
    activity_input_from,
    activity_snapshot,
    activity_validate_input,
    attendee_identity,
    attendee_key,
    count_problem,
    dates_problem,
    identifies_no_one,
    too_large,
    total_problem,
)
from musow.activities.models import (
    ACTIVITY_TEXT_MAX,
    Activity,
    Attendance,
    Attendee,
    MediaReach,
    Participation,
    Sex,
)
from musow.audit.models import Entry
from musow.audit.services import diff, entry_fields, entry_record

# The input and its checks (inputs.py), for the doors that import them from here.
__all__ = [
    "ActivityInput",
    "AttendanceEntry",
    "DELETED_ACTIVITY",
    "DELETED_BY_WRITE",
    "EMPTY_IDENTITY",
    "INPUT_FIELDS",
    "MAX_COUNT",
    "MediaEstimate",
    "NUL_IN_TEXT",
    "ParticipationCount",
    "RETURN_WITHOUT_COMMENT",
    "STALE_EDIT",
    "TEXT_LIMITS",
    "TEXT_TOO_LONG",
    "activity_input_from",
    "activity_snapshot",
    "activity_validate_input",
    "attendee_identity",
    "attendee_key",
    "count_problem",
    "dates_problem",
    "identifies_no_one",
    "too_large",
    "total_problem",
]


@transaction.atomic
def activity_save(
    *,
    data: ActivityInput,
    activity: Activity | None = None,
    user: Any = None,
    expected_version: int | None = None,
    origin: str = "",
) -> Activity:
    """Create `data` as a new activity, or replace `activity`'s content with it.

    With `expected_version` (what the editor's form was built from), a save made
    after someone else's is refused rather than silently overwriting it. A new
    activity without a key gets one (`_identified`), so that every activity, whatever
    door created it, is found again when its export is imported.
    """
    return _save(data, activity, user, expected_version, origin)


def _save(
    data: ActivityInput,
    activity: Activity | None,
    user: Any,
    expected_version: int | None,
    origin: str,
    current: ActivityInput | None = None,
) -> Activity:
    """`activity_save`; `current` is the stored activity as an input, when already read."""
    activity_validate_input(data)
    is_new = activity is None or activity.pk is None
    before: dict[str, Any] = {}
    if activity is not None and not is_new:
        if activity.is_deleted:
            raise ValidationError(str(DELETED_ACTIVITY), code="deleted")
        before = activity_snapshot(current or activity_input_from(activity))
        _bump_version(activity, expected_version)
    else:
        data = _identified(data)
    activity = activity or Activity()
    for name, value in _record_values(data, origin).items():
        setattr(activity, name, value)
    _set_status(activity, data.status, user)
    if is_new and user is not None and getattr(user, "pk", None):
        activity.created_by = user
    activity.full_clean(exclude=[f.name for f in MANY_FIELDS], validate_unique=True)
    activity.save()
    for f in MANY_FIELDS:
        getattr(activity, f.name).set(getattr(data, f.name))
    if not is_new:
        for model in RELATED:
            model._default_manager.filter(activity=activity).delete()
    for model, rows in _related_rows(data).items():
        model._default_manager.bulk_create(model(activity=activity, **values) for values in rows)
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=activity,
        changes=diff(before, activity_snapshot(data)),
        comment=origin,
    )
    return activity


# What the write paths store of an input, defined once for `activity_save` and the batch.

# The many-to-many fields an ActivityInput carries (themes, partners, mandate lines).
MANY_FIELDS = tuple(
    f
    for f in Activity._meta.many_to_many
    if f.name in {x.name for x in dataclasses.fields(ActivityInput)}
)
# The rows that hang on an activity and are rewritten with it.
RELATED: tuple[type[models.Model], ...] = (Participation, MediaReach, Attendance)
# A new activity without a key (web form, admin) gets one in this source when it has none.
OWN_SOURCE = "musow"


def _identified(data: ActivityInput) -> ActivityInput:
    """A new activity keyed: its own key, or a random one that never changes afterwards."""
    if data.source_key:
        return data
    return dataclasses.replace(data, source=data.source or OWN_SOURCE, source_key=uuid.uuid4().hex)


def _record_values(data: ActivityInput, origin: str, fingerprint: str = "") -> dict[str, Any]:
    """The activity's own columns from an input (status apart), by field name."""
    values: dict[str, Any] = {name: getattr(data, name) for name in INPUT_FIELDS}
    values["title"] = data.title.strip()
    values["source_hash"] = fingerprint or data.fingerprint()
    if origin:  # a system-made text (file, sheet, row): shortened with a mark if need be
        limit = ACTIVITY_TEXT_MAX["origin"]
        values["origin"] = origin if len(origin) <= limit else origin[: limit - 1] + "…"
    return values


def _status_values(status: str, previous: str | None, user: Any, now: Any) -> dict[str, Any]:
    """The status, and who validated it when (kept while it stays validated)."""
    if status == Activity.Status.VALIDATED:
        if previous == Activity.Status.VALIDATED:
            return {"status": status}
        return {
            "status": status,
            "validated_at": now,
            "validated_by": user if getattr(user, "pk", None) else None,
        }
    return {"status": status, "validated_at": None, "validated_by": None}


def _related_rows(
    data: ActivityInput, attendees: dict[str, Attendee] | None = None
) -> dict[type[models.Model], list[dict[str, Any]]]:
    """Participation, media and attendance rows of an input, by field name (the activity
    apart); attendees are found or created here unless given."""
    if attendees is None:
        attendees = _attendees_many(data.attendance) if data.attendance else {}
    return {
        Participation: [
            {"audience": p.audience, "sex": p.sex, "age_group": p.age_group, "count": p.count}
            for p in data.participation
        ],
        MediaReach: [
            {
                "medium": m.medium,
                "outlet": m.outlet,
                "estimated_audience": m.estimated_audience,
                "method": m.method,
            }
            for m in data.media_reach
        ],
        Attendance: [
            {"attendee": attendees[a.key], "audience": a.audience, "age_group": a.age_group}
            for a in data.attendance
        ],
    }


def _bump_version(activity: Activity, expected_version: int | None) -> None:
    """Take the next version number; refuse if the row moved on since `expected_version`."""
    rows = Activity.objects.filter(pk=activity.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        raise ValidationError(str(STALE_EDIT), code="stale")
    activity.version = Activity.objects.values_list("version", flat=True).get(pk=activity.pk)


def _set_status(activity: Activity, status: str, user: Any) -> None:
    for name, value in _status_values(status, activity.status, user, timezone.now()).items():
        setattr(activity, name, value)


Outcome = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class Stored:
    """What the importer and the batch need to know of a stored activity found by key."""

    pk: int
    status: str
    source_hash: str
    review_comment: str
    author_id: int | None = None


def activities_stored(*, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Stored]:
    """The stored activities with these (source, key) pairs, by pair."""
    by_source: dict[str, list[str]] = {}
    for source, key in keys:
        if key:
            by_source.setdefault(source, []).append(key)
    found: dict[tuple[str, str], Stored] = {}
    for source, source_keys in by_source.items():
        for start in range(0, len(source_keys), 500):
            # `NOT (source_key = '')` repeats the unique index's condition: without it,
            # SQLite (and PostgreSQL, past 100 keys) cannot use that partial index and
            # scan the whole table for each chunk, so an import slowed as the table grew.
            rows = (
                Activity.objects.filter(
                    source=source, source_key__in=source_keys[start : start + 500]
                )
                .exclude(source_key="")
                .order_by()
                .values_list(
                    "source_key", "pk", "status", "source_hash", "review_comment", "created_by_id"
                )
            )
            for source_key, pk, status, source_hash, comment, author in rows:
                found[(source, source_key)] = Stored(pk, status, source_hash, comment, author)
    return found


def activities_attendance(*, pks: Sequence[int]) -> dict[int, list[AttendanceEntry]]:
    """The stored attendance lists of these activities, by activity id."""
    lists: dict[int, list[AttendanceEntry]] = {pk: [] for pk in pks}
    for start in range(0, len(pks), 500):
        rows = Attendance.objects.filter(activity_id__in=pks[start : start + 500]).select_related(
            "attendee", "audience", "age_group"
        )
        for a in rows:
            lists[a.activity_id].append(
                AttendanceEntry(a.attendee.key, a.attendee.sex, a.audience, a.age_group)
            )
    return lists


def activity_unchanged(*, stored: Stored, data: ActivityInput) -> bool:
    """Whether writing `data` would change nothing. The stored fingerprint says so in one
    comparison; when it differs (a status changed on the activity's page since the last
    import, a record written before the fingerprint took a new field), the stored
    content itself is compared."""
    fingerprint = data.fingerprint()
    if stored.source_hash == fingerprint:
        return True
    return activity_input_from(Activity.objects.get(pk=stored.pk)).fingerprint() == fingerprint


@transaction.atomic
def activity_upsert(
    *, data: ActivityInput, user: Any = None, origin: str = ""
) -> tuple[Activity, Outcome]:
    """Write a record keyed by (source, source_key): loading it again changes nothing."""
    if not data.source_key:
        return activity_save(data=data, user=user, origin=origin), "created"
    # `.exclude(source_key="")` repeats the unique index's condition: without it neither
    # SQLite nor PostgreSQL may use that partial index, and every upsert scans the register.
    existing = (
        Activity.objects.select_for_update()
        .filter(source=data.source, source_key=data.source_key)
        .exclude(source_key="")
        .first()
    )
    if existing is None:
        return activity_save(data=data, user=user, origin=origin), "created"
    outcome = _rewrite(existing, data, user, origin)
    return existing, outcome


def _rewrite(activity: Activity, data: ActivityInput, user: Any, origin: str) -> Outcome:
    """Update a stored activity with `data`, unless it holds the same content already
    (then only its out-of-date fingerprint is brought up to date, with no new version)."""
    fingerprint = data.fingerprint()
    if activity.source_hash == fingerprint:
        return "unchanged"
    current = activity_input_from(activity)
    if current.fingerprint() == fingerprint:
        Activity.objects.filter(pk=activity.pk).update(source_hash=fingerprint)
        return "unchanged"
    _save(data, activity, user, None, origin, current=current)
    return "updated"


@dataclass(frozen=True)
class BatchItem:
    """One activity of a batch write, and where it came from (file and row, submission)."""

    data: ActivityInput
    origin: str = ""


class BatchInvalid(Exception):
    """Some items of a batch were refused; nothing of the batch was written.

    `errors` maps each refused item's index to its ValidationError.
    """

    def __init__(self, errors: dict[int, ValidationError]) -> None:
        super().__init__(f"{len(errors)} item(s) refused")
        self.errors = errors


DUPLICATE_IN_BATCH = gettext_lazy("The key “%(key)s” appears more than once.")


@transaction.atomic
def activity_upsert_batch(
    *,
    items: Sequence[BatchItem],
    user: Any = None,
    stored: dict[tuple[str, str], Stored] | None = None,
) -> list[Outcome]:
    """`activity_upsert` for many records at once, with the same result (a test proves it).

    Every item is validated as `activity_save` validates it; new activities, their
    participation, media, attendance and audit entries are then written with a few
    bulk inserts instead of several queries each, from the same definitions as
    `activity_save` (`_record_values`, `_status_values`, `_related_rows`, `MANY_FIELDS`,
    the audit entry's fields); changed ones go through `activity_save` one by one. All
    or nothing: if any item is refused, BatchInvalid lists them all and nothing of the
    batch is written. `stored`: what `activities_stored` answered for these items' keys,
    when the caller has just asked it in the same transaction (an import does).
    """
    errors: dict[int, ValidationError] = {}
    seen: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        try:
            activity_validate_input(item.data)
        except ValidationError as exc:
            errors[index] = exc
        key = (item.data.source, item.data.source_key)
        if item.data.source_key:
            if key in seen:
                errors[index] = ValidationError(
                    {"source_key": [str(DUPLICATE_IN_BATCH % {"key": key[1]})]}
                )
            seen[key] = index
    if errors:
        raise BatchInvalid(errors)
    existing = stored if stored is not None else activities_stored(keys=seen)
    outcomes: list[Outcome] = []
    creates: list[tuple[BatchItem, str]] = []
    for index, item in enumerate(items):
        fingerprint = item.data.fingerprint()
        found = existing.get((item.data.source, item.data.source_key))
        if found is None:
            creates.append((dataclasses.replace(item, data=_identified(item.data)), fingerprint))
            outcomes.append("created")
        elif found.source_hash == fingerprint:
            outcomes.append("unchanged")
        else:
            activity = Activity.objects.select_for_update().get(pk=found.pk)
            try:
                outcomes.append(_rewrite(activity, item.data, user, item.origin))
            except ValidationError as exc:
                errors[index] = exc
                outcomes.append("updated")
    if errors:
        raise BatchInvalid(errors)  # leaving the atomic block undoes the updates
    _create_many(creates, user)
    return outcomes


class _Written:
    """What an audit entry names of an activity the batch inserted (no model object)."""

    _meta = Activity._meta

    def __init__(self, pk: int, title: str) -> None:
        self.pk = pk
        self.title = title

    def __str__(self) -> str:
        return Activity.__str__(self)  # type: ignore[arg-type]


def _create_many(creates: Sequence[tuple[BatchItem, str]], user: Any) -> None:
    """Insert new (keyed) activities and everything that hangs on them, in bulk."""
    if not creates:
        return
    author = user if getattr(user, "pk", None) else None
    now = timezone.now()
    bulk.Table(Activity, now).insert(
        {
            **_record_values(item.data, item.origin, fingerprint),
            **_status_values(item.data.status, None, author, now),
            "created_by": author,
        }
        for item, fingerprint in creates
    )
    found = activities_stored(keys=[(i.data.source, i.data.source_key) for i, _fp in creates])
    ids = [found[(i.data.source, i.data.source_key)].pk for i, _fp in creates]
    written = list(zip(ids, [item for item, _fp in creates], strict=True))
    for f in MANY_FIELDS:
        through: Any = f.remote_field.through
        bulk.insert(
            through,
            [f.m2m_column_name(), f.m2m_reverse_name()],
            [
                (pk, obj_pk)
                for pk, item in written
                for obj_pk in dict.fromkeys(o.pk for o in getattr(item.data, f.name))
            ],
        )
    attendees = _attendees_many([a for _pk, item in written for a in item.data.attendance])
    tables = {model: bulk.Table(model, now) for model in RELATED}
    rows: dict[type[models.Model], list[dict[str, Any]]] = {model: [] for model in RELATED}
    for pk, item in written:
        for model, values in _related_rows(item.data, attendees).items():
            rows[model] += [{"activity": pk, **v} for v in values]
    for model, table in tables.items():
        table.insert(rows[model])
    bulk.Table(Entry, now).insert(
        entry_fields(
            author,
            Entry.Action.CREATE,
            _Written(pk, item.data.title.strip()),  # type: ignore[arg-type]
            diff({}, activity_snapshot(item.data)),
            item.origin,
        )
        for pk, item in written
    )


def _attendees_many(entries: Sequence[AttendanceEntry]) -> dict[str, Attendee]:
    """The attendees of these entries, found or created; a sex learnt later completes an
    attendee recorded without one."""
    keys = list(dict.fromkeys(a.key for a in entries))
    attendees: dict[str, Attendee] = {}
    for start in range(0, len(keys), 500):
        for attendee in Attendee.objects.filter(key__in=keys[start : start + 500]):
            attendees[attendee.key] = attendee
    new: dict[str, Attendee] = {}
    changed: dict[str, Attendee] = {}
    for a in entries:
        known = attendees.get(a.key) or new.get(a.key)
        if known is None:
            new[a.key] = Attendee(key=a.key, sex=a.sex)
        elif known.sex == Sex.UNKNOWN and a.sex != Sex.UNKNOWN:
            known.sex = a.sex
            if a.key in attendees:
                changed[a.key] = known
    Attendee.objects.bulk_create(list(new.values()), batch_size=1000, ignore_conflicts=True)
    Attendee.objects.bulk_update(list(changed.values()), ["sex"], batch_size=500)
    new_keys = list(new)
    for start in range(0, len(new_keys), 500):
        for attendee in Attendee.objects.filter(key__in=new_keys[start : start + 500]):
            attendees[attendee.key] = attendee
    return attendees


def _transition(
    activity: Activity,
    *,
    user: Any,
    allowed_from: Sequence[str],
    status: str,
    action: str,
    refusal: str,
    comment: str = "",
    extra_fields: Sequence[str] = (),
) -> Activity:
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if current.status not in allowed_from:
        raise ValidationError({"status": refusal}, code="transition")
    old = current.status
    _set_status(activity, status, user)
    activity.version = current.version + 1
    activity.save(
        update_fields=[
            "status",
            "validated_at",
            "validated_by",
            "version",
            "updated_at",
            *extra_fields,
        ]
    )
    entry_record(
        actor=user,
        action=action,
        target=activity,
        changes={"status": (old, status)},
        comment=comment,
    )
    return activity


@transaction.atomic
def activity_submit(*, activity: Activity, user: Any = None) -> Activity:
    """The author sends a draft (or a returned activity) for validation; the officers are
    told once it is committed."""
    activity = _transition(
        activity,
        user=user,
        allowed_from=[Activity.Status.DRAFT, Activity.Status.RETURNED],
        status=Activity.Status.SUBMITTED,
        action=Entry.Action.SUBMIT,
        refusal=_("Only a draft or a returned activity can be submitted."),
    )
    notifications.activity_transition_notify(
        activity=activity, action=Entry.Action.SUBMIT, actor=user
    )
    return activity


@transaction.atomic
def activity_validate(*, activity: Activity, user: Any = None) -> Activity:
    """An officer accepts a submitted activity: from now on it counts in official figures
    (its author is told)."""
    activity = _transition(
        activity,
        user=user,
        allowed_from=[Activity.Status.SUBMITTED],
        status=Activity.Status.VALIDATED,
        action=Entry.Action.VALIDATE,
        refusal=_("Only a submitted activity can be validated."),
    )
    notifications.activity_transition_notify(
        activity=activity, action=Entry.Action.VALIDATE, actor=user
    )
    return activity


@transaction.atomic
def activity_return(*, activity: Activity, user: Any = None, comment: str) -> Activity:
    """An officer sends a submitted (or validated) activity back to its author, saying why."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say why the activity is returned: its author will read it.")},
            code="required",
        )
    if "\x00" in comment:
        raise ValidationError({"comment": str(NUL_IN_TEXT)})
    if problem := _too_long(comment, ACTIVITY_TEXT_MAX["review_comment"]):
        raise ValidationError({"comment": problem})
    activity.review_comment = comment
    activity = _transition(
        activity,
        user=user,
        allowed_from=[Activity.Status.SUBMITTED, Activity.Status.VALIDATED],
        status=Activity.Status.RETURNED,
        action=Entry.Action.RETURN,
        refusal=_("Only a submitted or validated activity can be returned."),
        comment=comment,
        extra_fields=["review_comment"],
    )
    notifications.activity_transition_notify(
        activity=activity, action=Entry.Action.RETURN, actor=user, comment=comment
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user: Any = None, comment: str = "") -> Activity:
    """Withdraw an activity: it leaves lists and figures, and a unit admin can restore it."""
    if "\x00" in (comment or ""):
        raise ValidationError({"comment": str(NUL_IN_TEXT)})
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if current.is_deleted:
        raise ValidationError({"status": _("This activity is already deleted.")}, code="transition")
    return _set_deletion(
        activity,
        current,
        status=Activity.Status.DELETED,
        before=current.status,
        deleted_at=timezone.now(),
        user=user,
        action=Entry.Action.DELETE,
        comment=comment,
    )


@transaction.atomic
def activity_restore(*, activity: Activity, user: Any = None) -> Activity:
    """Undo a deletion: the activity gets back the status it had."""
    current = Activity.objects.select_for_update().get(pk=activity.pk)
    if not current.is_deleted:
        raise ValidationError({"status": _("Only a deleted activity can be restored.")})
    return _set_deletion(
        activity,
        current,
        status=current.status_before_deletion or Activity.Status.DRAFT,
        before="",
        deleted_at=None,
        user=user,
        action=Entry.Action.RESTORE,
    )


def _set_deletion(
    activity: Activity,
    current: Activity,
    *,
    status: str,
    before: str,
    deleted_at: Any,
    user: Any,
    action: str,
    comment: str = "",
) -> Activity:
    """Delete (deleted_at set) or restore (None) `activity`, next version, audited."""
    activity.status = status
    activity.status_before_deletion = before
    activity.deleted_at = deleted_at
    activity.deleted_by = user if deleted_at and getattr(user, "pk", None) else None
    activity.version = current.version + 1
    activity.save(
        update_fields=[
            "status",
            "status_before_deletion",
            "deleted_at",
            "deleted_by",
            "version",
            "updated_at",
        ]
    )
    entry_record(
        actor=user,
        action=action,
        target=activity,
        changes={"status": (current.status, status)},
        comment=comment,
    )
    return activity


@transaction.atomic
def reference_entry_create(*, entry: models.Model, user: Any = None) -> models.Model:
    """Add an organisation, a campaign edition or a project (an import that carries the
    entries its activities use: intake/references.py), checked and audited."""
    entry.full_clean()
    entry.save()
    changes = {
        f.name: (None, str(getattr(entry, f.attname)))
        for f in type(entry)._meta.concrete_fields
        if not f.primary_key and getattr(entry, f.attname) not in (None, "")
    }
    entry_record(actor=user, action=Entry.Action.CREATE, target=entry, changes=changes)
    return entry
