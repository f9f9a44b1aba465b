"""The three submissions of musow's XLSForm behind the export fixtures, as XML instances.

Both generators read this file: `make_kobo.py` (KoboToolbox: KoboCAT's parser turns the
XML into the stored submission, formpack exports it) and `make_odk.js` (ODK Central's
export code reads the XML), so every export holds the same three submissions:

1. an awareness session in Gao with an attendance list of three people;
2. a radio programme filled in in French, with a radio audience estimate (approved
   by the reviewer on the server);
3. a workshop with two themes (one of whose labels holds a comma).

Then the first one is edited on the server (25 → 26 women, total 40 → 41): a new
instance ID, the old one as `deprecatedID`, the first one as `rootUuid`.
Standard library only; run with any Python 3.11.
"""

from __future__ import annotations

import json
import sys
from xml.sax.saxutils import escape

# The XLSForm's survey order (musow xlsform): every field, empty or not, is in the XML.
FIELDS = [
    "start",
    "end",
    "activity_type",
    "title",
    "description",
    "start_date",
    "end_date",
    "region_code",
    "themes",
    "campaign",
    "project",
    "organiser",
    "audience",
    "f_children",
    "f_adults",
    "f_age_unknown",
    "m_children",
    "m_adults",
    "m_age_unknown",
    "u_children",
    "u_adults",
    "u_age_unknown",
    "total",
    "medium",
    "outlet",
    "estimated_audience",
    "method",
]
REPEAT = "attendees"
REPEAT_FIELDS = ["participant_code", "sex", "age_group"]

SUBMISSIONS: list[dict] = [
    {
        "uuid": "5b0f2c6e-3c1a-4d0e-9a53-1f2e8b7c0a01",
        "received": "2014-11-26T18:02:11.000Z",
        "device": "collect:Gao-TAB-04",
        "submitter": "gao",
        "values": {
            "start": "2014-11-26T09:04:31.000Z",
            "end": "2014-11-26T09:21:07.000Z",
            "activity_type": "awareness-session",
            "title": "Séance de sensibilisation sur les VBG au lycée d'Ansongo",
            "start_date": "2014-11-26",
            "end_date": "2014-11-26",
            "region_code": "ML07",
            "themes": "gbv",
            "campaign": "16-jours-2014",
            "organiser": "minusma-unite-genre",
            "audience": "students",
            "f_adults": "25",
            "m_adults": "15",
            "total": "40",
        },
        "attendees": [
            {"participant_code": "GAO-0001", "sex": "f", "age_group": "18-plus"},
            {"participant_code": "GAO-0002", "sex": "m", "age_group": "18-plus"},
            {"participant_code": "GAO-0003", "sex": "f", "age_group": "under-18"},
        ],
        "review": None,
    },
    {
        "uuid": "9d4e7a12-6b38-4f21-8c0d-2a7b5e3f0b02",
        "received": "2014-12-04T10:15:40.000Z",
        "device": "collect:TBK-PHONE-02",
        "submitter": "tombouctou",
        "values": {
            "start": "2014-12-03T16:40:02.000Z",
            "end": "2014-12-03T16:52:45.000Z",
            "activity_type": "radio-programme",
            "title": "Émission « Les femmes et la paix » sur Radio Bouctou",
            "description": "Débat en songhaï et en français, questions des auditrices.",
            "start_date": "2014-12-03",
            "end_date": "2014-12-03",
            "region_code": "ML06",
            "themes": "wps-1325",
            "campaign": "16-jours-2014",
            "organiser": "radio-bouctou",
            "medium": "radio",
            "outlet": "Radio Bouctou",
            "estimated_audience": "5000",
            "method": "Estimation de la station (zone de couverture)",
        },
        "attendees": [],
        "review": "approved",
    },
    {
        "uuid": "c3a91f58-0e7d-4b6a-b2f4-7d1c9e8a0c03",
        "received": "2014-10-16T08:30:00.000Z",
        "device": "collect:BKO-TAB-01",
        "submitter": "wildaf",
        "values": {
            "start": "2014-10-15T17:01:12.000Z",
            "end": "2014-10-15T17:09:58.000Z",
            "activity_type": "workshop",
            "title": "Atelier sur la participation politique des femmes",
            "start_date": "2014-10-14",
            "end_date": "2014-10-15",
            "region_code": "ML09",
            "themes": "wps-1325 political-participation",
            "project": "acces-justice-vsbg",
            "organiser": "wildaf-mali",
            "audience": "women-leaders",
            "f_adults": "18",
            "f_age_unknown": "2",
            "m_adults": "3",
            "total": "23",
        },
        "attendees": [],
        "review": None,
    },
]

