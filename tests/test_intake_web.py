"""The import page: templates to download, an upload form with a dry-run box, the
validation report in the page, in French and English; roles and scopes apply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from musow.activities.models import Activity
from tests import web_fixtures
from tests.intake_helpers import row, write_csv
from tests.web_fixtures import World, url

world = web_fixtures.world

pytestmark = pytest.mark.django_db


def upload(world: World, role: str, path, dry_run: bool, lang: str = "fr"):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    if dry_run:
        data["dry_run"] = "on"
    return world.client(role).post(url("intake:home", lang=lang), data)


def test_the_page_offers_templates_the_xlsform_and_an_upload_form(world):
    response = world.client("focal_point").get(url("intake:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert url("intake:template", "xlsx") in page and url("intake:xlsform") in page
    assert 'type="file"' in page and 'name="dry_run"' in page
    english = world.client("admin").get(url("intake:home", lang="en")).content.decode()
    assert "Upload a file" in english


def test_a_dry_run_reports_in_the_page_and_writes_nothing(world, tmp_path):
    before = Activity.objects.count()
    path = write_csv(tmp_path / "gao.csv", [row("G-1", status="")])
    response = upload(world, "admin", path, dry_run=True, lang="en")
    assert response.status_code == 200
    assert "Dry run, nothing written" in response.content.decode()
    assert Activity.objects.count() == before
    response = upload(world, "admin", path, dry_run=False, lang="en")
    assert "1 created" in response.content.decode()
    assert Activity.objects.count() == before + 1


def test_every_problem_is_shown_with_its_row_and_column(world, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [row("B-1", f=-2), row("B-2", region="Atlantis")])
    page = upload(world, "admin", path, dry_run=False, lang="en").content.decode()
    assert "Nothing was written" in page
    assert "<td>3</td><td>Femmes (18 ans et plus)</td><td>-2</td>" in page
    assert "<td>Atlantis</td><td>Unknown place name.</td>" in page


def test_a_focal_point_uploading_another_region_is_refused_in_the_page(world, tmp_path):
    before = Activity.objects.count()
    path = write_csv(tmp_path / "mopti.csv", [row("M-1", region="Mopti", status="")])
    page = upload(world, "focal_point", path, dry_run=False, lang="en").content.decode()
    assert "Outside your scope" in page
    assert Activity.objects.count() == before


def test_a_file_that_is_not_a_spreadsheet_gets_a_message_not_an_error_page(world, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    response = upload(world, "admin", path, dry_run=True, lang="en")
    assert response.status_code == 200
    assert "is not a spreadsheet" in response.content.decode()


def test_templates_and_the_xlsform_download(world):
    client = world.client("partner")
    xlsx = client.get(url("intake:template", "xlsx") + "?lang=en")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    body = b"".join(xlsx.streaming_content)
    assert body.startswith(b"PK")
    csv = client.get(url("intake:template", "csv") + "?lang=en")
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeffID,Source,Activity type") and "#activity+id" in text
    form = client.get(url("intake:xlsform"))
    assert b"".join(form.streaming_content).startswith(b"PK")


def test_the_export_holds_only_what_the_user_may_see(world, tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook

    response = world.client("focal_point").get(url("intake:export") + "?lang=en")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content))["Activities"]
    ids = [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert ids == ["inside"]


def test_viewers_and_strangers_are_kept_out(world):
    assert world.client("viewer").get(url("intake:home")).status_code == 403
    assert world.client("viewer").get(url("intake:export")).status_code == 403
    response = world.client("anonymous").get(url("intake:home"))
    assert response.status_code == 302 and response["Location"].startswith(url("web:login"))


def test_a_file_too_large_for_the_page_is_sent_to_the_command_line(world, tmp_path, monkeypatch):
    monkeypatch.setattr("musow.intake.views.MAX_WEB_ROWS", 2)
    before = Activity.objects.count()
    path = write_csv(tmp_path / "big.csv", [row(f"B-{i}", status="") for i in range(5)])
    page = upload(world, "admin", path, dry_run=False, lang="en").content.decode()
    assert "the web page imports up to 2 rows at a time" in page
    assert Activity.objects.count() == before
