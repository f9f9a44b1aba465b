"""The audit trail in words: what the staff pages show of `audit.Entry` rows.

An entry keeps plain values (codes, ISO dates, `participation grand-public f adulte`),
so that it never changes when a name does. Here they become what a person reads, in
the page's language: the names of the codes (looked up once per page, not per line),
dates in the locale's style, statuses and roles by their labels. A text the system
wrote in the language of whoever saved (an activity's origin, "saisie par gao") is
written again in the reader's language when it is one of the system's phrases.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from musow.accounts.models import User
from musow.activities.models import (
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
from musow.audit.models import Entry
from musow.geo.models import Place
from musow.lib.i18n import LANGS
from musow.representation.models import Body, Role

# --- texts the system wrote, in the reader's language --------------------------------

# The phrases that make an activity's origin (web/activity_views, api, intake/importer);
# the same msgids, so their translations are the ones the writers used.
ORIGIN_PHRASES = (
    gettext_noop("entered by %(user)s"),
    gettext_noop("entered through the API by %(user)s"),
    gettext_noop("%(file)s, submission %(key)s"),
    gettext_noop("%(file)s, sheet %(sheet)s, row %(row)s"),
)
VERSION_SUFFIX = gettext_noop("(form version %(version)s)")
_NAME = re.compile(r"%\\\((\w+)\\\)s")


def _pattern(translated: str) -> str:
    return _NAME.sub(lambda m: f"(?P<{m[1]}>.+?)", re.escape(translated))


def retranslated(text: str) -> str:
    """`text` again in the active language when one of the system's phrases wrote it in
    either language ("saisie par gao" → "entered by gao"); otherwise `text` itself."""
    if not text:
        return text
    for lang in LANGS:
        with translation.override(lang):
            suffix = _pattern(_(VERSION_SUFFIX))
            phrases = [(msgid, _pattern(_(msgid))) for msgid in ORIGIN_PHRASES]
        version = re.fullmatch(rf"(?P<head>.*) {suffix}", text, re.DOTALL)
        head = version["head"] if version else text
        for msgid, pattern in phrases:
            found = re.fullmatch(pattern, head, re.DOTALL)
            if found:
                out = _(msgid) % found.groupdict()
                if version:
                    out += " " + _(VERSION_SUFFIX) % {"version": version["version"]}
                return out
    return text


# --- the changes of an entry ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryLine:
    entry: Entry
    comment: str
    changes: list[Change]
    created: bool = False  # every value new: the record as it was made, no "before"


# The order a page shows an activity in (then a user's); the rest after, by name.
ORDER = [
    "title",
    "type",
    "themes",
    "description",
    "start_date",
    "end_date",
    "place",
    "campaign",
    "project",
    "organiser",
    "partners",
    "objectives",
    "participation",
    "media",
    "attendance",
    "status",
    "review_comment",
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "regions",
    "organisation",
    "is_active",
]


def _rank(name: str) -> tuple[int, str]:
    head = name.split(" ", 1)[0]
    return (ORDER.index(head) if head in ORDER else len(ORDER), name)


# The fields an activity's snapshot names by code (activities.inputs.activity_snapshot),
# and a user's (accounts.services._snapshot): the model each code belongs to.
CODED: dict[str, type[models.Model]] = {
    "type": ActivityType,
    "place": Place,
    "campaign": Campaign,
    "project": Project,
    "organiser": Organisation,
    "organisation": Organisation,
    "themes": Theme,
    "partners": Organisation,
    "objectives": Objective,
    "regions": Place,
    "body": Body,
}
DATES = ("start_date", "end_date", "as_of", "held_on", "source_date")
SYSTEM_COMMENTS = (Entry.Action.CREATE, Entry.Action.UPDATE, Entry.Action.IMPORT)


class _Names:
    """The names of the codes that appear in a set of entries, looked up in one query per
    kind of thing."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        wanted: dict[type[models.Model], set[str]] = {}
        for entry in entries:
            for name, pair in entry.changes.items():
                head = name.split(" ", 1)[0]
                if head == "participation":
                    parts = name.split(" ")
                    if len(parts) == 4:
                        wanted.setdefault(Audience, set()).add(parts[1])
                        wanted.setdefault(AgeGroup, set()).add(parts[3])
                    continue
                model = CODED.get(name)
                if model is None:
                    continue
                for value in pair:
                    for code in value if isinstance(value, list) else [value]:
                        if isinstance(code, str) and code:
                            wanted.setdefault(model, set()).add(code)
        self.names: dict[type[models.Model], dict[str, str]] = {}
        for model, codes in wanted.items():
            self.names[model] = self._lookup(model, codes)

    @staticmethod
    def _lookup(model: type[models.Model], codes: set[str]) -> dict[str, str]:
        if model is Place:
            rows = Place.objects.filter(pcode__in=codes).defer("boundary").order_by("gazetteer")
            found: dict[str, str] = {}
            for place in rows:
                found.setdefault(place.pcode, place.name)
            return found
        objects: Iterable[Any] = model._default_manager.filter(code__in=codes)
        return {obj.code: str(obj) for obj in objects}

    def of(self, model: type[models.Model], code: Any) -> str:
        return self.names.get(model, {}).get(str(code), str(code))


