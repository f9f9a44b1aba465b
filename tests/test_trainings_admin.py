"""The unit admin keeps courses and their question banks in the back office; every write
goes through `trainings.services` (checked there, one message per problem, audited),
as activities' admin writes through `activity_save`."""

import pytest
from django.utils import translation

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.trainings.models import Course, Question
from tests.trainings_helpers import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.create_user(
        "unit-admin", password="x" * 12, role=User.Role.ADMIN, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def _data(**overrides):
    data = {
        "code": "ssr-fds",
        "title_fr": "Genre et RSS",
        "title_en": "Gender and SSR",
        "audience_fr": "",
        "audience_en": "",
        "duration_hours": "24",
        "version": "2014",
        "pass_mark": "60",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-order": "1",
        "questions-0-code": "r1325",
        "questions-0-text_fr": "Quelle résolution ?",
        "questions-0-text_en": "Which resolution?",
        "questions-0-choices_lines": "a | 1325 (2000) | 1325 (2000)\nb | 2100 (2013) | 2100 (2013)",
        "questions-0-answer": "a",
    }
    data.update(overrides)
    return data


def _errors(response) -> str:
    return response.content.decode() if response.status_code == 200 else ""


def test_the_admin_adds_a_course_and_its_question_through_the_services(admin_client):
    with translation.override("en"):
        response = admin_client.post("/en/admin/trainings/course/add/", _data())
    assert response.status_code == 302, _errors(response)[:2000]
    course = Course.objects.get(code="ssr-fds")
    assert (course.pass_mark, course.title_en) == (60, "Gender and SSR")
    question = Question.objects.get(course=course)
    assert question.choices[1] == {"code": "b", "fr": "2100 (2013)", "en": "2100 (2013)"}
    assert Entry.objects.for_target(course).filter(actor__username="unit-admin").exists()
    assert Entry.objects.for_target(question).filter(actor__username="unit-admin").exists()


def test_the_admin_changes_a_course_and_its_bank(admin_client):
    course = make_course("induction", questions=True)
    first = course.questions.get(code="q1")
    data = _data(
        code="induction",
        title_en="Gender and peacekeeping (2015)",
        **{
            "questions-TOTAL_FORMS": "4",
            "questions-INITIAL_FORMS": "4",
        },
    )
    for n, q in enumerate(course.questions.order_by("order", "code")):
        data.update(
            {
                f"questions-{n}-id": str(q.pk),
                f"questions-{n}-course": str(course.pk),
                f"questions-{n}-order": str(q.order),
                f"questions-{n}-code": q.code,
                f"questions-{n}-text_fr": q.text_fr,
                f"questions-{n}-text_en": q.text_en,
                f"questions-{n}-choices_lines": "a | a | a\nb | b | b\nc | c | c",
                f"questions-{n}-answer": q.answer,
            }
        )
    data["questions-0-answer"] = "c"
    response = admin_client.post(f"/en/admin/trainings/course/{course.pk}/change/", data)
    assert response.status_code == 302, _errors(response)[:2000]
    course.refresh_from_db()
    first.refresh_from_db()
    assert course.title_en == "Gender and peacekeeping (2015)"
    assert first.answer == "c"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"questions-0-answer": "z"}, "is not one of the choices"),
        ({"questions-0-choices_lines": "a | seule"}, "at least two choices"),
        ({"pass_mark": "150"}, "100"),
    ],
)
def test_bad_input_writes_nothing_and_says_why(admin_client, overrides, message):
    entries = Entry.objects.count()
    with translation.override("en"):
        response = admin_client.post("/en/admin/trainings/course/add/", _data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Course.objects.filter(code="ssr-fds").exists()
    assert not Question.objects.filter(course__code="ssr-fds").exists()
    assert Entry.objects.count() == entries
