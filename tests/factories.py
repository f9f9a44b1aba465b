"""Small builders for tests: activities go through the same write path as every door."""

from typing import Any

from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_save


def record(**overrides: Any) -> dict[str, Any]:
    """A valid activity record (see activities/records.py); override any field."""
    base: dict[str, Any] = {
        "type": "conference",
        "title": "Conférence sur les VBG",
        "start": "2014-11-26",
        "end": "2014-11-26",
        "place": "ML09",
        "themes": ["gbv"],
        "status": "validated",
        "participation": [
            {"audience": "general-public", "sex": "f", "age": "18-plus", "count": 30},
            {"audience": "general-public", "sex": "m", "age": "18-plus", "count": 20},
        ],
    }
    base.update(overrides)
    return base


def make_activity(source: str = "test", **overrides: Any):
    return activity_save(data=activity_input_from_record(record(**overrides), source=source))
