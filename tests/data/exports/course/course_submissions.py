"""The five submissions of a course's pre/post test behind the course export fixtures.

The form is `musow xlsform --course genre-maintien-paix-induction --lang fr,en` on the
demo's induction course (`course-induction.xlsx`): a participant code, the test (pre or
post) and one answer per question of the bank (`q_r1325`, `q_ead`, `q_vslc`, `q_genre`;
keys a, b, b, b). Three trainees of one session took the pre-test; two of them the
post-test (IND-0003 missed it: no data, not 0):

| participant | test | answers              | score |
|-------------|------|----------------------|-------|
| IND-0001    | pre  | a, a, b, a           | 50    |
| IND-0002    | pre  | c, b, a, a           | 25    |
| IND-0003    | pre  | a, b, b, a           | 75    |
| IND-0001    | post | a, b, b, b           | 100   |
| IND-0002    | post | a, b, b, a           | 75    |

`bad` adds two that must be refused: a post-test without a participant code, and an
answer not among the question's choices ("d", from an older version of the form).
Standard library only; both generators (make_kobo.py, make_odk.js) read this file.
"""

from __future__ import annotations

import json
import sys
from xml.sax.saxutils import escape

FORM_ID = "musow_course_genre-maintien-paix-induction"
QUESTIONS = ["q_r1325", "q_ead", "q_vslc", "q_genre"]
FIELDS = ["start", "end", "participant_code", "test", *QUESTIONS]


def _sub(n: int, code: str, test: str, answers: str, day: str) -> dict:
    return {
        "uuid": f"7c2d{n:04d}-1b3e-4f5a-8d6c-0e9f1a2b3c{n:02d}",
        "received": f"2014-03-{day}T17:{10 + n:02d}:00.000Z",
        "device": f"collect:IND-TAB-0{1 + n % 2}",
        "submitter": "formateur",
        "values": {
            "start": f"2014-03-{day}T08:{n:02d}:10.000Z",
            "end": f"2014-03-{day}T08:{n + 9:02d}:40.000Z",
            "participant_code": code,
            "test": test,
            **dict(zip(QUESTIONS, answers.split(","), strict=True)),
        },
    }


SUBMISSIONS: list[dict] = [
    _sub(1, "IND-0001", "pre", "a,a,b,a", "11"),
    _sub(2, "IND-0002", "pre", "c,b,a,a", "11"),
    _sub(3, "IND-0003", "pre", "a,b,b,a", "11"),
    _sub(4, "IND-0001", "post", "a,b,b,b", "12"),
    _sub(5, "IND-0002", "post", "a,b,b,a", "12"),
]
BAD: list[dict] = [
    *SUBMISSIONS[:3],
    _sub(6, "", "post", "a,b,b,b", "12"),  # a post-test without a trainee
    _sub(7, "IND-0002", "post", "a,d,b,a", "12"),  # "d" is not a choice of q_ead
]


def instance_xml(
    sub: dict, *, root: str, form_id: str, version: str, head: str = "", tail: str = ""
) -> str:
    """The XML instance Collect sends (`head`/`tail`: nodes KoboToolbox adds)."""
    parts = [
        f'<{root} xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="{form_id}" version="{version}">',
        head,
    ]
    for name in FIELDS:
        value = sub["values"].get(name, "")
        parts.append(f"<{name}>{escape(value)}</{name}>" if value else f"<{name}/>")
    parts.append(tail)
    parts.append(f"<meta><instanceID>uuid:{sub['uuid']}</instanceID></meta></{root}>")
    return "".join(parts)


def odk_records(version: str, subs: list[dict]) -> list[dict]:
    """What ODK Central's export query hands to its CSV code, one record per submission."""
    return [
        {
            "instanceId": "uuid:" + sub["uuid"],
            "createdAt": sub["received"],
            "reviewState": None,
            "deviceId": sub["device"],
            "submitter": {"id": 21, "name": sub["submitter"]},
            "edits": 0,
            "formVersion": version,
            "xml": instance_xml(sub, root="data", form_id=FORM_ID, version=version),
        }
        for sub in subs
    ]


if __name__ == "__main__":
    # python course_submissions.py VERSION [bad]: the records for make_odk.js, as JSON.
    chosen = BAD if sys.argv[2:] == ["bad"] else SUBMISSIONS
    json.dump(odk_records(sys.argv[1], chosen), sys.stdout, ensure_ascii=False)
