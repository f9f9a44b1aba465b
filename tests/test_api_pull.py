"""`musow kobo pull` and `musow odk pull` against a local HTTP server answering as
KoboToolbox's v2 API and ODK Central's REST API do (the pages and export of
tests/data/exports/, made by the servers' own code): every page fetched, then one import;
idempotent; a server error mid-pull imports nothing and the next pull resumes; a refused
token says so."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from werkzeug import Request, Response

from musow.activities.models import Activity
from musow.api.models import PullMark
from tests import test_intake_kobo_exports

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("form_lists")]
form_lists = test_intake_kobo_exports.form_lists  # the lists the form was made with

EXPORTS = Path(__file__).parent / "data" / "exports"
ASSET = "aJ7mQk2wXp9sLr4Tn6Vb3c"
DATA = f"/api/v2/assets/{ASSET}/data/"
TOKEN = "0123456789abcdef0123456789abcdef01234567"
ZIP = "/v1/projects/7/forms/musow_activities/submissions.csv.zip"


@pytest.fixture
def kobo(httpserver, settings):
    settings.KOBO_URL = httpserver.url_for("/")
    settings.KOBO_TOKEN = TOKEN
    settings.KOBO_ASSET = ASSET
    return httpserver


@pytest.fixture
def odk(httpserver, settings):
    settings.ODK_URL = httpserver.url_for("/").rstrip("/")
    settings.ODK_PROJECT = "7"
    settings.ODK_FORM = "musow_activities"
    settings.ODK_TOKEN = "session-token-abc"
    return httpserver


def pages(server) -> tuple[dict, dict]:
    """The export's three submissions as two pages: two, then one (Kobo's page shape)."""
    whole = json.loads((EXPORTS / "kobo-api.json").read_text())
    first = json.loads((EXPORTS / "kobo-api-page1.json").read_text())
    first["next"] = server.url_for(DATA) + "?format=json&limit=2&start=2"
    second = {**whole, "previous": server.url_for(DATA), "results": whole["results"][2:]}
    return first, second


def serve_kobo(server, *, second_fails: bool = False) -> None:
    first, second = pages(server)
    auth = {"Authorization": f"Token {TOKEN}"}
    page1 = {"format": "json", "limit": "1000", "start": "0"}
    page2 = {"format": "json", "limit": "2", "start": "2"}
    server.expect_request(DATA, query_string=page1, headers=auth).respond_with_json(first)
    if second_fails:
        server.expect_oneshot_request(DATA, query_string=page2).respond_with_data(
            "<h1>Server Error (500)</h1>", status=500
        )
    server.expect_request(DATA, query_string=page2, headers=auth).respond_with_json(second)


def pull(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command(*args, "--lang", "en", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_a_kobo_pull_fetches_every_page_and_imports_each_submission_once(kobo):
    serve_kobo(kobo)
    out = pull("kobo", "pull")
    assert "3 created" in out and "page 2: 3 of 3 submissions" in out, out
    assert Activity.objects.count() == 3
    again = pull("kobo", "pull")
    assert "0 created, 0 updated, 3 unchanged" in again, again
    assert Activity.objects.count() == 3
    mark = PullMark.objects.get(server="kobo", form=ASSET)
    assert mark.submissions == 3


def test_a_dry_run_pull_writes_nothing(kobo):
    serve_kobo(kobo)
    out = pull("kobo", "pull", "--dry-run")
    assert "would create 3" in out, out
    assert not Activity.objects.exists() and not PullMark.objects.exists()


def test_a_server_error_mid_pull_imports_nothing_and_the_next_pull_resumes(kobo):
    serve_kobo(kobo, second_fails=True)
    with pytest.raises(CommandError) as error:
        pull("kobo", "pull")
    assert "HTTP 500" in str(error.value) and "Nothing was imported" in str(error.value)
    assert not Activity.objects.exists()  # the first page was not imported on its own
    out = pull("kobo", "pull")
    assert "3 created" in out and Activity.objects.count() == 3


def test_a_refused_kobo_token_says_it_is_wrong_or_expired(kobo):
    kobo.expect_request(DATA).respond_with_json({"detail": "Invalid token."}, status=401)
    with pytest.raises(CommandError) as error:
        pull("kobo", "pull")
    assert "refused the token (HTTP 401): it is wrong, expired" in str(error.value)
    assert not Activity.objects.exists()


def test_a_next_page_on_another_server_is_not_followed(kobo):
    first, _second = pages(kobo)
    first["next"] = "http://127.0.0.2:9/elsewhere"
    kobo.expect_request(DATA).respond_with_json(first)
    with pytest.raises(CommandError, match="not on the server"):
        pull("kobo", "pull")
    assert not Activity.objects.exists()


def test_a_pull_without_its_settings_says_which_are_missing(settings):
    settings.KOBO_URL = ""
    settings.KOBO_TOKEN = ""
    with pytest.raises(CommandError, match="MUSOW_KOBO_URL, MUSOW_KOBO_TOKEN"):
        pull("kobo", "pull")


def test_an_odk_pull_imports_central_s_export_once(odk):
    odk.expect_request(
        ZIP, headers={"Authorization": "Bearer session-token-abc"}
    ).respond_with_data((EXPORTS / "odk.csv.zip").read_bytes(), content_type="application/zip")
    out = pull("odk", "pull")
    assert "3 created" in out, out
    again = pull("odk", "pull")
    assert "0 created, 0 updated, 3 unchanged" in again, again
    assert Activity.objects.count() == 3


def test_an_odk_pull_signs_in_with_an_email_and_password(odk, settings):
    settings.ODK_TOKEN = ""
    settings.ODK_EMAIL = "unite.genre@example.org"
    settings.ODK_PASSWORD = "mot-de-passe"

    def session(request: Request) -> Response:
        body = json.loads(request.data)
        if body == {"email": "unite.genre@example.org", "password": "mot-de-passe"}:
            return Response(json.dumps({"token": "fresh-session"}), 200)
        return Response(json.dumps({"code": 401.2}), 401)

    odk.expect_request("/v1/sessions", method="POST").respond_with_handler(session)
    odk.expect_request(ZIP, headers={"Authorization": "Bearer fresh-session"}).respond_with_data(
        (EXPORTS / "odk.csv.zip").read_bytes()
    )
    assert "3 created" in pull("odk", "pull")


def test_an_expired_odk_session_says_so(odk):
    odk.expect_request(ZIP).respond_with_json(
        {"code": 401.2, "message": "Could not authenticate with the provided credentials."},
        status=401,
    )
    with pytest.raises(CommandError, match="refused the token"):
        pull("odk", "pull")
    assert not Activity.objects.exists()


def test_an_odk_server_error_imports_nothing(odk):
    odk.expect_request(ZIP).respond_with_data("Bad gateway", status=502)
    with pytest.raises(CommandError, match="HTTP 502"):
        pull("odk", "pull")
    assert not Activity.objects.exists()


def test_the_pull_speaks_french_by_default(kobo):
    kobo.expect_request(DATA).respond_with_json({"detail": "Invalid token."}, status=401)
    with pytest.raises(CommandError) as error:
        call_command("kobo", "pull", stdout=StringIO(), stderr=StringIO())
    assert "jeton" in str(error.value)
