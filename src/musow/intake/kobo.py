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

from musow.intake.readers import Table, Workbook, json_rows, read_json


def _flatten(submission: dict[str, Any]) -> dict[str, Any]:
    """Plain fields only; repeat groups (lists) and attachments are left out."""
    return {
        key: value
        for key, value in submission.items()
        if not isinstance(value, list | dict) and key not in ("_attachments", "_geolocation")
    }


def json_workbook(path: Path, name: str) -> Workbook:
    submissions = [_flatten(s) for s in json_rows(read_json(path))]
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
    return Workbook(name=name, format="json", tables=[table])
