"""What an activity is, whatever door it comes through: the write path's input
(`ActivityInput`), attendees' pseudonymous keys, and the checks every write makes
before anything is written (`activity_validate_input`). `services` writes it."""

import dataclasses
import hashlib
import json
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musow.activities.keys import pseudonym
from musow.activities.models import (
    ACTIVITY_TEXT_MAX,
    MEDIA_TEXT_MAX,
    Activity,
    ActivityType,
    AgeGroup,
    Audience,
    Campaign,
    MediaReach,
    Objective,
    Organisation,
    Project,
    Sex,
    Theme,
)
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
    be reversed without the deployment secret `MUSOW_ATTENDEE_KEY` (musow.activities.keys:
    the chain of secrets, after a re-keying). The doors refuse an
    identity whose identifying part identifies no one (`identifies_no_one`).
    """
    text = attendee_identity(identity)
    return pseudonym(text)


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
