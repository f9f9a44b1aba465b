"""Export activities in the import template's own sheets, so that an export imports back.

Each activity is written with its source and key (every activity has one, whatever
door created it), so importing an export again into the same database changes
nothing, and importing it into a fresh install (`musow setup`) gives the same
activities and figures: the export carries the organisations, campaigns and
projects its activities use (intake/references.py). Participation is written in the
count columns when it fits (one audience, the three default age groups), otherwise
on the Participation sheet. Attendance lists leave the system, as pseudonymous keys,
only in the unit admin's exports (`scopes.may_export_attendee_keys`); other exports
have no attendance sheet, and importing them keeps the stored lists. What the user
may export is what they may see (accounts.scopes). Texts that a spreadsheet would
run as formulas are neutralised; a text is never cut.
"""

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from musow.accounts import scopes
from musow.activities.models import Activity, Attendance, Participation
from musow.geo.models import Place
from musow.intake.columns import ACTIVITY_COLUMNS, COUNT_CELLS
from musow.intake.readers import MAX_CELL, neutralise
from musow.intake.references import REFERENCE_KINDS, RefKind, export_rows
from musow.intake.templates import KINDS, write_csv, write_xlsx
from musow.intake.vocabulary import SEPARATOR
from musow.lib.i18n import current_lang

WIDE = {(sex, age): key for key, sex, age in COUNT_CELLS}


class ExportError(Exception):
    """An export that cannot be written whole; the message is for the user."""


def activities_to_export(
    user: Any = None, *, year: int | None = None, region: str | None = None
) -> QuerySet[Activity]:
    """What `user` may export (None: the command line, everything), optionally filtered."""
    qs = (
        scopes.activities_for(user)
        if user is not None
        else Activity.objects.exclude(status=Activity.Status.DELETED)
    )
    if year:
        qs = qs.filter(start_date__year=year)
    if region:
        qs = qs.filter(place__region__pcode=region)
    return qs.order_by("start_date", "pk")


def _rows(activities: QuerySet[Activity], *, keys: bool) -> Iterator[tuple[str, list[Any]]]:
    used: dict[RefKind, set[int]] = {kind: set() for kind in REFERENCE_KINDS}
    places = {p.pk: p for p in Place.objects.only("id", "pcode", "level", "parent_id")}
    qs = activities.select_related(
        "activity_type", "campaign", "project", "organiser"
    ).prefetch_related(
        "themes",
        "partners",
        "objectives",
        Prefetch(
            "participation",
            queryset=Participation.objects.select_related("audience", "age_group").order_by("pk"),
        ),
        "media_reach",
        Prefetch(
            "attendance",
            queryset=Attendance.objects.select_related("attendee", "audience", "age_group"),
        ),
    )
    index = {c.key: i for i, c in enumerate(ACTIVITY_COLUMNS)}
    for activity in qs.iterator(chunk_size=500):
        # Every activity has a key (activities/migrations/0004); the id only for a row
        # written around the write path.
        key = activity.source_key or str(activity.pk)
        source = activity.source if activity.source_key else "musow"
        used["organisations"].update(
            [activity.organiser_id] if activity.organiser_id else [],
            (o.pk for o in activity.partners.all()),
        )
        if activity.campaign_id:
            used["campaigns"].add(activity.campaign_id)
        if activity.project_id:
            used["projects"].add(activity.project_id)
        row: list[Any] = [None] * len(ACTIVITY_COLUMNS)

        def put(name: str, value: Any, row: list[Any] = row, key: str = key) -> None:
            if isinstance(value, str) and len(neutralise(value)) > MAX_CELL:
                raise ExportError(
                    _(
                        "The activity %(key)s has a text (column %(field)s) of %(length)s "
                        "characters, more than a spreadsheet cell holds: nothing was exported."
                    )
                    % {
                        "key": key,
                        "field": ACTIVITY_COLUMNS[index[name]].header(current_lang()),
                        "length": len(value),
                    }
                )
            row[index[name]] = value

        put("activity_id", key)
        put("source", source)
        put("activity_type", activity.activity_type.code)
        put("title", activity.title)
        put("description", activity.description)
        put("start_date", activity.start_date)
        put("end_date", activity.end_date)
        place = places[activity.place_id]
        for level_key in _place_chain(place, places):
            put(level_key[0], level_key[1])
        put("themes", f"{SEPARATOR} ".join(t.code for t in activity.themes.all()))
        put("campaign", activity.campaign.code if activity.campaign else None)
        put("project", activity.project.code if activity.project else None)
        put("organiser", activity.organiser.code if activity.organiser else None)
        put("partners", f"{SEPARATOR} ".join(o.code for o in activity.partners.all()))
        put("objectives", f"{SEPARATOR} ".join(o.code for o in activity.objectives.all()))
        put("status", activity.status)
        put("review_comment", activity.review_comment)
        participation = list(activity.participation.all())
        audiences = {p.audience_id for p in participation}
        fits = len(audiences) == 1 and all((p.sex, p.age_group.code) in WIDE for p in participation)
        if fits:
            put("audience", participation[0].audience.code)
            for p in participation:
                put(WIDE[(p.sex, p.age_group.code)], p.count)
            put("total", sum(p.count for p in participation))
        else:
            for p in participation:
                yield "participation", [key, p.audience.code, p.sex, p.age_group.code, p.count]
            if participation:
                put("total", sum(p.count for p in participation))
        media = list(activity.media_reach.all())
        if len(media) == 1:
            m = media[0]
            put("medium", m.medium)
            put("outlet", m.outlet)
            put("estimated_audience", m.estimated_audience)
            put("method", m.method)
        else:
            for m in media:
                yield "media", [key, m.medium, m.outlet, m.estimated_audience, m.method]
        for a in activity.attendance.all() if keys else ():
            yield (
                "attendance",
                [
                    key,
                    None,
                    None,
                    None,
                    None,
                    a.attendee.sex,
                    a.audience.code if a.audience else None,
                    a.age_group.code if a.age_group else None,
                    a.attendee.key,
                ],
            )
        yield "activities", row
    yield from export_rows(used)


