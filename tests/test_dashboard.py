"""The dashboard, through HTTP: headline figures of the period within the user's scope,
activities per month, reach by sex and age, the map, links down to the activities, and
provisional figures; in French and English."""

import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from musow.accounts.models import User
from musow.activities.models import Activity, Campaign, CampaignSeries, Organisation
from musow.activities.services import activity_submit, activity_validate
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from tests.factories import make_activity

pytestmark = pytest.mark.django_db
NNBSP = "\u202f"
VAWG = "people-sensitised-vawg"


def url(lang: str = "fr", **params: str) -> str:
    with translation.override(lang):
        path = reverse("web:dashboard")
    if params:
        path += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return path


def people(f: int, m: int, age: str = "18-plus") -> list[dict[str, Any]]:
    return [
        {"audience": "general-public", "sex": "f", "age": age, "count": f},
        {"audience": "general-public", "sex": "m", "age": age, "count": m},
    ]


def sixteen_days(key: str, place: str, f: int, m: int, status: str = "validated") -> Activity:
    """A 16 Days awareness session on GBV: counts in people-sensitised-vawg."""
    return make_activity(
        key=key,
        type="awareness-session",
        title=f"Séance 16 jours {key}",
        start="2014-11-28",
        end="2014-11-28",
        campaign="16-days-2014",
        place=place,
        themes=["gbv"],
        status=status,
        participation=people(f, m),
    )


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Boards are cached under a stamp of the data; test transactions roll back, so a
    later test could meet the same stamp over different data."""
    cache.clear()


@pytest.fixture
def world(django_user_model: Any) -> dict[str, Any]:
    make = django_user_model.objects.create_user
    focal = make("gao", role=User.Role.FOCAL_POINT)
    focal.regions.set([Place.objects.get(pcode="ML07", level=1, gazetteer__code=SHIPPED_GAZETTEER)])
    org = Organisation.objects.create(code="cafo-dash", name="CAFO", kind="womens_org")
    Campaign.objects.create(
        code="16-days-2014",
        series=CampaignSeries.objects.get(code="16-days"),
        name_fr="16 jours d'activisme 2014",
        name_en="16 Days of Activism 2014",
        start_date=date(2014, 11, 25),
        end_date=date(2014, 12, 10),
    )
    sixteen_days("gao", "ML07", 3000, 2400)  # Gao: 5 400
    sixteen_days("bamako", "ML09", 700, 300)  # Bamako: 1 000
    sixteen_days("mopti-draft", "ML05", 100, 80, status="draft")  # provisional only
    make_activity(key="march", start="2014-03-08", end="2014-03-08", place="ML09")
    return {
        "officer": make("agent", role=User.Role.OFFICER),
        "focal": focal,
        "partner": make("cafo", role=User.Role.PARTNER, organisation=org),
        "viewer": make("lecteur", role=User.Role.VIEWER),
    }


def page(world: dict[str, Any], role: str, path: str, status: int = 200) -> str:
    client = Client()
    client.force_login(world[role])
    response = client.get(path)
    assert response.status_code == status
    return response.content.decode()


def figure_card(html: str, code: str) -> str:
    start = html.index(f'data-indicator="{code}"')
    return html[start : html.index("</li>", start)]


def test_it_asks_a_visitor_to_sign_in() -> None:
    response = Client().get(url())
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_an_officer_sees_the_headline_figures_of_the_latest_year(world: dict[str, Any]) -> None:
    html = page(world, "officer", url())
    assert "2014" in html
    assert f"6{NNBSP}400" in figure_card(html, VAWG)  # Gao + Bamako, validated only


def test_figures_follow_the_language(world: dict[str, Any]) -> None:
    html = page(world, "officer", url("en"))
    assert "6,400" in figure_card(html, VAWG)
    assert "Dashboard" in html
    assert "Tableau de bord" in page(world, "officer", url("fr"))


def test_a_focal_point_sees_the_figures_of_their_region_only(world: dict[str, Any]) -> None:
    html = page(world, "focal", url())
    assert f"5{NNBSP}400" in figure_card(html, VAWG)
    assert f"6{NNBSP}400" not in html
    assert "Bamako" not in html.split('id="dash-map"')[1].split("<svg")[0]


def test_a_focal_point_cannot_ask_for_another_region(world: dict[str, Any]) -> None:
    html = page(world, "focal", url(region="ML09"))
    assert 'class="dash-error"' in html
    assert 'data-indicator="' not in html


def test_an_officer_narrows_the_figures_to_a_region(world: dict[str, Any]) -> None:
    html = page(world, "officer", url(period="2014", region="ML09"))
    assert f"1{NNBSP}000" in figure_card(html, VAWG)


def test_a_partner_sees_only_figures_of_its_organisation(world: dict[str, Any]) -> None:
    html = page(world, "partner", url(period="2014"))
    assert re.search(r'dash-figure__value" aria-hidden="true">0<', figure_card(html, VAWG))


def test_each_figure_links_to_the_activities_behind_it(world: dict[str, Any]) -> None:
    html = page(world, "officer", url(period="2014-Q4"))
    card = figure_card(html, VAWG)
    href = re.search(r'href="([^"]+)"', card)
    assert href
    link = urlsplit(href.group(1).replace("&amp;", "&"))
    with translation.override("fr"):
        assert link.path == reverse("web:activities")
    assert parse_qs(link.query) == {"indicator": [VAWG], "period": ["2014-Q4"]}


def test_a_viewer_sees_figures_but_no_way_to_the_records(world: dict[str, Any]) -> None:
    html = page(world, "viewer", url(period="2014"))
    assert f"6{NNBSP}400" in figure_card(html, VAWG)
    with translation.override("fr"):
        assert reverse("web:activities") not in html


def test_provisional_figures_are_shown_as_such(world: dict[str, Any]) -> None:
    official = figure_card(page(world, "officer", url(period="2014")), VAWG)
    assert "dash-figure__provisional" not in official
    card = figure_card(page(world, "officer", url(period="2014", provisional="on")), VAWG)
    assert f"6{NNBSP}400" in card  # the official figure stays
    assert re.search(f"Provisoire.*6{NNBSP}580", card)
    assert "provisional=on" in card
    html = page(world, "officer", url("en", period="2014", provisional="on"))
    assert "People reached by region (contacts), provisional" in html


def test_it_charts_activities_per_month_and_reach_by_sex_and_age(world: dict[str, Any]) -> None:
    html = page(world, "officer", url("en", period="2014"))
    months = html.split('id="dash-time"')[1].split("</section>")[0]
    assert "<svg" in months
    assert "November 2014" in months and "March 2014" in months
    assert "period=2014-11" in months  # a month leads to its activities
    reach = html.split('id="dash-sex-age"')[1].split("</section>")[0]
    assert "<svg" in reach and "female" in reach
    assert "3,730" in reach  # women: 3 000 in Gao, 700 in Bamako, 30 on 8 March


def test_the_map_shades_regions_and_credits_its_source(world: dict[str, Any]) -> None:
    html = page(world, "officer", url("fr", period="2014"))
    section = html.split('id="dash-map"')[1].split("</section>")[0]
    assert "<svg" in section and "<path" in section
    assert "Gao" in section and f"5{NNBSP}400" in section
    assert "geoBoundaries" in section or "OCHA" in section
    assert "region=ML07" in section


def test_a_bad_period_gets_a_message_not_an_error(world: dict[str, Any]) -> None:
    for bad in ["2014-13", "demain", "2014-12-31..2014-01-01", "x" * 40]:
        html = page(world, "officer", url(period=bad))
        assert 'class="dash-error"' in html
        assert 'data-indicator="' not in html


def test_a_validation_shows_at_the_next_view(world: dict[str, Any]) -> None:
    officer = world["officer"]
    before = figure_card(page(world, "officer", url(period="2014")), VAWG)
    assert f"6{NNBSP}400" in before
    draft = Activity.objects.get(source_key="mopti-draft")
    activity_submit(activity=draft, user=officer)
    activity_validate(activity=draft, user=officer)
    after = figure_card(page(world, "officer", url(period="2014")), VAWG)
    assert f"6{NNBSP}580" in after


# -- a figure counted within a scope says its scope (issue 9, item 9) ------------------------

WOMEN_1325 = "women-girls-reached-1325"


def map_section(html: str) -> str:
    return html.split('id="dash-map"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("lang", "where", "unit_wide"),
    [
        ("fr", "dans la région de Gao", "Tombouctou, Mopti"),
        ("en", "in the Gao region", "Timbuktu and Mopti"),
    ],
)
def test_a_focal_points_figures_say_they_are_counted_in_their_region(
    world: dict[str, Any], lang: str, where: str, unit_wide: str
) -> None:
    html = page(world, "focal", url(lang, period="2014"))
    for code in (VAWG, WOMEN_1325):
        card = figure_card(html, code)
        assert where in card
        assert unit_wide not in card  # the unit's own sentence names places it does not count
    assert ("5,400" if lang == "en" else f"5{NNBSP}400") in figure_card(html, VAWG)
    assert 'class="dash-scope"' in html and where in html.split('class="dash-scope"')[1]


def test_figures_counted_over_everything_keep_the_units_sentence(world: dict[str, Any]) -> None:
    html = page(world, "officer", url("fr", period="2014"))
    assert "dans les régions de Gao, Tombouctou, Mopti" in figure_card(html, WOMEN_1325)
    assert 'class="dash-scope"' not in html


def test_a_region_an_officer_narrows_to_is_said_too(world: dict[str, Any]) -> None:
    html = page(world, "officer", url("fr", period="2014", region="ML09"))
    card = figure_card(html, VAWG)
    assert f"1{NNBSP}000" in card and "dans le district de Bamako" in card
    assert "hors de la région choisie" in map_section(html)


def test_a_partners_figures_say_they_count_its_activities(world: dict[str, Any]) -> None:
    card = figure_card(page(world, "partner", url("en", period="2014")), VAWG)
    assert "in the activities of CAFO" in card


@pytest.mark.parametrize(
    ("lang", "outside", "no_data", "bamako"),
    [
        ("fr", "hors de votre périmètre", "pas de données", "District de Bamako"),
        ("en", "outside your scope", "no data", "Bamako Capital District"),
    ],
)
def test_regions_outside_a_focal_points_scope_are_drawn_as_such_not_as_no_data(
    world: dict[str, Any], lang: str, outside: str, no_data: str, bamako: str
) -> None:
    section = map_section(page(world, "focal", url(lang, period="2014")))
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert outside in svg  # the legend entry
    assert f"{bamako} – {outside}" in svg  # Bamako has data, but not for this focal point
    assert no_data not in svg
    assert "Gao –" in svg and ("5,400" if lang == "en" else f"5{NNBSP}400") in svg
    officer = map_section(page(world, "officer", url(lang, period="2014")))
    assert outside not in officer and no_data in officer  # Mopti has only a draft
