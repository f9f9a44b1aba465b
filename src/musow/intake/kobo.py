"""KoboToolbox and ODK Central submission exports of the musow XLSForm.

The form's field names are the template's column keys (see `xlsform`), so an
XLSX or CSV export (KoboToolbox: `_uuid`, `group/field` headers; ODK Central:
`meta-instanceID`, `group-field`) is read by the same importer as a template.
Each submission is keyed by its instance UUID (source "odk"): importing the
same export again changes nothing, and a submission edited on the server
updates its activity. Kobo's JSON export (a list of submissions, or an API
page with "results") becomes a table here.

Submissions made with an older version of the form import as long as their
fields still exist; a field the form no longer has is listed as an unknown
column, and a choice that was renamed or removed is reported on its row with
the form version that row was made with.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from musow.intake.readers import COMMAND_LIMITS, Limits, Table, Workbook, read_kobo_json

REPEAT = "attendees"  # the XLSForm's attendance list (xlsform.ATTENDANCE_REPEAT)
ATTENDANCE_FIELDS = ("participant_code", "sex", "age_group")


def _flatten(submission: dict[str, Any]) -> dict[str, Any]:
    """Plain fields only; repeat groups (lists) and attachments are left out."""
    return {
        key: value
        for key, value in submission.items()
        if not isinstance(value, list | dict) and key not in ("_attachments", "_geolocation")
    }


def _uuid(submission: dict[str, Any]) -> str:
    text = str(submission.get("_uuid") or submission.get("meta/instanceID") or "").strip()
    return text[5:] if text.lower().startswith("uuid:") else text


def _attendees(submission: dict[str, Any]) -> list[list[Any]]:
    """The attendance list of a submission: [submission UUID, code, sex, age group]."""
    rows = []
    for key, value in submission.items():
        if key.rsplit("/", 1)[-1] != REPEAT or not isinstance(value, list):
            continue
        for entry in value:
            if not isinstance(entry, dict):
                continue
            fields = {k.rsplit("/", 1)[-1]: v for k, v in entry.items()}
            rows.append([_uuid(submission), *(fields.get(f) for f in ATTENDANCE_FIELDS)])
    return rows


def json_workbook(path: Path, name: str, limits: Limits = COMMAND_LIMITS) -> Workbook:
    # The reader streams the file within `limits` (submissions, depth, values).
    raw = list(read_kobo_json(path, name, limits))
    submissions = [_flatten(s) for s in raw]
    header: list[str] = []
    seen: set[str] = set()
    for submission in submissions:
        for key in submission:
            if key not in seen:
                seen.add(key)
                header.append(key)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, submission in enumerate(submissions, start=1):
            yield number, [submission.get(h) for h in header]

    table = Table(sheet=name, header=header, tags=[], rows=rows(), total=len(submissions))
    tables = [table]
    attendees = [row for submission in raw for row in _attendees(submission)]
    if attendees:
        tables.append(
            Table(
                sheet="attendance",
                header=["activity_id", *ATTENDANCE_FIELDS],
                tags=[],
                rows=iter(enumerate(attendees, start=1)),
                total=len(attendees),
            )
        )
    return Workbook(name=name, format="json", tables=tables)
