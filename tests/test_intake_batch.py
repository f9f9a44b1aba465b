"""The batch write path (`activity_upsert_batch`, used by imports) gives exactly what
`activity_upsert` gives row by row: same activities, rows, attendees and audit entries."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.db.models import DateTimeField
from django.utils import translation

from musow.activities.models import Activity, Attendance, Attendee, MediaReach, Participation
from musow.activities.records import activity_input_from_record
from musow.activities.services import (
    BatchInvalid,
    BatchItem,
    activity_input_from,
    activity_upsert,
    activity_upsert_batch,
)
from musow.audit.models import Entry
from musow.demo import data2014
from musow.demo.load import demo_load
from tests.factories import record

pytestmark = pytest.mark.django_db


def stored(obj, *, skip: tuple[str, ...] = ()) -> dict:
    """Every stored field of a row, from its model (a field added later is compared too);
    times as whether they are set, links to activities and attendees by their keys."""
    out = {}
    for f in type(obj)._meta.concrete_fields:
        if f.primary_key or f.name in skip:
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, DateTimeField):
            value = value is not None
        elif f.name == "attendee":
            value = obj.attendee.key
        out[f.name] = value
    return out


def snapshot() -> dict:
    """Everything the write path stores, without ids and timestamps."""
    state = {}
    for a in Activity.objects.all():
        entries = Entry.objects.for_target(a).order_by("id")
        state[(a.source, a.source_key)] = {
            "activity": stored(a),
            **{
                f.name: sorted(getattr(a, f.name).values_list("code", flat=True))
                for f in Activity._meta.many_to_many
            },
            **{
                model.__name__: sorted(
                    tuple(stored(row, skip=("activity",)).items())
                    for row in model.objects.filter(activity=a)
                )
                for model in (Participation, MediaReach, Attendance)
            },
            "audit": [stored(e, skip=("target_id",)) for e in entries],
        }
    state["attendees"] = sorted(tuple(stored(a).items()) for a in Attendee.objects.all())
    return state


def clear() -> None:
    Activity.objects.all().delete()
    Attendee.objects.all().delete()
    Entry.objects.all().delete()


def inputs(records) -> list:
    found = [activity_input_from_record(r, source=data2014.SOURCE) for r in records]
    # One returned to its author, with the comment the author reads.
    found[5] = dataclasses.replace(found[5], status="returned", review_comment="Les dates ?")
    return found


def test_a_batch_writes_what_upserting_row_by_row_writes(django_user_model):
    user = django_user_model.objects.create(username="unit", role="admin")
    demo_load()  # organisations, campaigns, projects, and the activities row by row
    clear()
    records = list(data2014.records())
    for data in inputs(records):
        activity_upsert(data=data, user=user, origin="file.xlsx, row 1")
    one_by_one = snapshot()
    clear()
    outcomes = activity_upsert_batch(
        items=[BatchItem(data, "file.xlsx, row 1") for data in inputs(records)], user=user
    )
    assert outcomes == ["created"] * len(records)
    assert snapshot() == one_by_one
    # Nothing the input says is lost by either path (a field neither copies would be).
    for data in inputs(records):
        activity = Activity.objects.get(source=data.source, source_key=data.source_key)
        assert activity_input_from(activity).fingerprint() == data.fingerprint()
    assert Activity.objects.filter(status="returned", review_comment="Les dates ?").count() == 1

    # Again, with one record changed: one update, the rest unchanged, in both ways.
    changed = [dict(r) for r in records]
    changed[3] = {**changed[3], "title": "Un autre titre"}
    batch_outcomes = activity_upsert_batch(
        items=[BatchItem(data, "file.xlsx, row 1") for data in inputs(changed)], user=user
    )
    batched = snapshot()
    clear()
    for data in inputs(records):
        activity_upsert(data=data, user=user, origin="file.xlsx, row 1")
    row_outcomes = [
        activity_upsert(data=data, user=user, origin="file.xlsx, row 1")[1]
        for data in inputs(changed)
    ]
    assert batch_outcomes == row_outcomes
    assert (
        row_outcomes.count("updated") == 1 and row_outcomes.count("unchanged") == len(records) - 1
    )
    assert snapshot() == batched


def test_a_batch_with_one_invalid_item_writes_nothing_and_names_every_refused_item():
    good = activity_input_from_record(record(key="a"), source="t")
    negative = activity_input_from_record(record(key="b"), source="t")
    negative.participation = [dataclasses.replace(negative.participation[0], count=-1)]
    duplicate = activity_input_from_record(record(key="a"), source="t")
    long_title = activity_input_from_record(record(key="c", title="x" * 301), source="t")
    audit = Entry.objects.count()
    with pytest.raises(BatchInvalid) as exc, translation.override("en"):
        activity_upsert_batch(items=[BatchItem(d) for d in (good, negative, duplicate, long_title)])
    assert sorted(exc.value.errors) == [1, 2, 3]
    assert all(isinstance(e, ValidationError) for e in exc.value.errors.values())
    assert "At most 300 characters" in str(exc.value.errors[3])
    assert Activity.objects.count() == 0 and Entry.objects.count() == audit


def test_a_batch_refuses_to_change_a_deleted_activity():
    from musow.activities.services import activity_delete, activity_save

    activity = activity_save(data=activity_input_from_record(record(key="a"), source="t"))
    activity_delete(activity=activity)
    changed = activity_input_from_record(record(key="a", title="Nouveau"), source="t")
    with pytest.raises(BatchInvalid):
        activity_upsert_batch(items=[BatchItem(changed)])
    assert Activity.objects.get().title != "Nouveau"
