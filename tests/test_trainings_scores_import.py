"""A score sheet (CSV or XLSX, French or English headers, HXL row) is imported into a
training session all or nothing, and importing it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from musow.trainings.models import TestResult, Trainee, TrainingSession
from tests.trainings_helpers import make_course, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in English (the French ones are in the .po)."""
    with translation.override("en"):
        yield


CODES = {"MINUSMA-1": "f", "MINUSMA-2": "m", "MINUSMA-3": "f"}


def _run(*args, **options) -> str:
    out = StringIO()
    call_command("scores", *args, stdout=out, **options)
    return out.getvalue()


def _sheet(tmp_path, lang: str, rows: list[str], name: str = "scores.csv"):
    out = StringIO()
    from musow.trainings.scoresheet import write_csv

    write_csv(out, lang=lang)
    path = tmp_path / name
    sep = ";" if lang == "fr" else ","
    path.write_text(out.getvalue() + "".join(r.replace("|", sep) + "\r\n" for r in rows))
    return path


def test_a_french_score_sheet_is_imported_and_again_changes_nothing(tmp_path):
    session = make_session(make_course(), CODES)
    path = _sheet(
        tmp_path,
        "fr",
        [
            "MINUSMA-1|police|ipo|sn|officer|40|85|oui|4|en partie|",
            "MINUSMA-2|militaire|contingent|BD||55|72,5|non|3||",
        ],
    )
    output = _run("import", str(path), activity=session.activity.pk)
    assert "2 created" in output or "2 créé" in output
    first = Trainee.objects.get(attendee__key__isnull=False, component="police")
    assert (first.category, first.country, first.completed, first.reaction) == (
        "ipo",
        "SN",
        True,
        4,
    )
    assert first.follow_ups.get().applied == "partly"
    assert sorted(TestResult.objects.values_list("score", flat=True)) == [40, 55, 72.5, 85]
    again = _run("import", str(path), activity=session.activity.pk)
    assert "2 unchanged" in again or "2 inchangé" in again


def test_an_english_sheet_links_the_activity_to_its_course(tmp_path):
    course = make_course()
    session = make_session(course, CODES)
    activity = session.activity
    session.delete()
    path = _sheet(tmp_path, "en", ["MINUSMA-3|civilian|staff|||30|90|yes|5|yes|no"], "s.csv")
    _run("import", str(path), activity=activity.pk, course="induction", lang="en")
    assert TrainingSession.objects.get(activity=activity).course == course
    assert Trainee.objects.get().follow_ups.count() == 2


def test_a_sheet_with_problems_writes_nothing_and_lists_each(tmp_path):
    session = make_session(make_course(), CODES)
    path = _sheet(
        tmp_path,
        "en",
        [
            "MINUSMA-1|police||||40|85|yes|||",
            "|police||||40|85||||",  # a post-test without a trainee
            "MINUSMA-2|police||||40|185||||",  # out of range
            "NOBODY|police||||40|85||||",  # not on the list
            "MINUSMA-3|navy||||||||",
        ],
    )
    with pytest.raises(CommandError):
        _run("import", str(path), activity=session.activity.pk, lang="en")
    assert not Trainee.objects.exists()


def test_the_problem_report_names_rows(tmp_path):
    session = make_session(make_course(), CODES)
    path = _sheet(tmp_path, "en", ["|police||||40|85||||", "MINUSMA-2|police||||40|185||||"])
    with pytest.raises(CommandError) as error:
        _run("import", str(path), activity=session.activity.pk, lang="en")
    text = str(error.value)
    assert "Nothing was written" in text
    assert "row 3" in text and "need a trainee" in text
    assert "row 4" in text and "outside 0–100" in text


def test_the_xlsx_template_has_headers_hxl_and_imports(tmp_path):
    session = make_session(make_course(), CODES)
    path = tmp_path / "feuille.xlsx"
    _run("template", format="xlsx", out=str(path), lang="fr")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Code participant"
    assert sheet["A2"].value == "#participant+code"
    sheet.append(["MINUSMA-1", "police", None, None, None, 50, 80, "oui"])
    book.save(path)
    _run("import", str(path), activity=session.activity.pk)
    assert Trainee.objects.get().tests.count() == 2


def test_a_focal_point_cannot_import_into_a_session_outside_their_regions(tmp_path):
    from musow.accounts.models import User
    from musow.geo.models import Place

    session = make_session(make_course(), CODES, place="ML09")
    focal = User.objects.create_user("fp", password="x" * 12, role=User.Role.FOCAL_POINT)
    focal.regions.set([Place.objects.get(pcode="ML07")])
    path = _sheet(tmp_path, "en", ["MINUSMA-1|police||||40|85||||"])
    with pytest.raises(CommandError, match="may record scores"):
        _run("import", str(path), activity=session.activity.pk, user="fp", lang="en")
    assert not Trainee.objects.exists()
