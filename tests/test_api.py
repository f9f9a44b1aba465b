"""The REST API (/api/v1/) through HTTP with personal tokens: a partner's script creates,
submits and reads back its activities; officers validate; figures move; errors are
problem+json in the client's language; CSV carries an HXL row."""

import io
import json

import pytest
from django.core.management import call_command

from musow.activities.models import Activity
from musow.audit.models import Entry
from tests.api_helpers import API, ApiClient, token_client
from tests.factories import make_activity
from tests.web_fixtures import World, build_world, make_author

pytestmark = pytest.mark.django_db

NEW = {
    "key": "cafo-2014-001",
    "type": "conference",
    "title": "Causerie sur la scolarisation des filles",
    "start": "2014-12-02",
    "end": "2014-12-02",
    "place": "ML07",
    "themes": ["gbv"],
    "organiser": "cafo",
    "participation": [
        {"audience": "general-public", "sex": "f", "age": "18-plus", "count": 12},
        {"audience": "general-public", "sex": "m", "age": "18-plus", "count": 8},
    ],
    "attendance": [{"code": "GAO-0001", "sex": "f", "audience": "general-public"}],
}


@pytest.fixture
def world(db, settings) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def post(client: ApiClient, path: str, body: object = None, **extra):
    return client.post(API + path, json.dumps(body or {}), content_type="application/json", **extra)


def people_sensitised(client: ApiClient) -> int:
    response = client.get(API + "figures", {"indicator": "participants-all", "period": "2014-12"})
    assert response.status_code == 200, response.content
    return response.json()["total"]


