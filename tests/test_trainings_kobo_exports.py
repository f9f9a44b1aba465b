"""A course's pre/post test, as KoboToolbox and ODK Central really export its submissions,
imports as scored tests linked to the trainees' keys — by the command and by the upload
page of the session.

The files in tests/data/exports/course/ were made by the servers' own export code
(formpack with KPI's export options; ODK Central's briefcase.js and zip.js) from five
submissions of `musow xlsform --course genre-maintien-paix-induction` (see
course/course_submissions.py and ../README.md)."""

import html
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from musow.audit.models import Entry
from musow.trainings.demo import INDUCTION, demo_courses
from musow.trainings.models import TestResult, Trainee
from tests.trainings_helpers import make_session, trainee

pytestmark = pytest.mark.django_db

EXPORTS = Path(__file__).parent / "data" / "exports" / "course"
CODES = {"IND-0001": "f", "IND-0002": "m", "IND-0003": "f"}
# course_submissions.py: answers scored against the bank's key (a, b, b, b).
SCORES = {
    "IND-0001": {"pre": 50, "post": 100},
    "IND-0002": {"pre": 25, "post": 75},
    "IND-0003": {"pre": 75},  # missed the post-test: no data, not 0
}
EXPORTED = [
    "kobo-course-labels-fr.xlsx",
    "kobo-course-labels-en.xlsx",
    "kobo-course-xml.xlsx",
    "kobo-course-labels-fr.csv",
    "kobo-course-xml.csv",
    "odk-course.csv.zip",
    "odk-course.csv",
]
BAD = ["kobo-course-bad-labels-fr.xlsx", "odk-course-bad.csv.zip"]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def session():
    induction, _fds = demo_courses()
    assert induction.code == INDUCTION
    return make_session(induction, CODES)


def _import(path: Path, session, **options) -> str:
    out = StringIO()
    call_command(
        "scores",
        "import",
        str(path),
        activity=session.activity.pk,
        lang="en",
        stdout=out,
        **options,
    )
    return out.getvalue()


def _scores() -> dict[str, dict[str, int]]:
    keys = {trainee(code).key: code for code in CODES}
    out: dict[str, dict[str, int]] = {}
    results = TestResult.objects.filter(trainee__attendee__key__in=keys)
    for result in results.select_related("trainee__attendee"):
        out.setdefault(keys[result.trainee.attendee.key], {})[result.kind] = int(result.score)
    return out


@pytest.mark.parametrize("name", EXPORTED)
def test_an_export_of_the_course_form_imports_as_scored_tests(name, session):
    output = _import(EXPORTS / name, session)
    assert "3 created" in output, output
    assert _scores() == SCORES
    answers = TestResult.objects.get(
        trainee__attendee__key=trainee("IND-0001").key, kind="post"
    ).answers
    assert answers == {"r1325": "a", "ead": "b", "vslc": "b", "genre": "b"}
    assert "3 unchanged" in _import(EXPORTS / name, session)


def test_an_export_keeps_the_facts_a_score_sheet_gave(session):
    from musow.trainings.services import trainees_save

    trainees_save(
        session=session, trainees=[trainee("IND-0001", component="police", completed=True)]
    )
    _import(EXPORTS / "odk-course.csv.zip", session)
    first = Trainee.objects.get(attendee__key=trainee("IND-0001").key)
    assert (first.component, first.completed) == ("police", True)
    assert _scores() == SCORES


@pytest.mark.parametrize("name", BAD)
def test_a_bad_export_writes_nothing_and_names_each_problem(name, session):
    entries = Entry.objects.count()
    with pytest.raises(CommandError) as error:
        _import(EXPORTS / name, session)
    text = str(error.value)
    assert "Nothing was written" in text
    assert text.count("need a trainee") == 1, text  # the post-test without a participant
    assert text.count("“d” is not one of its choices") == 1, text
    assert not Trainee.objects.filter(session=session).exists()
    assert Entry.objects.count() == entries


# The web: the session's "Import scores" page (the same import, a report in the page).


@pytest.fixture
def officer(settings):
    from musow.accounts.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_user("officer", password="x" * 12, role=User.Role.OFFICER)


def _upload(client, session, path: Path, dry_run: bool = False, lang: str = "en"):
    from django.urls import reverse

    with translation.override(lang):
        target = reverse("web:training-scores", args=[session.activity_id])
    with open(path, "rb") as fh:
        data = {"file": fh, **({"dry_run": "on"} if dry_run else {})}
        return client.post(target, data)


@pytest.mark.parametrize("name", ["kobo-course-labels-fr.xlsx", "odk-course.csv.zip"])
def test_the_session_page_imports_an_export(name, session, officer, client):
    client.force_login(officer)
    checked = _upload(client, session, EXPORTS / name, dry_run=True)
    assert checked.status_code == 200 and not Trainee.objects.filter(session=session).exists()
    response = _upload(client, session, EXPORTS / name)
    assert response.status_code == 200
    assert "3 created" in response.content.decode()
    assert _scores() == SCORES
    page = client.get(f"/en/trainings/{session.activity_id}/").content.decode()
    assert f"/en/trainings/{session.activity_id}/scores/" in page


def test_the_page_lists_each_problem_of_a_bad_export_and_writes_nothing(session, officer, client):
    client.force_login(officer)
    response = _upload(client, session, EXPORTS / "kobo-course-bad-labels-fr.xlsx", lang="fr")
    text = html.unescape(response.content.decode())
    assert "Rien n'a été enregistré" in text
    assert text.count("un code participant") == 1
    assert text.count("« d »") == 1
    assert not Trainee.objects.filter(session=session).exists()


def test_a_score_sheet_with_a_score_outside_0_100_is_refused_in_the_page(
    session, officer, client, tmp_path
):
    from musow.trainings.scoresheet import write_csv

    out = StringIO()
    write_csv(out, lang="en")
    path = tmp_path / "scores.csv"
    path.write_text(out.getvalue() + "IND-0001,police,,,,40,185,yes,,,\r\n")
    client.force_login(officer)
    text = _upload(client, session, path).content.decode()
    assert "outside 0–100" in text
    assert not Trainee.objects.filter(session=session).exists()
