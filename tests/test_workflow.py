"""The activity workflow through the one write path: versions, validation, return, reversible
delete, and the audit trail each of them leaves."""

import pytest
from django.core.exceptions import ValidationError

from musow.activities.models import Activity
from musow.activities.records import activity_input_from_record
from musow.activities.services import (
    activity_delete,
    activity_restore,
    activity_return,
    activity_save,
    activity_submit,
    activity_validate,
)
from musow.audit.models import Entry
from musow.indicators.engine import compute, get_indicator
from musow.indicators.periods import Period
from tests.factories import make_activity, record

pytestmark = pytest.mark.django_db


def participants_2014(provisional: bool = False) -> int:
    result = compute(
        get_indicator("participants-all"), Period.parse("2014"), by=(), provisional=provisional
    )
    return int(result.total or 0)


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", role="officer")


@pytest.fixture
def author(django_user_model):
    return django_user_model.objects.create_user("author", role="focal_point")


def edit(activity: Activity, **overrides) -> object:
    return activity_input_from_record(record(**overrides), source="test")


def test_each_save_adds_a_version_and_an_audit_entry_with_old_and_new_values(author):
    activity = make_activity(status="draft")
    assert activity.version == 1
    activity_save(
        data=edit(activity, status="draft", title="Nouveau titre"),
        activity=activity,
        user=author,
        expected_version=1,
    )
    activity.refresh_from_db()
    assert activity.version == 2
    entry = Entry.objects.for_target(activity).first()
    assert entry.action == "update" and entry.actor == author
    assert entry.changes["title"] == ["Conférence sur les VBG", "Nouveau titre"]
    assert "start_date" not in entry.changes


def test_a_save_made_from_an_older_version_is_refused_and_writes_nothing(author):
    activity = make_activity(status="draft")
    activity_save(
        data=edit(activity, status="draft", title="Premier"), activity=activity, expected_version=1
    )
    stale = Activity.objects.get(pk=activity.pk)
    with pytest.raises(ValidationError) as refused:
        activity_save(
            data=edit(activity, status="draft", title="Second"),
            activity=stale,
            user=author,
            expected_version=1,
        )
    assert refused.value.code == "stale"
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Premier", 2)


def test_a_changed_participation_cell_is_in_the_audit_trail():
    activity = make_activity(status="draft")
    rows = record()["participation"]
    rows[0] = {**rows[0], "count": 31}
    activity_save(data=edit(activity, status="draft", participation=rows), activity=activity)
    entry = Entry.objects.for_target(activity).first()
    assert entry.changes == {"participation general-public f 18-plus": [30, 31]}


def test_only_validated_activities_count_and_a_return_says_why(author, officer):
    activity = make_activity(status="draft")
    assert participants_2014() == 0
    assert participants_2014(provisional=True) == 50
    activity_submit(activity=activity, user=author)
    with pytest.raises(ValidationError):
        activity_return(activity=activity, user=officer, comment="  ")
    activity_return(activity=activity, user=officer, comment="Ajoutez les jeunes filles.")
    activity.refresh_from_db()
    assert activity.status == "returned" and activity.review_comment == "Ajoutez les jeunes filles."
    assert participants_2014(provisional=True) == 50
    activity_submit(activity=activity, user=author)
    activity_validate(activity=activity, user=officer)
    assert participants_2014() == 50
    actions = list(Entry.objects.for_target(activity).values_list("action", flat=True))
    assert actions == ["validate", "submit", "return", "submit", "create"]


def test_a_draft_cannot_be_validated_directly(officer):
    activity = make_activity(status="draft")
    with pytest.raises(ValidationError):
        activity_validate(activity=activity, user=officer)
    assert Activity.objects.get(pk=activity.pk).status == "draft"


def test_a_deleted_activity_leaves_the_figures_and_comes_back_as_it_was(officer):
    activity = make_activity(status="validated")
    assert participants_2014() == 50
    activity_delete(activity=activity, user=officer, comment="doublon")
    assert participants_2014() == 0 and participants_2014(provisional=True) == 0
    with pytest.raises(ValidationError) as refused:
        activity_save(data=edit(activity), activity=Activity.objects.get(pk=activity.pk))
    assert refused.value.code == "deleted"
    with pytest.raises(ValidationError):
        activity_delete(activity=Activity.objects.get(pk=activity.pk), user=officer)
    activity_restore(activity=Activity.objects.get(pk=activity.pk), user=officer)
    restored = Activity.objects.get(pk=activity.pk)
    assert restored.status == "validated" and restored.deleted_at is None
    assert participants_2014() == 50
    assert Entry.objects.for_target(activity).filter(action="delete", comment="doublon").exists()


def test_the_database_refuses_a_deleted_status_without_a_date():
    from django.db import IntegrityError, transaction

    activity = make_activity()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(status="deleted")