def test_a_partner_creates_submits_and_reads_back_its_activity_and_the_figure_moves_on_validation(
    world: World,
):
    partner = token_client(world.users["partner"])
    officer = token_client(world.users["officer"])
    before = people_sensitised(officer)

    created = post(partner, "activities", NEW)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["total"] == 20 and body["version"] == 1
    assert body["key"] == "cafo-2014-001"
    assert created["Location"].endswith(f"/api/v1/activities/{body['id']}")
    # Attendance comes back as pseudonymous keys only, never the code given.
    assert [set(a) for a in body["attendance"]] == [{"key", "sex", "audience", "age"}]
    assert "GAO-0001" not in created.content.decode()

    submitted = post(partner, f"activities/{body['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert people_sensitised(officer) == before
    validated = post(officer, f"activities/{body['id']}/validate")
    assert validated.status_code == 200 and validated.json()["status"] == "validated"
    assert people_sensitised(officer) == before + 20

    read = partner.get(API + f"activities/{body['id']}")
    assert read.status_code == 200 and read.json()["status"] == "validated"
    trail = partner.get(API + f"activities/{body['id']}/audit").json()
    assert [(e["action"], e["actor"]) for e in trail] == [
        ("create", "cafo"),
        ("submit", "cafo"),
        ("validate", "agent"),
    ]


def test_the_partner_s_list_holds_only_its_own_activities(world: World):
    partner = token_client(world.users["partner"])
    ids = {row["id"] for row in partner.get(API + "activities").json()["results"]}
    assert world.inside.pk in ids and world.outside.pk not in ids
    assert partner.get(API + f"activities/{world.outside.pk}").status_code == 404


def test_a_stale_version_answers_409_and_writes_nothing(world: World):
    officer = token_client(world.users["officer"])
    url = API + f"activities/{world.inside.pk}"
    current = officer.get(url).json()
    first = {**NEW, "title": "Première modification", "version": current["version"]}
    assert officer.put(url, first, content_type="application/json").status_code == 200
    stale = {**NEW, "title": "Modification sur une version périmée", "version": current["version"]}
    response = officer.put(url, stale, content_type="application/json")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 409
    assert Activity.objects.get(pk=world.inside.pk).title == "Première modification"


def test_bad_input_answers_one_problem_per_field_in_french_by_default(world: World):
    officer = token_client(world.users["officer"])
    bad = {**NEW, "type": "no-such-type", "place": "XX99", "end": "2014-12-01"}
    bad.pop("key")
    response = post(officer, "activities", bad)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    fields = {e["field"]: e["detail"] for e in problem["errors"]}
    assert set(fields) >= {"type", "place"}
    assert "inconnu" in fields["type"].lower(), fields
    assert Activity.objects.filter(title=NEW["title"]).count() == 0


def test_problems_speak_the_language_the_client_asks_for(world: World):
    english = token_client(world.users["officer"], lang="en")
    response = post(english, "activities", {**NEW, "type": "no-such-type"})
    fields = {e["field"]: e["detail"] for e in response.json()["errors"]}
    assert fields["type"] == "Unknown activity type “no-such-type”."
    assert response["Content-Language"] == "en"
    missing = post(english, "activities", {"title": "x"})
    names = {e["field"] for e in missing.json()["errors"]}
    assert {"type", "start", "place"} <= names
    assert all(e["detail"] == "This field is required." for e in missing.json()["errors"])


def test_a_request_without_a_valid_token_answers_401_problem(world: World):
    for client in (ApiClient(), ApiClient("musow_deadbeef_nottherightsecret")):
        response = client.get(API + "activities")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_viewer_reads_figures_but_no_record(world: World):
    viewer = token_client(world.users["viewer"])
    assert viewer.get(API + "activities").status_code == 403
    assert viewer.get(API + f"activities/{world.inside.pk}").status_code == 403
    figure = viewer.get(API + "figures", {"indicator": "participants-all", "period": "2014"})
    assert figure.status_code == 200
    assert figure.json()["activities"] is None  # no link to records they may not see


def test_a_focal_point_s_figures_stay_in_their_region_and_another_answers_404(world: World):
    gao = token_client(world.users["focal_point"])
    query = {"indicator": "participants-all", "period": "2014"}
    mine = gao.get(API + "figures", {**query, "region": "ML07"})
    assert mine.status_code == 200
    assert gao.get(API + "figures", {**query, "region": "ML09"}).status_code == 404


def test_the_list_pages_by_cursor_without_repeating_or_missing_an_activity(world: World):
    for n in range(7):
        make_activity(key=f"page-{n}", title=f"Activité {n}", start=f"2014-10-{n + 1:02d}")
    officer = token_client(world.users["officer"])
    seen: list[int] = []
    url: str | None = API + "activities?limit=3"
    while url:
        page = officer.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == Activity.objects.exclude(status="deleted").count()


def test_an_unknown_filter_code_is_named_in_the_problem(world: World):
    officer = token_client(world.users["officer"])
    response = officer.get(API + "activities", {"region": "ML99", "period": "2014-13"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"region", "period"}


def test_workflow_actions_follow_the_web_s_rules(world: World):
    partner = token_client(world.users["partner"], lang="en")
    officer = token_client(world.users["officer"])
    admin = token_client(world.users["admin"])
    pk = world.inside.pk
    # A draft cannot be validated: a conflict with its state, not a bad request.
    assert post(officer, f"activities/{pk}/validate").status_code == 409
    assert post(partner, f"activities/{pk}/validate").status_code == 403
    returned = post(officer, f"activities/{pk}/return", {"comment": ""})
    assert returned.status_code == 400
    assert returned.json()["errors"][0]["field"] == "comment"
    # Only its author, an officer or the unit admin changes a draft: the partner sees this
    # one (its organisation ran it) but did not write it, and is told why.
    refused = post(partner, f"activities/{pk}/delete", {"comment": "doublon"})
    assert refused.status_code == 403, refused.content
    assert refused.json()["detail"] == (
        "Only the author of a draft, a gender officer or the unit admin can change it."
    )
    assert Activity.objects.get(pk=pk).status == "draft"
    make_author(world.inside, world.users["partner"])
    deleted = post(partner, f"activities/{pk}/delete", {"comment": "doublon"})
    assert deleted.status_code == 200, deleted.content
    assert partner.get(API + f"activities/{pk}").status_code == 404
    assert post(partner, f"activities/{pk}/restore").status_code == 403
    restored = post(admin, f"activities/{pk}/restore")
    assert restored.status_code == 200 and restored.json()["status"] == "draft"


def test_a_returned_activity_is_its_author_s_to_change_again_and_no_one_else_s(world: World):
    partner = token_client(world.users["partner"])
    gao = token_client(world.users["focal_point"], lang="en")
    officer = token_client(world.users["officer"])
    make_author(world.inside, world.users["partner"])
    pk = world.inside.pk
    assert post(partner, f"activities/{pk}/submit").status_code == 200
    # Submitted: its author may no longer change it.
    again = post(partner, f"activities/{pk}/delete")
    assert again.status_code == 403
    returned = post(officer, f"activities/{pk}/return", {"comment": "Manque la liste."})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    # The Gao focal point sees it (their region) but did not write it.
    refused = post(gao, f"activities/{pk}/submit")
    assert refused.status_code == 403
    assert "Only the author of a draft" in refused.json()["detail"]
    assert Activity.objects.get(pk=pk).status == "returned"
    resubmitted = post(partner, f"activities/{pk}/submit")
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "submitted"


def test_figures_and_lists_come_as_csv_with_an_hxl_row_that_libhxl_reads(world: World):
    import hxl

    officer = token_client(world.users["officer"])
    make_activity(key="csv-1", place="ML07", start="2014-11-03")
    figure = officer.get(
        API + "figures",
        {"indicator": "participants-all", "period": "2014", "by": "region", "format": "csv"},
    )
    assert figure.status_code == 200 and figure["Content-Type"].startswith("text/csv")
    data = hxl.data(io.BytesIO(figure.content))
    tags = data.display_tags
    assert "#adm1+code" in tags and "#indicator+value+num" in tags
    by_region = {row.get("#adm1+code"): row.get("#indicator+value") for row in data}
    assert by_region["ML07"] == "50"

    listing = officer.get(API + "activities", {"format": "csv", "region": "ML07"})
    rows = list(hxl.data(io.BytesIO(listing.content)))
    assert rows and all(row.get("#adm1+code") == "ML07" for row in rows)
    assert {row.get("#activity+id+musow") for row in rows} >= {str(world.inside.pk)}


def test_a_token_over_its_rate_gets_a_clear_429(world: World, settings):
    settings.API_RATE = "3/minute"
    from django.core.cache import cache

    cache.clear()
    client = token_client(world.users["viewer"], lang="en")
    codes = [client.get(API + "vocabularies").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get(API + "vocabularies")
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert "too many requests" in response.json()["detail"]
    cache.clear()


def test_places_come_as_geojson(world: World):
    client = token_client(world.users["viewer"])
    regions = client.get(API + "places", {"level": 1})
    assert regions.status_code == 200
    collection = regions.json()
    assert collection["type"] == "FeatureCollection"
    codes = {f["properties"]["pcode"] for f in collection["features"]}
    assert {"ML07", "ML09"} <= codes
    gao = client.get(API + "places/ML07").json()
    assert gao["type"] == "Feature" and gao["properties"]["name_fr"] == "Gao"


def test_indicators_carry_their_targets_and_vocabularies_their_codes(world: World):
    client = token_client(world.users["viewer"])
    indicators = client.get(API + "indicators").json()
    assert any(i["code"] == "participants-all" for i in indicators)
    assert client.get(API + "indicators/participants-all/targets").status_code == 200
    assert client.get(API + "indicators/no-such-indicator").status_code == 404
    vocabularies = client.get(API + "vocabularies").json()
    assert any(t["code"] == "conference" for t in vocabularies["activity_types"])


def test_an_import_is_a_dry_run_by_default_and_answers_the_page_s_report(world: World, tmp_path):
    from tests.intake_helpers import row as csv_row
    from tests.intake_helpers import write_csv

    path = write_csv(tmp_path / "a.csv", [csv_row("API-1"), csv_row("API-2")])
    officer = token_client(world.users["officer"])
    with open(path, "rb") as f:
        dry = officer.post(API + "imports", {"file": f})
    assert dry.status_code == 200, dry.content
    assert dry.json()["dry_run"] and dry.json()["created"] == 2
    assert not Activity.objects.filter(source_key="API-1").exists()
    with open(path, "rb") as f:
        done = officer.post(API + "imports", {"file": f, "dry_run": "false"})
    assert done.status_code == 201 and done.json()["written"]
    assert Activity.objects.filter(source_key__in=["API-1", "API-2"]).count() == 2

    broken = write_csv(tmp_path / "b.csv", [csv_row("API-3", start="2014-02-30")])
    with open(broken, "rb") as f:
        refused = officer.post(API + "imports", {"file": f, "dry_run": "false"})
    assert refused.status_code == 422
    assert refused.json()["errors"] and refused.json()["report"]["written"] is False
    assert not Activity.objects.filter(source_key="API-3").exists()


def test_the_openapi_description_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3")


def test_the_schema_and_the_documentation_are_served(world: World):
    schema = ApiClient().get(API + "schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/activities" in schema.json()["paths"]
    docs = ApiClient().get(API + "docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_token_writes_are_audited_with_the_token_s_user(world: World):
    officer = token_client(world.users["officer"])
    url = API + f"activities/{world.inside.pk}"
    version = officer.get(url).json()["version"]
    officer.put(url, {**NEW, "version": version}, content_type="application/json")
    entry = Entry.objects.for_target(world.inside).order_by("-at", "-pk").first()
    assert entry is not None and entry.actor == world.users["officer"]


def test_a_report_is_built_in_the_format_asked_within_the_user_s_scope(world: World):
    make_activity(key="report-1", place="ML07", start="2014-11-03")
    officer = token_client(world.users["officer"])
    report = officer.get(API + "reports", {"period": "2014", "output": "json", "lang": "en"})
    assert report.status_code == 200 and report["Content-Type"] == "application/json"
    assert report.json()["period"]["code"] == "2014"
    table = officer.get(API + "reports", {"period": "2014", "output": "csv"})
    assert table.status_code == 200 and table["Content-Type"].startswith("text/csv")
    gao = token_client(world.users["focal_point"])
    assert gao.get(API + "reports", {"period": "2014", "scope": "ML07"}).status_code == 200
    assert gao.get(API + "reports", {"period": "2014", "scope": "ML09"}).status_code == 404
    bad = officer.get(API + "reports", {"period": "2014-13"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "period"


def test_issued_reports_are_listed_with_what_changed_since_the_one_before(world: World):
    from musow.indicators.periods import Period
    from musow.reports.services import ReportRequest, report_build, report_issue
    from musow.reports.types import ReportScope

    wanted = ReportRequest(Period.parse("2014"), ReportScope.everything(), "json", "fr")
    make_activity(key="issued-0", place="ML07", start="2014-11-02")  # not an empty report
    first = report_issue(report=report_build(wanted), user=world.users["officer"]).issued
    make_activity(key="issued-1", place="ML07", start="2014-11-03")
    second = report_issue(report=report_build(wanted), user=world.users["officer"]).issued
    viewer = token_client(world.users["viewer"])
    listed = viewer.get(API + "reports/issued").json()
    assert [r["id"] for r in listed[:2]] == [second.pk, first.pk]
    detail = viewer.get(API + f"reports/issued/{second.pk}").json()
    assert detail["previous"] == first.pk and detail["changes"]
    assert all({"what", "before", "after"} <= set(c) for c in detail["changes"])
    gao = token_client(world.users["focal_point"])
    assert gao.get(API + f"reports/issued/{second.pk}").status_code == 404
    assert gao.get(API + "reports/issued").json() == []


def test_an_unexpected_error_answers_a_problem_without_a_traceback(world: World, monkeypatch):
    from musow.api import reference

    def broken(self, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(reference.Vocabularies, "get", broken)
    response = token_client(world.users["viewer"], lang="en").get(API + "vocabularies")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert "secret internals" not in response.content.decode()
    assert response.json()["detail"] == "An internal error occurred; it has been logged."


def test_the_same_key_posted_twice_makes_one_activity(world: World):
    officer = token_client(world.users["officer"], lang="en")
    assert post(officer, "activities", NEW).status_code == 201
    again = post(officer, "activities", NEW)
    assert again.status_code == 400, again.content
    assert again["Content-Type"] == "application/problem+json"
    assert Activity.objects.filter(source="api", source_key=NEW["key"]).count() == 1
