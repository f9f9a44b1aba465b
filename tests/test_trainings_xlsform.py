"""`musow xlsform --course CODE` writes the course's pre/post test from its question bank
(bilingual); a KoboToolbox export of its submissions imports as scored tests linked to
the trainees' keys, keeping what each trainee already had."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from musow.trainings.models import TestResult, Trainee
from musow.trainings.services import trainees_save
from tests.trainings_helpers import make_course, make_session, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in English (the French ones are in the .po)."""
    with translation.override("en"):
        yield


CODES = {"P-1": "f", "P-2": "m"}
HEADER = ["start", "end", "participant_code", "test", "q_q1", "q_q2", "q_q3", "q_q4", "_uuid"]


def _export(tmp_path, rows, name="kobo.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n, row in enumerate(rows):
        sheet.append(["", "", *row, f"uuid-{n}"])
    path = tmp_path / name
    book.save(path)
    return path


def _import(path, session, **options):
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


def test_the_course_xlsform_is_bilingual_and_converts(tmp_path):
    from pyxform.xls2xform import convert

    make_course(questions=True)
    path = tmp_path / "form.xlsx"
    call_command("xlsform", course="induction", out=str(path), stdout=StringIO())
    book = load_workbook(path)
    survey = [[c.value for c in row] for row in book["survey"].iter_rows()]
    assert survey[0][2:4] == ["label::Français (fr)", "label::English (en)"]
    names = [row[1] for row in survey[1:]]
    assert names == ["start", "end", "participant_code", "test", "q_q1", "q_q2", "q_q3", "q_q4"]
    assert convert(str(path), validate=False).xform


def test_it_refuses_an_unknown_course():
    with pytest.raises(CommandError, match="induction"):
        call_command("xlsform", course="induction", stdout=StringIO())


def test_a_kobo_export_imports_as_scored_tests_keeping_what_was_there(tmp_path):
    session = make_session(make_course(questions=True), CODES)
    trainees_save(session=session, trainees=[trainee("P-1", component="police", completed=True)])
    pre = _export(tmp_path, [["P-1", "pre", "a", "c", "c", "b"]], "pre.xlsx")
    _import(pre, session)
    post = _export(
        tmp_path,
        [["P-1", "Post-test", "a", "b", "c", "a"], ["P-2", "post", "a", "b", "a", "a"]],
        "post.xlsx",
    )
    out = _import(post, session)
    assert "1 created, 1 updated" in out
    first = Trainee.objects.get(attendee__key=trainee("P-1").key)
    assert (first.component, first.completed) == ("police", True)
    assert {t.kind: t.score for t in first.tests.all()} == {"pre": 50, "post": 100}
    assert TestResult.objects.get(trainee__attendee__key=trainee("P-2").key).score == 75
    assert "2 unchanged" in _import(post, session)


def test_an_answer_not_among_the_choices_writes_nothing(tmp_path):
    session = make_session(make_course(questions=True), CODES)
    path = _export(tmp_path, [["P-1", "pre", "a", "b", "c", "a"], ["P-2", "pre", "z", "", "", ""]])
    with pytest.raises(CommandError, match="not one of its choices"):
        _import(path, session)
    assert not Trainee.objects.exists()
