"""Writes to the activity register. Every door (admin, web forms, imports, the
command line, the demo) writes activities through `activity_save`, so the same
validation applies everywhere, and a write is all or nothing."""

import hashlib
import hmac
import json
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities.models import (
    Activity,
    ActivityType,
    AgeGroup,
    Attendance,
    Attendee,
    Audience,
    Campaign,
    MediaReach,
    Objective,
    Organisation,
    Participation,
    Project,
    Sex,
    Theme,
)
from musow.audit.models import Entry
from musow.audit.services import diff, entry_record
from musow.geo.models import Place


@dataclass(frozen=True)
class ParticipationCount:
    audience: Audience
    sex: str
    age_group: AgeGroup
    count: int


@dataclass(frozen=True)
class MediaEstimate:
    medium: str
    estimated_audience: int
    outlet: str = ""
    method: str = ""


@dataclass(frozen=True)
class AttendanceEntry:
    key: str  # pseudonymous key, see attendee_key()
    sex: str = Sex.UNKNOWN
    audience: Audience | None = None
    age_group: AgeGroup | None = None


@dataclass
class ActivityInput:
    """Everything that describes one activity, whatever door it came through."""

    activity_type: ActivityType
    title: str
    start_date: date
    end_date: date
    place: Place
    themes: Sequence[Theme] = ()
    description: str = ""
    campaign: Campaign | None = None
    project: Project | None = None
    organiser: Organisation | None = None
    partners: Sequence[Organisation] = ()
    objectives: Sequence[Objective] = ()
    participation: Sequence[ParticipationCount] = ()
    participants_total: int | None = None  # the declared total, checked against the breakdown
    media_reach: Sequence[MediaEstimate] = ()
    attendance: Sequence[AttendanceEntry] = ()
    status: str = Activity.Status.DRAFT
    source: str = ""
    source_key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """A hash of the input, to tell an unchanged record from a changed one."""

        def ref(obj: Any) -> Any:
            return getattr(obj, "pk", obj)

        payload = {
            "type": ref(self.activity_type),
            "title": self.title,
            "description": self.description,
            "dates": [self.start_date.isoformat(), self.end_date.isoformat()],
            "place": ref(self.place),
            "themes": sorted(ref(t) for t in self.themes),
            "campaign": ref(self.campaign),
            "project": ref(self.project),
            "organiser": ref(self.organiser),
            "partners": sorted(ref(o) for o in self.partners),
            "objectives": sorted(ref(o) for o in self.objectives),
            "participation": sorted(
                (ref(p.audience), p.sex, ref(p.age_group), p.count) for p in self.participation
            ),
            "media": sorted(
                (m.medium, m.outlet, m.estimated_audience, m.method) for m in self.media_reach
            ),
            "attendance": sorted(
                (a.key, a.sex, ref(a.audience), ref(a.age_group)) for a in self.attendance
            ),
            "status": self.status,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _sex_label(code: str) -> str:
    return str(Sex(code).label) if code in Sex.values else code


def attendee_identity(text: str) -> str:
    """What identifies a person, compared as people write it: Unicode NFKC, case-folded,
    combining marks (accents, Arabic vowel signs, N'Ko tone marks) removed, the
    typographic apostrophe as `'`, spaces collapsed. Every script is kept: “محمد”,
    “ߡߊߡߊߘߎ” and “Ɲɛlɛ” are not emptied (a plain ASCII text is only lower-cased and its
    spaces collapsed, as before). An empty result identifies no one.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    text = "".join(
        c
        for c in unicodedata.normalize("NFKD", text)
        if unicodedata.category(c) not in ("Mn", "Me")
    )
    return " ".join(unicodedata.normalize("NFC", text).split())


def identifies_no_one(text: str) -> bool:
    """Whether a participant code or a name holds no letter or digit of any script once
    normalised (empty, spaces, punctuation, lone combining marks): the doors refuse it."""
    return not any(c.isalnum() for c in attendee_identity(text))


def attendee_key(identity: str) -> str:
    """The pseudonymous key of a person: HMAC-SHA256 of what identifies them.

    The identity (a participant code, or name + phone + year of birth) is normalised
    by `attendee_identity` so that the same person gets the same key; the key cannot
    be reversed without the deployment secret `MUSOW_ATTENDEE_KEY`. The doors refuse an
    identity whose identifying part identifies no one (`identifies_no_one`).
    """
    text = attendee_identity(identity)
    return hmac.new(settings.ATTENDEE_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


# Checks of plain values, shared by the write path and by the doors that must report
# them before every code of a record could be resolved.


def dates_problem(start: date | None, end: date | None) -> str | None:
    if start and end and end < start:
        return _("The end date cannot be before the start date.")
    return None


NUL_IN_TEXT = gettext_lazy("The text contains a NUL character, which cannot be stored.")
EMPTY_IDENTITY = gettext_lazy(
    "This identifies no one: without its accents and marks it holds no letter or digit. "
    "Write the participant code, or the name as it is spelt."
)

# The largest number the database stores in a count (a 32-bit integer).
MAX_COUNT = 2_147_483_647


def count_problem(count: Any) -> str | None:
    if not isinstance(count, int) or isinstance(count, bool):
        return _("The number of participants must be a whole number.")
    if count < 0:
        return _("A number of participants cannot be negative (%(count)s).") % {"count": count}
    if count > MAX_COUNT:
        return too_large(count)
    return None


def too_large(number: int) -> str:
    return _("%(number)s is too large (at most %(max)s).") % {"number": number, "max": MAX_COUNT}


def total_problem(breakdown: int, total: int | None) -> str | None:
    if total is None:
        return None
    if total < 0:
        return _("The total number of participants cannot be negative.")
    if total > MAX_COUNT:
        return too_large(total)
    if breakdown != total:
        return _(
            "The breakdown by audience, sex and age adds up to %(breakdown)s, "
            "but the total given is %(total)s."
        ) % {"breakdown": breakdown, "total": total}
    return None


# Computed once: an enum's `.values` builds a new list on every call (import speed).
_STATUSES = frozenset(Activity.Status.values)
_SEXES = frozenset(Sex.values)
_MEDIA = frozenset(MediaReach.Medium.values)

# The database's limits on texts, checked with the other problems (not by full_clean alone),
# so that batch writes refuse what a single save refuses.
TEXT_LIMITS = {"title": 300, "source": 200, "source_key": 200}


def activity_validate_input(data: ActivityInput) -> None:
    """Check an activity before anything is written; report every problem at once."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not (data.title or "").strip():
        add("title", _("The title is required."))
    for name in ("title", "description", "source", "source_key"):
        if "\x00" in (getattr(data, name) or ""):
            add(name, str(NUL_IN_TEXT))
    for name, limit in TEXT_LIMITS.items():
        text = str(getattr(data, name) or "")
        length = len(text.strip() if name == "title" else text)
        if length > limit:
            add(
                name,
                _("At most %(max)s characters (this one has %(length)s).")
                % {"max": limit, "length": length},
            )
    if problem := dates_problem(data.start_date, data.end_date):
        add("end_date", problem)
    if data.campaign and data.start_date and data.end_date:
        c = data.campaign
        if data.end_date < c.start_date or data.start_date > c.end_date:
            add(
                "campaign",
                _(
                    "The activity's dates fall outside the window of the campaign "
                    "“%(campaign)s” (%(start)s – %(end)s)."
                )
                % {"campaign": c.name, "start": c.start_date, "end": c.end_date},
            )
    if data.status not in _STATUSES:
        add("status", _("Unknown status “%(status)s”.") % {"status": data.status})

    cells: Counter[tuple[int, str, int]] = Counter()
    named: dict[tuple[int, str, int], ParticipationCount] = {}
    for i, p in enumerate(data.participation, start=1):
        where = f"participation[{i}]"
        if problem := count_problem(p.count):
            add(f"{where}.count", problem)
            if not isinstance(p.count, int):
                continue
        if p.sex not in _SEXES:
            add(f"{where}.sex", _("Unknown sex “%(sex)s”: use f, m or u.") % {"sex": p.sex})
        # By primary key, as the database's constraint: names are looked up for messages only.
        cell = (p.audience.pk or id(p.audience), p.sex, p.age_group.pk or id(p.age_group))
        cells[cell] += 1
        named.setdefault(cell, p)
    for cell, n in cells.items():
        if n > 1:
            p = named[cell]
            add(
                "participation",
                _(
                    "%(audience)s · %(sex)s · %(age)s appears %(n)s times; "
                    "give each audience, sex and age group once."
                )
                % {
                    "audience": p.audience.name,
                    "sex": _sex_label(p.sex),
                    "age": p.age_group.name,
                    "n": n,
                },
            )
    breakdown = sum(p.count for p in data.participation if isinstance(p.count, int))
    if problem := total_problem(breakdown, data.participants_total):
        add("participants_total", problem)
    for i, m in enumerate(data.media_reach, start=1):
        if m.medium not in _MEDIA:
            add(f"media_reach[{i}].medium", _("Unknown medium “%(m)s”.") % {"m": m.medium})
        if m.estimated_audience < 0:
            add(
                f"media_reach[{i}].estimated_audience",
                _("An estimated audience cannot be negative."),
            )
        elif m.estimated_audience > MAX_COUNT:
            add(f"media_reach[{i}].estimated_audience", too_large(m.estimated_audience))
        if "\x00" in m.outlet + m.method:
            add(f"media_reach[{i}]", str(NUL_IN_TEXT))
    keys = Counter(a.key for a in data.attendance)
    if any(n > 1 for n in keys.values()):
        add("attendance", _("The same person appears more than once on the attendance list."))
    if data.attendance and len(keys) > breakdown:
        add(
            "attendance",
            _(
                "The attendance list has %(listed)s persons but only %(total)s participants "
                "are counted."
            )
            % {"listed": len(keys), "total": breakdown},
        )
    if errors:
        raise ValidationError(errors)


STALE_EDIT = gettext_lazy(
    "Someone else changed this activity since you opened it. Your input is kept below: "
    "compare it with the current version, then save again."
)
DELETED_ACTIVITY = gettext_lazy(
    "This activity has been deleted; a unit admin must restore it before it can be changed."
)


def activity_snapshot(data: ActivityInput) -> dict[str, Any]:
    """An activity's content as plain values (codes, ISO dates), for the audit trail."""

    def code(obj: Any) -> Any:
        return None if obj is None else getattr(obj, "code", None) or getattr(obj, "pcode", None)

    snap: dict[str, Any] = {
        "type": code(data.activity_type),
        "title": data.title.strip(),
        "description": data.description,
        "start_date": data.start_date.isoformat(),
        "end_date": data.end_date.isoformat(),
        "place": code(data.place),
        "campaign": code(data.campaign),
        "project": code(data.project),
        "organiser": code(data.organiser),
        "themes": sorted(code(t) for t in data.themes),
        "partners": sorted(code(o) for o in data.partners),
        "objectives": sorted(code(o) for o in data.objectives),
        "status": data.status,
        "attendance": len(data.attendance),
    }
    for p in data.participation:
        snap[f"participation {code(p.audience)} {p.sex} {code(p.age_group)}"] = p.count
    for m in data.media_reach:
        snap[f"media {m.medium} {m.outlet}".strip()] = m.estimated_audience
    return snap


def activity_input_from(activity: Activity) -> ActivityInput:
    """The stored activity as an ActivityInput: what an edit form starts from."""
    return ActivityInput(
        activity_type=activity.activity_type,
        title=activity.title,
        description=activity.description,
        start_date=activity.start_date,
        end_date=activity.end_date,
        place=activity.place,
        themes=list(activity.themes.all()),
        campaign=activity.campaign,
        project=activity.project,
        organiser=activity.organiser,
        partners=list(activity.partners.all()),
        objectives=list(activity.objectives.all()),
        participation=[
            ParticipationCount(p.audience, p.sex, p.age_group, p.count)
            for p in activity.participation.select_related("audience", "age_group")
        ],
        media_reach=[
            MediaEstimate(m.medium, m.estimated_audience, m.outlet, m.method)
            for m in activity.media_reach.all()
        ],
        attendance=[
            AttendanceEntry(a.attendee.key, a.attendee.sex, a.audience, a.age_group)
            for a in activity.attendance.select_related("attendee", "audience", "age_group")
        ],
        status=activity.status,
        source=activity.source,
        source_key=activity.source_key,
    )


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
    after someone else's is refused rather than silently overwriting it.
    """
    activity_validate_input(data)
    is_new = activity is None or activity.pk is None
    before: dict[str, Any] = {}
    if activity is not None and not is_new:
        if activity.is_deleted:
            raise ValidationError(str(DELETED_ACTIVITY), code="deleted")
        before = activity_snapshot(activity_input_from(activity))
        _bump_version(activity, expected_version)
    activity = activity or Activity()
    for name in (
        "activity_type",
        "title",
        "description",
        "start_date",
        "end_date",
        "place",
        "campaign",
        "project",
        "organiser",
        "source",
        "source_key",
    ):
        setattr(activity, name, getattr(data, name))
    activity.title = activity.title.strip()
    activity.source_hash = data.fingerprint()
    if origin:
        activity.origin = origin[:500]
    _set_status(activity, data.status, user)
    if is_new and user is not None and getattr(user, "pk", None):
        activity.created_by = user
    activity.full_clean(exclude=["themes", "partners", "objectives"], validate_unique=True)
    activity.save()
    activity.themes.set(data.themes)
    activity.partners.set(data.partners)
    activity.objectives.set(data.objectives)

    if not is_new:
        activity.participation.all().delete()
        activity.media_reach.all().delete()
        activity.attendance.all().delete()
    Participation.objects.bulk_create(
        Participation(
            activity=activity, audience=p.audience, sex=p.sex, age_group=p.age_group, count=p.count
        )
        for p in data.participation
    )
    MediaReach.objects.bulk_create(
        MediaReach(
            activity=activity,
            medium=m.medium,
            outlet=m.outlet,
            estimated_audience=m.estimated_audience,
            method=m.method,
        )
        for m in data.media_reach
    )
    if data.attendance:
        attendees = _attendees(data.attendance)
        Attendance.objects.bulk_create(
            Attendance(
                activity=activity,
                attendee=attendees[a.key],
                audience=a.audience,
                age_group=a.age_group,
            )
            for a in data.attendance
        )
    entry_record(
        actor=user,
        action=Entry.Action.CREATE if is_new else Entry.Action.UPDATE,
        target=activity,
        changes=diff(before, activity_snapshot(data)),
        comment=origin,
    )
    return activity


def _bump_version(activity: Activity, expected_version: int | None) -> None:
    """Take the next version number; refuse if the row moved on since `expected_version`."""
    rows = Activity.objects.filter(pk=activity.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        raise ValidationError(str(STALE_EDIT), code="stale")
    activity.version = Activity.objects.values_list("version", flat=True).get(pk=activity.pk)


def _attendees(entries: Sequence[AttendanceEntry]) -> dict[str, Attendee]:
    keys = [a.key for a in entries]
    existing = {a.key: a for a in Attendee.objects.filter(key__in=keys)}
    Attendee.objects.bulk_create(
        [Attendee(key=a.key, sex=a.sex) for a in entries if a.key not in existing],
        ignore_conflicts=True,
    )
    attendees = {a.key: a for a in Attendee.objects.filter(key__in=keys)}
    # A sex learnt later completes an attendee recorded without one.
    for a in entries:
        known = attendees[a.key]
        if known.sex == Sex.UNKNOWN and a.sex != Sex.UNKNOWN:
            known.sex = a.sex
            known.save(update_fields=["sex"])
    return attendees


def _set_status(activity: Activity, status: str, user: Any) -> None:
    if status == Activity.Status.VALIDATED and activity.status != Activity.Status.VALIDATED:
        activity.validated_at = timezone.now()
        activity.validated_by = user if getattr(user, "pk", None) else None
    elif status != Activity.Status.VALIDATED:
        activity.validated_at = None
        activity.validated_by = None
    activity.status = status


Outcome = Literal["created", "updated", "unchanged"]


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
    if existing.source_hash == data.fingerprint():
        return existing, "unchanged"
    return activity_save(data=data, activity=existing, user=user, origin=origin), "updated"


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
def activity_upsert_batch(*, items: Sequence[BatchItem], user: Any = None) -> list[Outcome]:
    """`activity_upsert` for many records at once, with the same result (a test proves it).

    Every item is validated as `activity_save` validates it; new activities, their
    participation, media, attendance and audit entries are then written with a few
    bulk inserts instead of several queries each; changed ones go through
    `activity_save` one by one. All or nothing: if any item is refused, BatchInvalid
    lists them all and nothing of the batch is written.
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
    existing = _existing_by_key(seen)
    outcomes: list[Outcome] = []
    creates: list[tuple[BatchItem, str]] = []
    for index, item in enumerate(items):
        fingerprint = item.data.fingerprint()
        found = existing.get((item.data.source, item.data.source_key))
        if found is None:
            creates.append((item, fingerprint))
            outcomes.append("created")
        elif found[1] == fingerprint:
            outcomes.append("unchanged")
        else:
            activity = Activity.objects.select_for_update().get(pk=found[0])
            try:
                activity_save(data=item.data, activity=activity, user=user, origin=item.origin)
            except ValidationError as exc:
                errors[index] = exc
            outcomes.append("updated")
    if errors:
        raise BatchInvalid(errors)  # leaving the atomic block undoes the updates
    _create_many(creates, user)
    return outcomes


def _existing_by_key(keys: dict[tuple[str, str], int]) -> dict[tuple[str, str], tuple[int, str]]:
    by_source: dict[str, list[str]] = {}
    for source, key in keys:
        by_source.setdefault(source, []).append(key)
    found: dict[tuple[str, str], tuple[int, str]] = {}
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
                .values_list("source_key", "pk", "source_hash")
            )
            for source_key, pk, source_hash in rows:
                found[(source, source_key)] = (pk, source_hash)
    return found