def _date(value: Any) -> str:
    try:
        return formats.date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    field_name = {"type": "activity_type"}.get(name, name)
    try:
        label = getattr(model._meta.get_field(field_name), "verbose_name", None)
    except FieldDoesNotExist:  # a name of the snapshot that is no field (attendance)
        label = None
    if label is None:
        if cell := _cell_label(name):
            return cell
        return {"attendance": _("persons on the attendance list")}.get(name, name)
    return str(label)


def _cell_label(name: str) -> str | None:
    """ "seats member f" / "attendance member m" (women at the table) in words."""
    parts = name.split(" ")
    if len(parts) != 3 or parts[0] not in ("seats", "attendance") or parts[2] not in ("f", "m"):
        return None
    role = Role.objects.filter(code=parts[1]).first()
    what = _("seats") if parts[0] == "seats" else _("present")
    sex = _("women") if parts[2] == "f" else _("men")
    return f"{what} — {role.name if role else parts[1]}, {sex}"


def _choice(labels: type[models.TextChoices], value: Any) -> str:
    return str(labels(value).label) if value in labels.values else str(value)


class _Presenter:
    def __init__(self, entries: Sequence[Entry]) -> None:
        self.names = _Names(entries)

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "–"
        model = CODED.get(name)
        if isinstance(value, list):
            items = [self.names.of(model, v) if model else _plain(v) for v in value]
            return ", ".join(sorted(items, key=str.casefold))
        if model is not None:
            return self.names.of(model, value)
        if name in DATES:
            return _date(value)
        if name == "status":
            return _choice(Activity.Status, value)
        if name == "role":
            return _choice(User.Role, value)
        return _plain(value)

    def label(self, model: type[models.Model] | None, name: str) -> str:
        parts = name.split(" ")
        if parts[0] == "participation" and len(parts) == 4:
            who = " · ".join(
                [
                    self.names.of(Audience, parts[1]),
                    _choice(Sex, parts[2]),
                    self.names.of(AgeGroup, parts[3]),
                ]
            )
            return _("Participants: %(who)s") % {"who": who}
        if parts[0] == "media" and len(parts) >= 2:
            what = _choice(MediaReach.Medium, parts[1])
            outlet = " ".join(parts[2:])
            return _("Estimated audience: %(what)s") % {
                "what": f"{what} · {outlet}" if outlet else what
            }
        return _field_label(model, name).capitalize()

    def line(self, entry: Entry) -> HistoryLine:
        try:
            model: type[models.Model] | None = _model(entry.target_type)
        except LookupError:
            model = None
        fields = sorted(entry.changed_fields(), key=lambda change: _rank(change[0]))
        changes = [
            Change(self.label(model, name), self.value(name, old), self.value(name, new))
            for name, old, new in fields
        ]
        comment = entry.comment
        if entry.action in SYSTEM_COMMENTS:
            comment = retranslated(comment)
        created = all(old is None for _name, old, _new in fields)
        return HistoryLine(entry, comment, changes, created)


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def history(entries: Iterable[Entry]) -> list[HistoryLine]:
    """The entries of a record's trail, each with its changes in words."""
    entries = list(entries)
    presenter = _Presenter(entries)
    return [presenter.line(entry) for entry in entries]
