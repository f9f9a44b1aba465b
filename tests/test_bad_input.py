"""Bad input is refused with a message naming the field, at the model, the write path and the
database alike, and nothing is written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from musow.activities.models import Activity, ActivityType, AgeGroup, Audience, Participation
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_save
from musow.geo.models import Place
from tests.factories import make_activity, record

pytestmark = pytest.mark.django_db


def errors_of(lang: str = "en", **overrides) -> dict[str, list[str]]:
    with translation.override(lang), pytest.raises(ValidationError) as exc:
        activity_save(data=activity_input_from_record(record(**overrides), source="test"))
    return exc.value.message_dict


def cell(count, sex="f", audience="general-public", age="18-plus"):
    return {"audience": audience, "sex": sex, "age": age, "count": count}


def test_a_negative_count_is_refused_naming_the_row():
    errors = errors_of(participation=[cell(10), cell(-3, sex="m")])
    assert "participation[2].count" in errors
    assert "-3" in errors["participation[2].count"][0]
    assert Activity.objects.count() == 0


def test_an_end_before_the_start_is_refused():
    errors = errors_of(start="2014-11-26", end="2014-11-20")
    assert errors["end_date"] == ["The end date cannot be before the start date."]
    assert Activity.objects.count() == 0


def test_an_unknown_place_code_is_refused():
    errors = errors_of(place="ML99")
    assert errors["place"] == ["Unknown place code “ML99”."]


def test_a_breakdown_that_does_not_add_up_to_the_total_is_refused():
    errors = errors_of(total=60, participation=[cell(30), cell(20, sex="m")])
    assert "50" in errors["participants_total"][0] and "60" in errors["participants_total"][0]
    assert Activity.objects.count() == 0


def test_a_total_that_adds_up_is_accepted():
    activity = make_activity(total=50)
    assert sum(activity.participation.values_list("count", flat=True)) == 50


def test_the_same_cell_twice_is_refused():
    errors = errors_of(participation=[cell(10), cell(5)])
    assert "participation" in errors


def test_every_problem_is_reported_at_once():
    errors = errors_of(type="dance", place="ML99", start="2014-13-45", themes=["nope"])
    assert {"type", "place", "start", "themes"} <= set(errors)


def test_messages_follow_the_active_language():
    errors = errors_of("fr", start="2014-11-26", end="2014-11-20")
    assert errors["end_date"] == ["La date de fin ne peut pas précéder la date de début."]
    errors = errors_of("fr", place="ML99", participation=[cell(-2)])
    assert errors["place"] == ["Code de lieu inconnu « ML99 »."]


def test_an_activity_outside_its_campaign_window_is_refused():
    from musow.activities.models import Campaign, CampaignSeries

    Campaign.objects.create(
        code="16-days-2014",
        series=CampaignSeries.objects.get(code="16-days"),
        name_fr="16 jours 2014",
        name_en="16 Days 2014",
        start_date=date(2014, 11, 25),
        end_date=date(2014, 12, 10),
    )
    errors = errors_of(campaign="16-days-2014", start="2014-03-08", end="2014-03-08")
    assert "campaign" in errors


def test_a_failed_update_leaves_the_previous_version_intact():
    activity = make_activity()
    bad = activity_input_from_record(record(participation=[cell(-1)]), source="test")
    with pytest.raises(ValidationError):
        activity_save(data=bad, activity=activity)
    assert sum(activity.participation.values_list("count", flat=True)) == 50


# --- the database enforces the invariants whatever door is used -------------------------


def test_the_model_names_the_field_of_an_end_before_a_start():
    activity = Activity(
        activity_type=ActivityType.objects.get(code="conference"),
        title="x",
        start_date=date(2014, 5, 2),
        end_date=date(2014, 5, 1),
        place=Place.objects.get(pcode="ML09"),
    )
    with pytest.raises(ValidationError) as exc:
        activity.full_clean()
    assert "end_date" in exc.value.message_dict


def test_the_database_refuses_an_end_before_a_start():
    activity = make_activity()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(end_date=date(2000, 1, 1))


def test_the_database_refuses_a_negative_count():
    activity = make_activity()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(activity=activity).update(count=-1)


def test_the_database_refuses_two_rows_for_the_same_cell():
    activity = make_activity()
    row = activity.participation.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            activity=activity,
            audience=row.audience,
            sex=row.sex,
            age_group=row.age_group,
            count=1,
        )


def test_the_database_refuses_an_unknown_sex_or_status():
    activity = make_activity()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            activity=activity,
            audience=Audience.objects.get(code="students"),
            sex="x",
            age_group=AgeGroup.objects.get(code="18-plus"),
            count=1,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(status="published")


def test_a_place_must_hang_under_a_place_one_level_up_in_its_gazetteer():
    gao = Place.objects.get(pcode="ML07")
    commune = Place(
        gazetteer=gao.gazetteer, pcode="ML070101", level=3, parent=gao, name_fr="X", name_en="X"
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        commune.full_clean()
    assert "parent" in exc.value.message_dict


def test_a_nul_character_is_refused_not_a_database_error():
    errors = errors_of(title="Conf\x00érence", type="con\x00ference")
    assert "type" in errors
    errors = errors_of(title="Conf\x00érence")
    assert errors["title"] == ["The text contains a NUL character, which cannot be stored."]