def _create_many(creates: Sequence[tuple[BatchItem, str]], user: Any) -> None:
    """Insert new activities and everything that hangs on them, in bulk."""
    if not creates:
        return
    author = user if getattr(user, "pk", None) else None
    if all(item.data.source_key for item, _fp in creates):
        ids = _insert_activities(creates, author)
    else:
        activities = []
        for item, fingerprint in creates:
            data = item.data
            activity = Activity(
                activity_type=data.activity_type,
                title=data.title.strip(),
                description=data.description,
                start_date=data.start_date,
                end_date=data.end_date,
                place=data.place,
                campaign=data.campaign,
                project=data.project,
                organiser=data.organiser,
                source=data.source,
                source_key=data.source_key,
                source_hash=fingerprint,
                origin=item.origin[:500],
                review_comment="",
                version=1,
                status_before_deletion="",
                created_by=author,
            )
            _set_status(activity, data.status, user)
            activities.append(activity)
        Activity.objects.bulk_create(activities, batch_size=500)
        ids = [a.pk for a in activities]

    many_to_many: list[tuple[Any, str, str]] = [
        (Activity.themes.through, "theme_id", "themes"),
        (Activity.partners.through, "organisation_id", "partners"),
        (Activity.objectives.through, "objective_id", "objectives"),
    ]
    for through, column, attribute in many_to_many:
        _insert(
            through,
            ["activity_id", column],
            [
                (activity_id, pk)
                for activity_id, (item, _fp) in zip(ids, creates, strict=True)
                for pk in dict.fromkeys(obj.pk for obj in getattr(item.data, attribute))
            ],
        )
    _insert(
        Participation,
        ["activity_id", "audience_id", "sex", "age_group_id", "count"],
        [
            (activity_id, p.audience.pk, p.sex, p.age_group.pk, p.count)
            for activity_id, (item, _fp) in zip(ids, creates, strict=True)
            for p in item.data.participation
        ],
    )
    _insert(
        MediaReach,
        ["activity_id", "medium", "outlet", "estimated_audience", "method"],
        [
            (activity_id, m.medium, m.outlet, m.estimated_audience, m.method)
            for activity_id, (item, _fp) in zip(ids, creates, strict=True)
            for m in item.data.media_reach
        ],
    )
    entries = [a for item, _fp in creates for a in item.data.attendance]
    if entries:
        attendees = _attendees_many(entries)
        _insert(
            Attendance,
            ["activity_id", "attendee_id", "audience_id", "age_group_id"],
            [
                (
                    activity_id,
                    attendees[a.key].pk,
                    a.audience.pk if a.audience else None,
                    a.age_group.pk if a.age_group else None,
                )
                for activity_id, (item, _fp) in zip(ids, creates, strict=True)
                for a in item.data.attendance
            ],
        )
    changes = Entry._meta.get_field("changes")
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    _insert(
        Entry,
        [
            "at",
            "actor_id",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "changes",
            "comment",
        ],
        [
            (
                stamp,
                author.pk if author else None,
                Entry.Action.CREATE,
                Activity._meta.label_lower,
                str(activity_id),
                item.data.title.strip()[:300],
                changes.get_db_prep_save(_created_changes(item.data), connection),
                item.origin,
            )
            for activity_id, (item, _fp) in zip(ids, creates, strict=True)
        ],
    )


