"""Writes to the activity register. Every door (admin, web forms, imports, the
command line, the demo) writes activities through `activity_save`, so the same
validation applies everywhere, and a write is all or nothing."""

import dataclasses
import hashlib
import hmac
import json
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities import bulk
from musow.activities.models import (
    ACTIVITY_TEXT_MAX,
    MEDIA_TEXT_MAX,
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
from musow.audit.services import diff, entry_fields, entry_record
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
    # Why a validator returned it to its author (with the status "returned").
    review_comment: str = ""
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
        if self.review_comment:  # only when there is one: stored fingerprints stay valid
            payload["review_comment"] = self.review_comment
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

# The activity's own fields that an ActivityInput carries under the same name: what both
# write paths (`activity_save`, the batch's inserts) copy from the input. Derived, so a
# field added to the model and to the input is written by both. The status is set
# apart (`_status_values`): validating stamps who and when.
INPUT_FIELDS = tuple(
    f.name
    for f in Activity._meta.concrete_fields
    if f.name in {x.name for x in dataclasses.fields(ActivityInput)} and f.name != "status"
)
# The database's limits on texts (models.ACTIVITY_TEXT_MAX, MEDIA_TEXT_MAX), checked with
# the other problems so that every door refuses, field by field, what the database would.
TEXT_LIMITS = {name: ACTIVITY_TEXT_MAX[name] for name in INPUT_FIELDS if name in ACTIVITY_TEXT_MAX}
TEXT_TOO_LONG = gettext_lazy("At most %(max)s characters (this one has %(length)s).")
DELETED_BY_WRITE = gettext_lazy(
    "An activity is not deleted by writing its status: delete it from its page (the unit "
    "admin can restore it). Write draft, submitted or validated."
)
RETURN_WITHOUT_COMMENT = gettext_lazy(
    "Say why the activity is returned: its author will read it (the review comment)."
)


def _too_long(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return str(TEXT_TOO_LONG % {"max": limit, "length": len(text)})
    return None


def activity_validate_input(data: ActivityInput) -> None:
    """Check an activity before anything is written; report every problem at once."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not (data.title or "").strip():
        add("title", _("The title is required."))
    for name, limit in TEXT_LIMITS.items():
        text = str(getattr(data, name) or "")
        if "\x00" in text:
            add(name, str(NUL_IN_TEXT))
        if problem := _too_long(text.strip() if name == "title" else text, limit):
            add(name, problem)
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
    elif data.status == Activity.Status.DELETED:
        add("status", str(DELETED_BY_WRITE))
    elif data.status == Activity.Status.RETURNED and not data.review_comment.strip():
        add("review_comment", str(RETURN_WITHOUT_COMMENT))

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
        for name, limit in MEDIA_TEXT_MAX.items():
            if problem := _too_long(str(getattr(m, name) or ""), limit):
                add(f"media_reach[{i}].{name}", problem)
    keys = Counter(a.key for a in data.attendance)
    if any(n > 1 for n in keys.values()):
        listed: set[str] = set()
        for i, a in enumerate(data.attendance, start=1):  # each repeat, where it is
            if a.key in listed:
                add(
                    f"attendance[{i}]",
                    _("The same person appears more than once on the attendance list."),
                )
            listed.add(a.key)
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
    if data.review_comment:
        snap["review_comment"] = data.review_comment
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
        review_comment=activity.review_comment,
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
                .values_list("source_key", "pk", "status", "source_hash", "review_comment")
            )
            for source_key, pk, status, source_hash, comment in rows:
                found[(source, source_key)] = Stored(pk, status, source_hash, comment)
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
def activity_upsert_batch(*, items: Sequence[BatchItem], user: Any = None) -> list[Outcome]:
    """`activity_upsert` for many records at once, with the same result (a test proves it).

    Every item is validated as `activity_save` validates it; new activities, their
    participation, media, attendance and audit entries are then written with a few
    bulk inserts instead of several queries each, from the same definitions as
    `activity_save` (`_record_values`, `_status_values`, `_related_rows`, `MANY_FIELDS`,
    the audit entry's fields); changed ones go through `activity_save` one by one. All
    or nothing: if any item is refused, BatchInvalid lists them all and nothing of the
    batch is written.
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
    existing = activities_stored(keys=seen)
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
    if problem := _too_long(comment, ACTIVITY_TEXT_MAX["review_comment"]):
        raise ValidationError({"comment": problem})
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
