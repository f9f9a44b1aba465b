"""One length limit per text field (activities.models.ACTIVITY_TEXT_MAX, MEDIA_TEXT_MAX),
refused with a message at every door — web form, import, admin, the return comment —
and by the database itself; an export never cuts a text."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DataError, IntegrityError, transaction

from musow.activities.models import ACTIVITY_TEXT_MAX, MEDIA_TEXT_MAX, Activity, MediaReach
from tests import web_fixtures
from tests.factories import make_activity
from tests.intake_helpers import EN_HEADER, row, run_import, write_xlsx
from tests.test_admin import ROWS, activity_form, admin_url
from tests.test_web_activities import form_data
from tests.web_fixtures import url

pytestmark = pytest.mark.django_db

world = web_fixtures.world
LIMIT = ACTIVITY_TEXT_MAX["description"]


def test_the_web_form_refuses_a_two_million_character_description(world):
    before = Activity.objects.count()
    response = world.client("focal_point").post(
        url("web:activity-new", lang="en"), form_data(description="x" * 2_000_000)
    )
    assert response.status_code == 200
    assert f"Ensure this value has at most {LIMIT} characters" in response.content.decode()
    assert Activity.objects.count() == before


def test_an_import_refuses_a_description_over_the_limit_with_its_length(tmp_path):
    header = [*EN_HEADER, "Description"]
    path = write_xlsx(tmp_path / "a.xlsx", {"Activities": [header, row() + ["x" * (LIMIT + 1)]]})
    ok, message = run_import(path)
    assert not ok
    assert f"At most {LIMIT} characters (this one has {LIMIT + 1})" in message
    assert Activity.objects.count() == 0


def test_an_import_refuses_an_estimation_method_over_the_limit(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activities": [EN_HEADER, row("R-1")],
            "Media": [
                ["ID", "Medium", "Estimated audience", "Estimation method"],
                ["R-1", "radio", 1000, "y" * (MEDIA_TEXT_MAX["method"] + 1)],
            ],
        },
    )
    ok, message = run_import(path)
    assert not ok and "Sheet Media, row 2" in message
    assert f"At most {MEDIA_TEXT_MAX['method']} characters" in message


def test_the_admin_refuses_a_description_over_the_limit(admin_client):
    data = activity_form(ROWS, description="x" * (LIMIT + 1))
    response = admin_client.post(admin_url("en", Activity, "add"), data)
    assert response.status_code == 200
    assert f"at most {LIMIT} characters" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_return_comment_over_the_limit_is_a_message_not_an_error_page(world):
    officer = world.client("officer")
    limit = ACTIVITY_TEXT_MAX["review_comment"]
    world.client("admin").post(url("web:activity-submit", world.inside.pk))
    response = officer.post(
        url("web:activity-return", world.inside.pk, lang="en"),
        {"comment": "z" * (limit + 1)},
        follow=True,
    )
    assert response.status_code == 200
    assert f"At most {limit} characters" in response.content.decode()
    world.inside.refresh_from_db()
    assert world.inside.status == "submitted"


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (Activity, "title", ACTIVITY_TEXT_MAX["title"]),
        (Activity, "description", ACTIVITY_TEXT_MAX["description"]),
        (Activity, "review_comment", ACTIVITY_TEXT_MAX["review_comment"]),
        (Activity, "source_key", ACTIVITY_TEXT_MAX["source_key"]),
        (MediaReach, "method", MEDIA_TEXT_MAX["method"]),
        (MediaReach, "outlet", MEDIA_TEXT_MAX["outlet"]),
    ],
)
def test_the_database_refuses_a_text_over_its_limit(model, field, limit):
    activity = make_activity(key="a")
    if model is MediaReach:
        MediaReach.objects.create(activity=activity, medium="radio", estimated_audience=1)
        rows = MediaReach.objects.filter(activity=activity)
    else:
        rows = Activity.objects.filter(pk=activity.pk)
    rows.update(**{field: "é" * limit})  # characters, not bytes
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        rows.update(**{field: "é" * (limit + 1)})


def test_an_export_keeps_the_longest_description_whole(tmp_path):
    from openpyxl import load_workbook

    text = "=" + "é" * (LIMIT - 1)  # neutralised with an apostrophe: still within a cell
    make_activity(key="long", description=text)
    call_command("export", "--out", str(tmp_path / "x.xlsx"), stdout=StringIO())
    sheet = load_workbook(tmp_path / "x.xlsx", read_only=True)["Activités"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    cells = list(sheet.iter_rows(min_row=3, max_row=3, values_only=True))[0]
    assert cells[header.index("Description")] == "'" + text
    Activity.objects.all().delete()
    assert run_import(tmp_path / "x.xlsx")[0]
    assert Activity.objects.get().description == text