def _created_changes(data: ActivityInput) -> dict[str, list[Any]]:
    """What `diff({}, activity_snapshot(data))` gives a new activity's audit entry, as
    [old, new] pairs, without comparing with an empty snapshot (import speed)."""
    return {
        name: [None, value]
        for name, value in sorted(activity_snapshot(data).items())
        if value is not None
    }


def _insert_activities(creates: Sequence[tuple[BatchItem, str]], author: Any) -> list[int]:
    """New activities as one multi-row insert; their ids read back by (source, key)."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(timezone.now())
    author_id = author.pk if author else None
    rows = []
    for item, fingerprint in creates:
        d = item.data
        validated = d.status == Activity.Status.VALIDATED
        rows.append(
            (
                d.activity_type.pk,
                d.title.strip(),
                d.description,
                ops.adapt_datefield_value(d.start_date),
                ops.adapt_datefield_value(d.end_date),
                d.place.pk,
                d.campaign.pk if d.campaign else None,
                d.project.pk if d.project else None,
                d.organiser.pk if d.organiser else None,
                d.status,
                d.source,
                d.source_key,
                fingerprint,
                author_id,
                stamp,
                stamp,
                author_id if validated else None,
                stamp if validated else None,
                item.origin[:500],
                "",
                1,
                "",
            )
        )
    _insert(
        Activity,
        [
            "activity_type_id",
            "title",
            "description",
            "start_date",
            "end_date",
            "place_id",
            "campaign_id",
            "project_id",
            "organiser_id",
            "status",
            "source",
            "source_key",
            "source_hash",
            "created_by_id",
            "created_at",
            "updated_at",
            "validated_by_id",
            "validated_at",
            "origin",
            "review_comment",
            "version",
            "status_before_deletion",
        ],
        rows,
    )
    keys = {(item.data.source, item.data.source_key): i for i, (item, _fp) in enumerate(creates)}
    found = _existing_by_key(keys)
    return [found[key][0] for key in keys]


def _insert(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """A plain insert of many rows of integer and text columns (no per-row model objects:
    building one Django object per row cost more than the insert itself).

    On SQLite, many rows per statement, not one statement per row: its full-text index
    of activities (web/search.py, kept by a trigger) writes its pending terms at the end
    of every statement, so one row per statement cost four times the insert itself. On
    PostgreSQL, one statement run for many rows (executemany, pipelined by psycopg): a
    statement of a thousand rows is parsed again, in Python, by psycopg each time.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    )
    marks = "({})".format(", ".join(["%s"] * len(columns)))
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            for start in range(0, len(rows), 5000):
                cursor.executemany(head + marks, rows[start : start + 5000])
            return
        per = _rows_per_statement(len(columns))
        for start in range(0, len(rows), per):
            batch = rows[start : start + per]
            cursor.execute(
                head + ", ".join([marks] * len(batch)), [v for row in batch for v in row]
            )