# The edit made on the server to the first submission.
EDIT = {
    "of": SUBMISSIONS[0]["uuid"],
    "uuid": "e71b4d09-5f2a-4c83-a6de-3b9f0c1d0a11",
    "edited": "2014-11-27T11:20:05.000Z",
    "values": {"f_adults": "26", "total": "41"},
}


def edited(submissions: list[dict]) -> list[dict]:
    """The submissions after the edit: the edited one gets a new instance ID."""
    result = []
    for sub in submissions:
        if sub["uuid"] == EDIT["of"]:
            sub = {
                **sub,
                "values": {**sub["values"], **EDIT["values"]},
                "root": sub["uuid"],
                "deprecated": sub["uuid"],
                "uuid": EDIT["uuid"],
                "edited": EDIT["edited"],
            }
        result.append(sub)
    return result


def instance_xml(
    sub: dict,
    *,
    root: str,
    form_id: str,
    version: str,
    head: str = "",
    tail: str = "",
    root_uuid: bool = False,
) -> str:
    """The XML instance Collect (or Enketo, for an edit) sends for a submission.

    `head` and `tail` are nodes a server adds to its copy of the form (KoboToolbox:
    `formhub/uuid` first, `__version__` last); `root_uuid` adds the `rootUuid` that
    KoboToolbox writes into an edited submission."""
    parts = [
        f'<{root} xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="{form_id}" version="{version}">',
        head,
    ]
    for name in FIELDS:
        value = sub["values"].get(name, "")
        parts.append(f"<{name}>{escape(value)}</{name}>" if value else f"<{name}/>")
    for entry in sub["attendees"]:
        parts.append(f"<{REPEAT}>")
        for name in REPEAT_FIELDS:
            value = entry.get(name, "")
            parts.append(f"<{name}>{escape(value)}</{name}>" if value else f"<{name}/>")
        parts.append(f"</{REPEAT}>")
    parts.append(tail)
    parts.append("<meta>")
    parts.append(f"<instanceID>uuid:{sub['uuid']}</instanceID>")
    if sub.get("deprecated"):
        parts.append(f"<deprecatedID>uuid:{sub['deprecated']}</deprecatedID>")
        if root_uuid:
            parts.append(f"<rootUuid>uuid:{sub['root']}</rootUuid>")
    parts.append("</meta>")
    parts.append(f"</{root}>")
    return "".join(parts)


def odk_records(form_id: str, version: str, after_edit: bool) -> list[dict]:
    """What ODK Central's export query hands to its CSV code, one record per submission."""
    subs = edited(SUBMISSIONS) if after_edit else SUBMISSIONS
    records = []
    for sub in subs:
        review = sub["review"]
        if sub.get("edited"):
            review = "edited"  # Central sets it when a submission is edited
        records.append(
            {
                # The submission's instance ID stays the first one; its current
                # version's XML carries the new one.
                "instanceId": "uuid:" + sub.get("root", sub["uuid"]),
                "createdAt": sub["received"],
                "reviewState": review,
                "deviceId": sub["device"],
                "submitter": {"id": 10 + SUBMISSIONS.index(_first(sub)), "name": sub["submitter"]},
                "edits": 1 if sub.get("edited") else 0,
                "formVersion": version,
                "xml": instance_xml(sub, root="data", form_id=form_id, version=version),
            }
        )
    return records


def _first(sub: dict) -> dict:
    uuid = sub.get("root", sub["uuid"])
    return next(s for s in SUBMISSIONS if s["uuid"] == uuid)


if __name__ == "__main__":
    # python submissions.py FORM_ID VERSION [edited]: the records for make_odk.js, as JSON.
    form, ver = sys.argv[1], sys.argv[2]
    json.dump(
        odk_records(form, ver, after_edit=sys.argv[3:] == ["edited"]),
        sys.stdout,
        ensure_ascii=False,
    )
