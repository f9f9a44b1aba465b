"""The import report: problems capped per sheet and counted per sheet and per kind, the
main sheet first; a problem of an attendance list is reported on its own rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from musow.activities.models import Activity
from musow.intake.report import MAX_PROBLEMS_PER_SHEET
from tests import web_fixtures
from tests.intake_helpers import EN_HEADER, row, run_import, write_xlsx
from tests.web_fixtures import url

pytestmark = pytest.mark.django_db

world = web_fixtures.world

PARTICIPATION = ["ID", "Audience", "Sex", "Age group", "Number of participants"]


def long_file(tmp_path):
    """579 bad participation rows (read first) and 3 bad activities."""
    activities = [row(f"A-{i}", f="", m="", audience="") for i in range(3)]
    activities[0][2] = ""  # no title
    activities[1][3] = "31/02/2014"
    activities[2][5] = "Atlantis"
    participation = [[f"A-{i % 3}", "nobody", "f", "18-plus", 1] for i in range(579)]
    return write_xlsx(
        tmp_path / "long.xlsx",
        {"Activités": [EN_HEADER, *activities], "Participation": [PARTICIPATION, *participation]},
    )


def test_the_main_sheets_problems_come_first_and_each_sheet_is_counted(tmp_path):
    ok, message = run_import(long_file(tmp_path))
    assert not ok
    lines = message.splitlines()
    assert "582 problem(s)" in lines[0]
    assert lines[1] == "Activités: 3 problems."
    assert "The title is required" in lines[2]
    assert "“31/02/2014”" in lines[3] and "“Atlantis”" in lines[4]
    assert lines[5] == ("Participation: 579 problems (Audience · Unknown audience: 579).")
    assert len([line for line in lines if "Sheet Participation" in line]) == MAX_PROBLEMS_PER_SHEET
    assert lines[-1] == f"… and {579 - MAX_PROBLEMS_PER_SHEET} more problems on this sheet."


def test_the_page_shows_the_main_sheet_first_with_the_counts(world, tmp_path):
    path = long_file(tmp_path)
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    page = world.client("admin").post(url("intake:home", lang="en"), data).content.decode()
    assert page.index("Activités: 3 problems.") < page.index("Participation: 579 problems")
    assert "<td>Atlantis</td><td>Unknown place name.</td>" in page
    assert "Audience · Unknown audience: 579" in page
    assert f"… and {579 - MAX_PROBLEMS_PER_SHEET} more problems on this sheet." in page


def test_a_person_twice_on_an_attendance_list_is_reported_on_the_attendance_rows(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activités": [EN_HEADER, row("A-1")],
            "Présence": [
                ["ID", "Participant code", "Sex"],
                ["A-1", "ETU-1", "f"],
                ["A-1", "ETU-2", "f"],
                ["A-1", "etu-1", "f"],  # the same code, in another case
            ],
        },
    )
    ok, message = run_import(path)
    assert not ok
    assert "Sheet Présence, row 4: The same person appears more than once" in message
    assert "Sheet Activités" not in message
    assert Activity.objects.count() == 0


def test_a_list_longer_than_the_participants_is_reported_on_its_first_row(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activités": [EN_HEADER, row("A-1", f=1, m=0)],
            "Présence": [["ID", "Participant code"], ["A-1", "ETU-1"], ["A-1", "ETU-2"]],
        },
    )
    ok, message = run_import(path)
    assert not ok
    assert "Sheet Présence, row 2: The attendance list has 2 persons but only 1" in message