def _rows_per_statement(columns: int) -> int:
    """As many rows as SQLite takes parameters in one statement (at most 1 000): its
    compiled-in limit (32 766 since SQLite 3.32), not Django's prudent 999."""
    import sqlite3

    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(1000, limit // columns))


def _attendees_many(entries: Sequence[AttendanceEntry]) -> dict[str, Attendee]:
    """`_attendees` for many activities at once, with the same rule for a sex learnt later."""
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
    """The author sends a draft (or a returned activity) for validation."""
    return _transition(
        activity,
        user=user,
        allowed_from=[Activity.Status.DRAFT, Activity.Status.RETURNED],
        status=Activity.Status.SUBMITTED,
        action=Entry.Action.SUBMIT,
        refusal=_("Only a draft or a returned activity can be submitted."),
    )


@transaction.atomic
def activity_validate(*, activity: Activity, user: Any = None) -> Activity:
    """An officer accepts a submitted activity: from now on it counts in official figures."""
    return _transition(
        activity,
        user=user,
        allowed_from=[Activity.Status.SUBMITTED],
        status=Activity.Status.VALIDATED,
        action=Entry.Action.VALIDATE,
        refusal=_("Only a submitted activity can be validated."),
    )


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
    activity.review_comment = comment
    return _transition(
        activity,
        user=user,
        allowed_from=[Activity.Status.SUBMITTED, Activity.Status.VALIDATED],
        status=Activity.Status.RETURNED,
        action=Entry.Action.RETURN,
        refusal=_("Only a submitted or validated activity can be returned."),
        comment=comment,
        extra_fields=["review_comment"],
    )


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
