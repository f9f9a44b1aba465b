"""The figures of women at the table at the public page and to their records: the headline
participation figures with their sources (validated compositions only, in French and
English), `musow figures --provenance` listing the compositions and sittings, and the
staff page listing the compositions behind a figure or one cell of it, within the user's
scope."""

import json

import pytest
from django.core.management import call_command

from musow.indicators.models import Indicator
from tests.representation_factories import make_body, make_composition, make_sitting
from tests.test_demo import run
from tests.web_fixtures import World, url
from tests.web_fixtures import world as world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
NNBSP = "\u202f"


@pytest.fixture
def bodies(db):
    government = make_body("gouv", kind="government", name_fr="Gouvernement", name_en="Government")
    assembly = make_body("an", kind="national-assembly", name_fr="Assemblée", name_en="Assembly")
    gao = make_body("conseil-gao", kind="regional-council", place="ML07")
    bamako = make_body("conseil-bamako", kind="regional-council", place="ML09")
    make_composition(government, "2017-12-31", minister_f=9, minister_m=27)
    composition = make_composition(government, "2018-09-09", minister_f=11, minister_m=21)
    composition.source_url = "https://example.org/decret-2018"
    composition.save()
    make_composition(government, "2018-10-01", status="draft", minister_f=30, minister_m=2)
    make_composition(assembly, "2013-12-15", elected_member_f=14, elected_member_m=133)
    make_composition(gao, "2018-03-01", president_m=1, member_f=4, member_m=10)
    make_composition(bamako, "2018-03-01", member_f=6, member_m=6)
    make_sitting(gao, "2018-05-02", member_f=3, member_m=8)
    return {"gouv": government, "an": assembly, "gao": gao, "bamako": bamako}


@pytest.mark.parametrize(
    ("lang", "sentence", "count"),
    [
        (
            "fr",
            f'Les femmes occupent <strong class="figure">34,4{NNBSP}%</strong>',
            "11 femmes sur 32",
        ),
        ("en", 'Women hold <strong class="figure">34.4%</strong>', "11 women of 32"),
    ],
)
def test_the_public_page_shows_the_participation_figures_with_their_sources(
    client, bodies, lang, sentence, count
):
    html = client.get(url("web:figures-year", 2018, lang=lang)).content.decode()
    assert sentence in html and count in html
    assert "https://example.org/decret-2018" in html  # the source, linked
    assert "9,5" in html or "9.5" in html  # the Assembly of 2013, still sitting in 2018
    assert "93,8" not in html and "93.8" not in html  # the draft (30 of 32) never shows
    assert 'href="' + url("web:figures-year", 2018, lang=lang) + '"' in html  # a year to pick


def test_an_unpublished_participation_figure_is_not_shown(client, bodies):
    Indicator.objects.filter(code="share-women-seats-government").update(is_public=False)
    html = client.get(url("web:figures-year", 2018, lang="en")).content.decode()
    assert "of the posts in the government" not in html
    assert "of the seats in the National Assembly" in html


def test_a_year_without_compositions_shows_no_participation_figure(client, bodies):
    html = client.get(url("web:figures-year", 2010, lang="en")).content.decode()
    assert "Women at the table" not in html


def test_the_public_figure_page_lists_the_compositions_behind_it(client, bodies):
    page = client.get(url("web:figure-activities", 2018, "share-women-seats-government", lang="en"))
    html = page.content.decode()
    assert "The compositions behind this figure" in html
    assert "Government, on 9 September 2018" in html and "31 December 2017" not in html
    assert url("bodies:figure", "share-women-seats-government", lang="en") not in html  # staff


def test_figures_provenance_lists_the_compositions_and_sittings(bodies):
    output = run(
        "figures", "--period", "2018", "--indicator", "share-women-seats-government",
        "--provenance", "--lang", "en",
    )  # fmt: skip
    assert "composition #" in output and "2018-09-09 Government" in output
    assert "2017-12-31" not in output and "2018-10-01" not in output  # older one, draft
    data = json.loads(
        run(
            "figures",
            "--period",
            "2018",
            "--indicator",
            "sitting-attendance",
            "--provenance",
            "--format",
            "json",
        )  # fmt: skip
    )
    records = data["figures"][0]["records"]
    assert [(r["kind"], r["date"]) for r in records] == [("séance", "2018-05-02")]


def test_the_drill_down_lists_the_compositions_behind_a_cell(world: World, bodies):
    officer = world.client("officer")
    page = officer.get(
        url("bodies:figure", "share-women-seats", lang="en"),
        {"period": "2018", "body_kind": "government"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "34.4%" in html
    assert url("bodies:body", bodies["gouv"].pk, lang="en") in html
    assert bodies["an"].name not in html  # another cell
    every = officer.get(url("bodies:figure", "seats", lang="en"), {"period": "2018"})
    assert all(b.name in every.content.decode() for b in bodies.values())
    year = officer.get(
        url("bodies:figure", "seats", lang="en"),
        {"period": "2013-01-01..2018-12-31", "year": "2017"},
    ).content.decode()
    assert "2017-12-31" in year or "12/31/2017" in year or "31/12/2017" in year


def test_a_focal_point_drills_down_to_the_compositions_of_their_region_only(world: World, bodies):
    gao = world.client("focal_point")
    html = gao.get(url("bodies:figure", "seats"), {"period": "2018"}).content.decode()
    assert bodies["gao"].name in html and bodies["bamako"].name not in html
    assert bodies["gouv"].name not in html  # national bodies are the officers'


def test_the_drill_down_refuses_what_it_cannot_answer(world: World, bodies):
    officer = world.client("officer")
    assert officer.get(url("bodies:figure", "people-sensitised-vawg")).status_code == 404
    assert officer.get(url("bodies:figure", "seats"), {"period": "2014-13"}).status_code == 404
    assert world.client("viewer").get(url("bodies:figure", "seats")).status_code == 403


def test_the_dashboard_panel_links_each_share_to_its_compositions(world: World, bodies):
    html = world.client("officer").get(url("web:dashboard"), {"period": "2018"}).content.decode()
    assert (
        url("bodies:figure", "share-women-seats") + "?period=2018&amp;body_kind=government" in html
    )


def test_setup_keeps_the_participation_figures_public(bodies):
    call_command("loaddata", "representation", verbosity=0)
    assert Indicator.objects.get(code="share-women-seats-assembly").is_public