def _place_chain(place: Place, places: dict[int, Place]) -> list[tuple[str, str]]:
    names = {1: "region_code", 2: "cercle_code", 3: "commune_code"}
    chain = []
    node: Place | None = place
    while node is not None:
        if node.level in names:
            chain.append((names[node.level], node.pcode))
        node = places.get(node.parent_id) if node.parent_id else None
    return chain


def export_xlsx(
    target: str | Path, *, activities: QuerySet[Activity], lang: str, keys: bool = False
) -> int:
    """Write the export workbook as activities are read; return the number of activities.
    `keys`: with the attendance lists' pseudonymous keys (`scopes.may_export_attendee_keys`)."""
    counted = _Counted(_rows(activities, keys=keys))
    kinds = KINDS if keys else tuple(k for k in KINDS if k != "attendance")
    write_xlsx(target, lang=lang, rows=counted, instructions=False, kinds=kinds, references=True)
    return counted.activities


def export_csv(
    directory: Path, *, activities: QuerySet[Activity], lang: str, keys: bool = False
) -> list[Path]:
    """One CSV file per non-empty sheet in `directory` (UTF-8 with BOM, for Excel)."""
    directory.mkdir(parents=True, exist_ok=True)
    names: list[str] = [*KINDS, *REFERENCE_KINDS]
    paths = {kind: directory / f"{kind}.csv" for kind in names}
    used = {"activities"}
    with ExitStack() as stack:
        writers = {}
        for kind, path in paths.items():
            out = stack.enter_context(open(path, "w", encoding="utf-8-sig", newline=""))
            writers[kind] = write_csv(out, kind=kind, lang=lang)
        for name, row in _rows(activities, keys=keys):
            writers[name](row)
            used.add(name)
    for kind, path in paths.items():
        if kind not in used:
            path.unlink()
    return [paths[kind] for kind in names if kind in used]


class _Counted:
    """The rows, counting the activities as they pass."""

    def __init__(self, rows: Iterator[tuple[str, list[Any]]]) -> None:
        self.rows = rows
        self.activities = 0

    def __iter__(self) -> Iterator[tuple[str, list[Any]]]:
        for kind, row in self.rows:
            if kind == "activities":
                self.activities += 1
            yield kind, row
