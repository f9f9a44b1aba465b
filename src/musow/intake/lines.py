"""The long-format sheets of an import: participation (one row per audience × sex × age
group), media and attendance lists, read before the activities and waiting for them by
activity ID. An attendance list becomes pseudonymous keys; identities are not kept."""

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from musow.activities.models import Sex
from musow.activities.services import (
    EMPTY_IDENTITY,
    AttendanceEntry,
    MediaEstimate,
    ParticipationCount,
    attendee_key,
    identifies_no_one,
)
from musow.intake.columns import SheetKind
from musow.intake.report import ImportReport
from musow.intake.rows import Line, Row, Sheet

if TYPE_CHECKING:
    from musow.intake.importer import Importer


def read_lines(importer: "Importer", sheet: Sheet, report: ImportReport) -> dict[str, list[Line]]:
    """A long-format sheet's rows (participation, media, attendance), by activity ID."""
    by_key: dict[str, list[Line]] = {}
    for number, values in importer._rows(sheet, report):
        row = Row(importer, sheet, number, values, report)
        key = row.text("activity_id")
        if not key:
            row.problem("activity_id", _("The activity's ID is required."))
            continue
        item = _line_item(sheet.kind, row)
        if item is not None and row.ok:
            column = "count" if sheet.kind == "participation" else ""
            by_key.setdefault(key, []).append(Line(row.cell(column), item))
    return by_key


def _line_item(kind: SheetKind, row: Row) -> Any:
    if kind == "participation":
        audience = row.choice("audience", required=True)
        sex = row.choice("sex", required=True)
        age = row.choice("age_group", required=True)
        count = row.integer("count")
        if count is None:
            row.problem("count", _("The number of participants is required."))
        if audience is None or sex is None or age is None or count is None:
            return None
        return ParticipationCount(audience, sex, age, count)
    if kind == "media":
        medium = row.choice("medium", required=True)
        estimate = row.integer("estimated_audience")
        if estimate is None:
            row.problem("estimated_audience", _("The estimated audience is required."))
        if medium is None or estimate is None:
            return None
        return MediaEstimate(medium, estimate, row.text("outlet"), row.text("method"))
    return _attendee(row)


def _attendee(row: Row) -> AttendanceEntry | None:
    """A person on an attendance list → a pseudonymous key; identities are not kept."""
    given_key = row.text("key")
    code = row.text("participant_code")
    name, phone = row.text("name"), row.text("phone")
    year = row.integer("birth_year")
    if given_key:
        if not re.fullmatch(r"[0-9a-f]{64}", given_key):
            row.problem("key", _("A pseudonymous key is 64 hexadecimal characters."))
            return None
        key = given_key
    elif code:
        if identifies_no_one(code):
            row.problem("participant_code", str(EMPTY_IDENTITY))
            return None
        key = attendee_key(code)
    elif name and (phone or year):
        if identifies_no_one(name):
            row.problem("name", str(EMPTY_IDENTITY))
            return None
        # Any script's digits (Arabic-Indic, N'Ko…) as the same number.
        digits = "".join(str(unicodedata.decimal(c)) for c in phone if c.isdecimal())[-8:]
        key = attendee_key(f"{name}|{digits}|{year or ''}")
    else:
        row.problem(
            "participant_code",
            _("Give a participant code, or a name with a phone number or a year of birth."),
        )
        return None
    return AttendanceEntry(
        key=key,
        sex=row.choice("sex") or Sex.UNKNOWN,
        audience=row.choice("audience"),
        age_group=row.choice("age_group"),
    )
