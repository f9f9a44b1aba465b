"""The report page: each role gets the report of its own scope only, in the page's language,
shown or downloaded in any format; admins and officers issue it."""

import json

import pytest

from tests.web_fixtures import FAST_HASHERS, World, build_world, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build_world(status="validated")  # Gao for CAFO (inside), Bamako (outside)


def page(world: World, role: str, lang: str = "fr", **params: str):
    return world.client(role).get(url("reports:report", lang=lang), params)


def test_the_report_page_is_translated_and_starts_with_the_users_scope(world):
    assert url("reports:report", lang="fr") == "/fr/rapports/"
    assert url("reports:report", lang="en") == "/en/reports/"
    response = page(world, "focal_point")
    assert response.status_code == 200
    assert response.context["form"].initial["scope"] == "ML07"
    assert page(world, "partner").context["form"].initial["scope"] == "cafo"
    assert page(world, "admin").context["form"].initial["scope"] == ""


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Rapport de l'Unité Genre"), ("en", "The Gender Unit's report")]
)
def test_the_report_is_shown_in_the_pages_language(world, lang, title):
    response = page(world, "viewer", lang, period="2014", format="html")
    html = response.content.decode()
    assert response.status_code == 200
    assert title in html.replace("&#x27;", "'")
    assert html.count("<svg") == 4
    assert "style=" not in html and "<script" not in html.split("</main>")[0]  # CSP-clean


def test_a_focal_point_gets_the_report_of_their_region_only(world):
    response = page(world, "focal_point", period="2014", scope="ML07", format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment;" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [a["id"] for a in data["annex"]["activities"]] == [world.inside.pk]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr", "Le périmètre « District de Bamako (région) » sort de ce que votre compte peut"),
        ("en", "The scope “Bamako Capital District (region)” is outside what your account may"),
    ],
)
def test_a_scope_outside_the_users_rights_is_refused_in_their_language(world, lang, message):
    response = page(world, "focal_point", lang, period="2014", scope="ML09", format="pdf")
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")


def test_a_focal_point_may_not_ask_for_everything_nor_a_partner_for_a_region(world):
    assert page(world, "focal_point", period="2014", scope="", format="csv").status_code == 400
    assert page(world, "partner", period="2014", scope="ML07", format="csv").status_code == 400
    response = page(world, "partner", period="2014", scope="cafo", format="json")
    assert [a["id"] for a in json.loads(response.content)["annex"]["activities"]] == [
        world.inside.pk
    ]


def test_every_format_downloads(world):
    types = {
        "html": "text/html; charset=utf-8",
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
        "json": "application/json",
    }
    for fmt, content_type in types.items():
        response = page(world, "officer", "en", period="2014-Q4", format=fmt, download="1")
        assert response.status_code == 200, fmt
        assert response["Content-Type"] == content_type
        assert f'filename="musow-report-2014-Q4-en.{fmt}"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "2014-13"}, "Période inconnue « 2014-13 »"),
        ({"period": "2014", "format": "docx"}, "Format inconnu « docx »"),
        ({"period": "2014", "scope": "Atlantis"}, "Périmètre inconnu « Atlantis »"),
    ],
)
def test_bad_requests_get_a_form_error(world, params, message):
    response = page(world, "admin", **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_officer_issues_the_report_and_is_told_what_happened(world):
    client = world.client("officer")
    data = {"period": "2014", "scope": "", "lang": "en", "format": "html"}
    response = client.post(url("reports:issue", lang="en"), data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Issued as no." in text and "First issue of this report." in text
    response = client.post(url("reports:issue", lang="en"), data, follow=True)
    assert "Figures unchanged since the issue of" in response.content.decode()


def test_a_viewer_cannot_issue(world):
    data = {"period": "2014", "scope": "", "lang": "fr", "format": "html"}
    assert world.client("viewer").post(url("reports:issue"), data).status_code == 403


def test_text_that_looks_like_a_formula_stays_text_in_the_xlsx(world):
    import io

    from openpyxl import load_workbook

    from tests.factories import make_activity

    make_activity(key="formula", title='=HYPERLINK("http://example.org","x")', status="validated")
    response = page(world, "admin", period="2014", format="xlsx")
    book = load_workbook(io.BytesIO(response.content))
    annex = book[next(n for n in book.sheetnames if n.startswith("Annexe"))]
    cells = [c for row in annex.iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_viewer_reads_aggregates_without_the_list_of_activities(world):
    data = json.loads(page(world, "viewer", "en", period="2014", format="json").content)
    assert data["annex"] == {**data["annex"], "count": 2, "hidden": True, "activities": []}
    html = page(world, "viewer", "en", period="2014", format="html").content.decode()
    assert "Their list is not shown to your role" in html
    assert world.inside.title not in html
    officer = json.loads(page(world, "officer", period="2014", format="json").content)
    assert len(officer["annex"]["activities"]) == 2 and not officer["annex"]["hidden"]


@pytest.mark.parametrize(
    ("lang", "where", "outside"),
    [
        ("fr", "dans la région de Gao", "hors du périmètre du rapport"),
        ("en", "in the Gao region", "outside the report's scope"),
    ],
)
def test_a_region_reports_headline_says_its_scope_and_its_map_the_regions_outside(
    world, lang, where, outside
):
    response = page(world, "focal_point", lang, period="2014", scope="ML07", format="html")
    html = response.content.decode().replace("&#x27;", "'")
    headline = html.split('class="headline"')[1].split("</ul>")[0]
    assert headline.count(where) == headline.count("<li>") == 4
    assert "Tombouctou" not in headline and "Timbuktu" not in headline
    assert outside in html
    everything = page(world, "admin", lang, period="2014", format="html").content.decode()
    assert "Tombouctou" in everything or "Timbuktu" in everything  # the unit's own sentence
