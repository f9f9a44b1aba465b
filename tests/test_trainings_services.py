"""Trainings are written through trainings/services.py: a session is an activity that
names its course (counting as before), its trainees are the list's pseudonymous
attendees, and bad input gets one clear message per problem with nothing written."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from musow.activities.models import Activity, Attendance
from musow.audit.models import Entry
from musow.indicators.engine import compute
from musow.trainings.models import TestResult, Trainee
from musow.trainings.services import question_save, score_record, trainees_save
from tests.trainings_helpers import make_course, make_session, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in English (the French ones are in the .po)."""
    with translation.override("en"):
        yield


CODES = {"P-1": "f", "P-2": "m", "P-3": "f"}


def test_a_session_is_an_activity_that_keeps_counting_as_before():
    activities = Activity.objects.count()
    session = make_session(make_course(), CODES)
    assert Activity.objects.count() == activities + 1
    assert session.activity.training == session
    assert Attendance.objects.filter(activity=session.activity).count() == 3
    assert session.activity.activity_type.code == "training"


def test_it_records_trainees_with_their_tests_and_audits_them():
    session = make_session(make_course(), CODES)
    outcome = trainees_save(
        session=session,
        trainees=[
            trainee("P-1", component="police", category="ipo", country="sn", pre=40, post=85),
            trainee("P-2", component="military", completed=True, reaction=4, post="72,5"),
        ],
    )
    assert (outcome.created, outcome.updated) == (2, 0)
    first = Trainee.objects.get(attendee__key=trainee("P-1").key)
    assert (first.component, first.country) == ("police", "SN")
    assert {t.kind: t.score for t in first.tests.all()} == {"pre": 40, "post": 85}
    assert TestResult.objects.get(trainee__attendee__key=trainee("P-2").key).score == Decimal(
        "72.5"
    )
    assert Entry.objects.filter(target_type="trainings.trainee").count() == 2


def test_the_same_input_again_changes_nothing():
    session = make_session(make_course(), CODES)
    rows = [trainee("P-1", component="police", pre=40, post=85, follow_ups={3: "partly"})]
    trainees_save(session=session, trainees=rows)
    entries = Entry.objects.count()
    outcome = trainees_save(session=session, trainees=rows)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
    assert Entry.objects.count() == entries


def test_answers_are_scored_against_the_course_key():
    session = make_session(make_course(questions=True), CODES)
    trainees_save(
        session=session,
        trainees=[
            trainee(
                "P-1",
                pre_answers={"q1": "a", "q2": "c"},
                post_answers={"q1": "a", "q2": "b", "q3": "c", "q4": "b"},
            )
        ],
    )
    scores = dict(TestResult.objects.values_list("kind", "score"))
    assert scores == {"pre": 25, "post": 75}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (trainee("", post=80), "need a trainee"),
        (trainee("P-1", post=101), "outside 0–100"),
        (trainee("P-1", pre=-1), "outside 0–100"),
        (trainee("P-1", pre="abc"), "not a number"),
        (trainee("NOT-LISTED", post=50), "not on the activity's attendance list"),
        (trainee("P-1", component="navy"), "not a component"),
        (trainee("P-1", country="Senegal"), "not a country code"),
        (trainee("P-1", reaction=9), "from 1 to 5"),
        (trainee("P-1", post_answers={"q1": "z"}), "not one of its choices"),
        (trainee("P-1", follow_ups={6: "yes"}), "3 and 9 months"),
    ],
)
def test_it_refuses_bad_input_with_one_message_and_writes_nothing(row, message):
    session = make_session(make_course(questions=True), CODES)
    good = trainee("P-3", post=90)
    with pytest.raises(ValidationError) as error:
        trainees_save(session=session, trainees=[good, row])
    assert len(error.value.messages) == 1
    assert message in error.value.messages[0]
    assert not Trainee.objects.exists()


def test_it_refuses_a_post_test_without_a_trainee():
    with pytest.raises(ValidationError) as error:
        score_record(trainee=None, kind="post", score=80)
    assert "need a trainee" in error.value.messages[0]
    assert not TestResult.objects.exists()


def test_it_refuses_an_answer_key_that_is_not_a_choice():
    course = make_course()
    with pytest.raises(ValidationError) as error:
        question_save(
            course=course,
            code="q1",
            text_fr="Q",
            text_en="Q",
            choices=[{"code": "a"}, {"code": "b"}],
            answer="d",
        )
    assert "not one of the choices" in error.value.messages[0]
    assert not course.questions.exists()


def test_a_single_test_is_recorded_and_rescored(django_user_model):
    session = make_session(make_course(questions=True), CODES)
    trainees_save(session=session, trainees=[trainee("P-1")])
    one = Trainee.objects.get()
    score_record(trainee=one, kind="post", answers={"q1": "a", "q2": "b", "q3": "c", "q4": "a"})
    assert TestResult.objects.get().score == 100
    with pytest.raises(ValidationError):
        score_record(trainee=one, kind="post", score=150)
    assert TestResult.objects.get().score == 100


def test_trainings_leave_the_register_figures_alone():
    course = make_course()
    session = make_session(course, CODES)
    before = compute("mission-staff-trained-gender", "2014").total
    trainees_save(session=session, trainees=[trainee(c, post=50) for c in CODES])
    assert compute("mission-staff-trained-gender", "2014").total == before
