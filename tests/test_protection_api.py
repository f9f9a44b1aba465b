"""/api/v1/sgbv: the programme's tables through the API — protected for every role (the
same tables as the statistics page, the audit test's adversary finding nothing), whole for
protection officers and the unit admin, each such answer audited; bad input one problem
per field, nothing written."""

import pytest
from django.utils import translation

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.indicators.periods import Period
from musow.protection.release import release_build, release_show
from tests.api_helpers import API, ApiClient, token_client
from tests.protection_attack import disclosed
from tests.protection_helpers import officer
from tests.web_fixtures import FAST_HASHERS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def _get(client, query: str):
    return client.get(f"{API}sgbv?{query}")


@pytest.mark.parametrize("role", [User.Role.VIEWER, User.Role.OFFICER, User.Role.PARTNER])
def test_every_other_role_gets_the_protected_tables_and_nothing_is_recoverable(demo_reports, role):
    user = User.objects.create_user("lecteur", password="x", role=role)
    body = _get(token_client(user, "en"), "period=2014-Q1").json()
    assert body["whole"] is False
    with translation.override("en"):
        release = release_build(Period.parse("2014-Q1"))
        shown = release_show(release, whole=False)
    assert [t["code"] for t in body["tables"]] == [s.code for s in shown]
    small = 0
    for table, s in zip(body["tables"], shown, strict=True):
        assert [r["cells"] for r in table["rows"]] == [row[1:] for row in s.rows]
        for r in table["rows"]:
            for text, value in zip(r["cells"], r["values"], strict=True):
                if "<" in text or "×" in text:
                    small += 1
                    assert value is None  # never the hidden value
    assert small and disclosed(release, shown, 5) == []
    assert not Entry.objects.filter(action=Entry.Action.VIEW_WHOLE).exists()


def test_a_protection_officer_gets_them_whole_and_the_answer_is_audited(demo_reports):
    user = officer()
    body = _get(token_client(user, "en"), "period=2014-Q1&region=ML07").json()
    assert body["whole"] is True and body["region"] == ["ML07"]
    values = [v for t in body["tables"] for r in t["rows"] for v in r["values"]]
    assert None not in values and any(0 < v < 5 for v in values)  # small numbers, whole
    entry = Entry.objects.get(action=Entry.Action.VIEW_WHOLE, actor=user)
    assert entry.target_label.startswith("api: 2014-Q1")


def test_bad_input_gets_one_problem_per_field_and_nothing_is_written(demo_reports):
    client = token_client(officer(), "en")
    response = _get(client, "period=2014-Q9&region=ML07,XX99")
    assert response.status_code == 400
    problem = response.json()
    fields = sorted(e["field"] for e in problem["errors"])
    assert fields == ["period", "region"]
    assert not Entry.objects.filter(action=Entry.Action.VIEW_WHOLE).exists()


def test_a_focal_point_may_not_ask_for_another_region(demo_reports):
    from tests.protection_helpers import region

    user = User.objects.create_user("pf-gao", password="x", role=User.Role.FOCAL_POINT)
    user.regions.set([region("ML07")])
    client = token_client(user, "en")
    assert _get(client, "period=2014&region=ML09").status_code == 404
    assert _get(client, "period=2014&region=ML07").status_code == 200


def test_without_a_token_it_answers_401():
    assert _get(ApiClient(), "period=2014").status_code == 401
