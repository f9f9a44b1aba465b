"""The public figures page (the unit's page regenerated from data), through HTTP, in French
and English; and the sentence builder on its own."""

import re
from datetime import date
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from musow.activities.models import Campaign, CampaignSeries, Objective, Project
from musow.indicators.models import Indicator
from musow.web import figures as figures_data
from musow.web.summaries import Group, Named, Region, de, join_en, join_fr, sentence, summary
from tests.factories import make_activity

LANGS = ["fr", "en"]
NNBSP = "\u202f"
DRAFT_TITLE = "Brouillon à ne jamais publier"
NOT_ALL_LISTED = (
    "Only the activities behind a figure whose list the unit publishes are listed here, "
    "and never those on a sensitive theme."
)


def url(lang: str, name: str, *args: Any) -> str:
    with translation.override(lang):
        return reverse(f"web:{name}", args=args)


def message(lang: str, msgid: str, **params: Any) -> str:
    """Template text as a page shows it in `lang` (template literals are not escaped)."""
    with translation.override(lang):
        return gettext(msgid) % params if params else gettext(msgid)


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def get(client: Any, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.content.decode()


def publish(code: str, *, lists: bool = True) -> None:
    """The unit admin publishes an indicator (and, unless told, the list of its activities)."""
    Indicator.objects.filter(code=code).update(is_public=True, lists_public=lists)


def titles(html: str) -> list[str]:
    """The titles of the activities listed (the rows of the activity table's body)."""
    tables = re.findall(r'<table class="activities">.*?<tbody>(.*?)</tbody>', html, re.S)
    return re.findall(r'<th scope="row"[^>]*>(.*?)</th>', "".join(tables))


def people(f: int, m: int, audience: str = "general-public") -> list[dict[str, Any]]:
    return [
        {"audience": audience, "sex": "f", "age": "18-plus", "count": f},
        {"audience": audience, "sex": "m", "age": "18-plus", "count": m},
    ]


def sixteen_days(n: int = 0, place: str = "ML07") -> None:
    make_activity(
        key=f"16j-extra-{n}",
        type="awareness-session",
        title=f"Séance supplémentaire {n}",
        start="2014-12-01",
        end="2014-12-01",
        place=place,
        campaign="16-days-2014",
        participation=people(1, 1),
    )


@pytest.fixture
def year2014(db):
    """16 Days: 900 + 300 = 1 200 people in Bamako and Gao (and a draft that must not
    count); a 1325 open day in Tombouctou (80 women); a project meeting; an
    accompaniment of women leaders; a training in 2013; a draft in 2016."""
    Campaign.objects.create(
        code="16-days-2014",
        series=CampaignSeries.objects.get(code="16-days"),
        name_fr="16 jours d'activisme 2014",
        name_en="16 Days of Activism 2014",
        start_date=date(2014, 11, 25),
        end_date=date(2014, 12, 10),
    )
    Campaign.objects.create(
        code="jpo-1325-2014",
        series=CampaignSeries.objects.get(code="open-day-1325"),
        name_fr="Journée portes ouvertes 1325 (2014)",
        name_en="UNSCR 1325 Open Day (2014)",
        start_date=date(2014, 10, 27),
        end_date=date(2014, 11, 7),
    )
    Project.objects.create(
        code="sgbv-justice",
        name_fr="Programme d'accès à la justice",
        name_en="Access to justice programme",
    )
    make_activity(
        key="16j-bko",
        title="Conférence de lancement des 16 jours",
        start="2014-11-25",
        end="2014-11-26",
        place="ML09",
        campaign="16-days-2014",
        participation=people(600, 300),
    )
    make_activity(
        key="16j-gao",
        type="awareness-session",
        title="Sensibilisation sur les VBG à Gao",
        start="2014-11-28",
        end="2014-11-28",
        place="ML07",
        campaign="16-days-2014",
        participation=people(200, 100),
    )
    make_activity(
        key="16j-draft",
        title=DRAFT_TITLE,
        start="2014-12-02",
        end="2014-12-02",
        place="ML05",
        campaign="16-days-2014",
        status="draft",
        participation=people(4000, 1000),
    )
    make_activity(
        key="jpo-tbk",
        type="open-day",
        title="Journée portes ouvertes 1325 à Tombouctou",
        start="2014-10-30",
        end="2014-10-30",
        place="ML06",
        themes=["wps-1325"],
        campaign="jpo-1325-2014",
        participation=people(80, 40),
    )
    make_activity(
        key="projet-bko",
        type="coordination-meeting",
        title="Réunion de conception du programme",
        start="2014-06-12",
        end="2014-06-12",
        place="ML09",
        project="sgbv-justice",
        participation=people(8, 6, "justice-actors"),
    )
    make_activity(
        key="accomp-bko",
        type="accompaniment",
        title="Accompagnement des femmes leaders à Alger",
        start="2014-09-01",
        end="2014-09-05",
        place="ML09",
        themes=["peace-reconciliation"],
        participation=[{"audience": "women-leaders", "sex": "f", "age": "18-plus", "count": 12}],
    )
    make_activity(
        key="formation-2013",
        type="training",
        title="Formation de 2013",
        start="2013-09-10",
        end="2013-09-10",
        place="ML09",
        themes=["gender-mainstreaming"],
    )
    make_activity(
        key="draft-2016",
        title="Brouillon de 2016",
        start="2016-03-01",
        end="2016-03-01",
        status="draft",
    )


# -- the figures page -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_shows_the_latest_validated_year_by_default(client, year2014, lang):
    html = get(client, url(lang, "figures"))
    assert f'<html lang="{lang}">' in html
    assert f'href="{url(lang, "figures-year", 2014)}" aria-current="page">2014<' in html
    assert f'href="{url(lang, "figures-year", 2013)}">2013<' in html
    assert "2016" not in html  # only a draft that year
    assert main(html) == main(get(client, url(lang, "figures-year", 2014)))


@pytest.mark.parametrize(("lang", "value"), [("fr", f"1{NNBSP}200"), ("en", "1,200")], ids=LANGS)
def test_headline_figures_in_the_locale_format_link_to_their_activities(
    client, year2014, lang, value
):
    html = get(client, url(lang, "figures-year", 2014))
    link = url(lang, "figure-activities", 2014, "people-sensitised-vawg")
    assert re.search(
        rf'<a href="{link}">[^<]*<strong class="figure">{value}</strong>[^<]*</a>', html
    )
    women = url(lang, "figure-activities", 2014, "women-girls-reached-1325")
    assert f'<a href="{women}">' in html
    assert '<strong class="figure">80</strong>' in html
    assert html.count('class="figure"') == 4  # the four headline indicators
    wrong = "1,200" if lang == "fr" else f"1{NNBSP}200"
    assert wrong not in html and "1200" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_the_mandate_lines_are_shown_in_the_active_language(client, year2014, lang):
    html = get(client, url(lang, "figures"))
    objectives = Objective.objects.filter(is_active=True)
    assert objectives.count() == 5
    for objective in objectives:
        assert escape(getattr(objective, f"text_{lang}")) in html
    assert message(lang, "The unit's mandate") in html


GROUPS = {
    "fr": [
        (
            "Organisation de conférences et de séances de sensibilisation dans le cadre de la "
            "campagne des 16 jours d'activisme contre la violence basée sur le genre dans le "
            "district de Bamako et dans la région de Gao",
            "2 activités",
            ("campaign", "16-days"),
        ),
        (
            "Organisation de journées portes ouvertes dans le cadre de la journée portes ouvertes "
            "sur la Résolution 1325 dans la région de Tombouctou",
            "1 activité",
            ("campaign", "open-day-1325"),
        ),
        (
            "Organisation de réunions de coordination dans le cadre du projet « Programme "
            "d'accès à la justice » dans le district de Bamako",
            "1 activité",
            ("project", "sgbv-justice"),
        ),
        (
            "Organisation d'actions d'accompagnement sur le processus de paix et de "
            "réconciliation dans le district de Bamako",
            "1 activité",
            ("type", "accompaniment"),
        ),
    ],
    "en": [
        (
            "Conferences and awareness sessions as part of the 16 Days of Activism against "
            "Gender-Based Violence in the Bamako Capital District and in the Gao region",
            "2 activities",
            ("campaign", "16-days"),
        ),
        (
            "Open days as part of the UNSCR 1325 Open Day in the Timbuktu region",
            "1 activity",
            ("campaign", "open-day-1325"),
        ),
        (
            "Coordination meetings as part of the project “Access to justice programme” in the "
            "Bamako Capital District",
            "1 activity",
            ("project", "sgbv-justice"),
        ),
        (
            "Accompaniment activities on the peace and reconciliation process in the Bamako "
            "Capital District",
            "1 activity",
            ("type", "accompaniment"),
        ),
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_activities_are_grouped_by_campaign_then_project_then_type(client, year2014, lang):
    html = get(client, url(lang, "figures"))
    assert message(lang, "Some activities carried out in %(year)s", year="2014") in html
    items = re.findall(r'<ul class="groups">(.*?)</ul>', html, re.S)[0]
    lines = [re.sub(r"\s+", " ", li).strip() for li in re.findall(r"<li>(.*?)</li>", items, re.S)]
    expected = [
        f'{escape(body)} (<a href="{url(lang, "group-activities", 2014, *group)}">{count}</a>)'
        for body, count, group in GROUPS[lang]
    ]
    assert lines == expected


@pytest.mark.parametrize("lang", LANGS)
def test_a_group_lists_its_activities_that_a_published_list_shows(client, year2014, lang):
    publish("activities-all")  # every validated activity's list, but the sensitive ones
    kind = get(client, url(lang, "group-activities", 2014, "type", "accompaniment"))
    assert titles(kind) == ["Accompagnement des femmes leaders à Alger"]
    html = get(client, url(lang, "group-activities", 2014, "campaign", "16-days"))
    body, count, _group = GROUPS[lang][0]
    assert f"{escape(body)} ({count})" in html  # the group is told, with its count
    assert titles(html) == []  # its two activities are on GBV: never listed
    assert escape(DRAFT_TITLE) not in html and "Conférence de lancement" not in html
    assert message(lang, NOT_ALL_LISTED) in html
    project = get(client, url(lang, "group-activities", 2014, "project", "sgbv-justice"))
    assert "Réunion de conception du programme" not in project  # on GBV too
    empty = get(client, url(lang, "group-activities", 2013, "campaign", "16-days"))
    assert message(lang, "There is no validated activity for %(year)s.", year="2013") in empty


@pytest.mark.parametrize("lang", LANGS)
def test_a_group_lists_nothing_without_a_published_list(client, year2014, lang):
    html = get(client, url(lang, "group-activities", 2014, "type", "accompaniment"))
    assert titles(html) == [] and "Accompagnement des femmes leaders" not in html
    assert message(lang, NOT_ALL_LISTED) in html


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_groups_are_not_found(client, year2014, lang):
    get(client, url(lang, "group-activities", 2014, "campaign", "no-such-series"), 404)
    get(client, url(lang, "group-activities", 2014, "region", "ML09"), 404)
    get(client, url(lang, "group-activities", 1989, "campaign", "16-days"), 404)


@pytest.mark.parametrize("lang", LANGS)
def test_drafts_never_appear_on_the_public_pages(client, year2014, lang):
    publish("activities-all")
    pages = [
        url(lang, "figures"),
        url(lang, "figures-year", 2016),
        url(lang, "figure-activities", 2014, "people-sensitised-vawg"),
        url(lang, "figure-activities", 2014, "activities-all"),
        url(lang, "group-activities", 2014, "campaign", "16-days"),
    ]
    for page in pages:
        html = get(client, page)
        assert escape(DRAFT_TITLE) not in html
        assert "Brouillon de 2016" not in html
    no_data = get(client, url(lang, "figures-year", 2016))
    assert message(lang, "There is no validated activity for %(year)s.", year="2016") in no_data
    assert 'class="figure"' not in no_data


@pytest.mark.parametrize("lang", LANGS)
def test_a_year_without_data_says_so_and_years_out_of_range_are_not_found(client, db, lang):
    html = get(client, url(lang, "figures-year", 2012))
    assert message(lang, "There is no validated activity for %(year)s.", year="2012") in html
    assert 'class="groups"' not in html
    get(client, url(lang, "figures"))  # an empty database: still a page
    get(client, url(lang, "figures-year", 1989), 404)
    get(client, url(lang, "figures-year", 2101), 404)
    get(client, url(lang, "figure-activities", 1989, "people-sensitised-vawg"), 404)
    get(client, url(lang, "figure-activities", 2014, "no-such-indicator"), 404)


# -- an indicator's activities ----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_figure_lists_the_activities_that_make_it_when_its_list_is_published(
    client, year2014, lang
):
    publish("women-girls-reached-1325")
    html = get(client, url(lang, "figure-activities", 2014, "women-girls-reached-1325"))
    assert '<strong class="figure">80</strong>' in html
    with translation.override(lang):
        indicator = Indicator.objects.get(code="women-girls-reached-1325")
        assert escape(indicator.name) in html
        assert escape(indicator.description) in html
    assert titles(html) == ["Journée portes ouvertes 1325 à Tombouctou"]
    campaign = "Journée portes ouvertes 1325 (2014)" if lang == "fr" else "UNSCR 1325 Open Day"
    assert escape(campaign) in html
    assert '<time datetime="2014-10-30">' in html
    assert f'href="{url(lang, "figures-year", 2014)}"' in html


@pytest.mark.parametrize("lang", LANGS)
def test_activity_lists_are_paginated(client, year2014, lang, monkeypatch):
    publish("activities-all")  # two activities of 2014 are not on a sensitive theme
    monkeypatch.setattr(figures_data, "PER_PAGE", 1)
    path = url(lang, "figure-activities", 2014, "activities-all")
    first = get(client, path)
    assert titles(first) == ["Accompagnement des femmes leaders à Alger"]
    assert 'href="?page=2" rel="next"' in first
    second = get(client, f"{path}?page=2")
    assert titles(second) == ["Journée portes ouvertes 1325 à Tombouctou"]
    assert 'href="?page=1" rel="prev"' in second
    assert main(get(client, f"{path}?page=99")) == main(second)  # past the end: the last page
    other = "en" if lang == "fr" else "fr"
    assert f'href="{url(other, "figure-activities", 2014, "activities-all")}?page=2"' in second


# -- what is published, and to whom (issue 9, item 18) ----------------------------------


def test_the_shipped_publication_settings(db):
    public = set(Indicator.objects.filter(is_public=True).values_list("code", flat=True))
    headline = set(Indicator.objects.filter(is_headline=True).values_list("code", flat=True))
    # the headline figures, and the headline participation figures (issue 11)
    assert public == headline | set(figures_data.PARTICIPATION)
    assert len(headline) == 4 and len(public) == 8
    assert not Indicator.objects.filter(lists_public=True).exists()  # the admin decides
    from musow.activities.models import Theme

    assert list(Theme.objects.filter(is_sensitive=True).values_list("code", flat=True)) == ["gbv"]


@pytest.mark.parametrize("lang", LANGS)
def test_an_indicator_not_published_is_not_found(client, year2014, lang):
    get(client, url(lang, "figure-activities", 2014, "activities-all"), 404)
    get(client, url(lang, "figure-activities", 2014, "sgbv-justice-actors-trained"), 404)
    publish("activities-all", lists=False)
    get(client, url(lang, "figure-activities", 2014, "activities-all"))


@pytest.mark.parametrize("lang", LANGS)
def test_only_published_headline_figures_show_on_the_page(client, year2014, lang):
    Indicator.objects.filter(code="mission-staff-trained-gender").update(is_public=False)
    html = get(client, url(lang, "figures"))
    assert html.count('class="figure"') == 3
    assert url(lang, "figure-activities", 2014, "mission-staff-trained-gender") not in html
    get(client, url(lang, "figure-activities", 2014, "mission-staff-trained-gender"), 404)


@pytest.mark.parametrize(("lang", "value"), [("fr", f"1{NNBSP}200"), ("en", "1,200")], ids=LANGS)
def test_a_published_figure_without_a_published_list_lists_nothing(client, year2014, lang, value):
    html = get(client, url(lang, "figure-activities", 2014, "people-sensitised-vawg"))
    assert f'<strong class="figure">{value}</strong>' in html
    assert titles(html) == [] and "Conférence de lancement" not in html
    assert message(lang, "The list of the activities behind this figure is not published.") in html


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("fr", "2 activités d'un thème sensible sont comptées mais pas listées."),
        ("en", "2 activities on a sensitive theme are counted but not listed."),
    ],
)
def test_activities_on_a_sensitive_theme_are_never_listed(client, year2014, lang, note):
    publish("people-sensitised-vawg")  # even when the admin publishes the list of a GBV figure
    html = get(client, url(lang, "figure-activities", 2014, "people-sensitised-vawg"))
    assert f"1{NNBSP}200" in html or "1,200" in html
    assert titles(html) == []
    assert note in html
    make_activity(  # an open day on UNSCR 1325 *and* GBV: counted, never listed
        key="jpo-gbv",
        type="open-day",
        title="Journée portes ouvertes sur 1325 et les VBG",
        start="2014-11-01",
        end="2014-11-01",
        place="ML07",
        themes=["wps-1325", "gbv"],
        campaign="jpo-1325-2014",
        participation=people(20, 5),
    )
    publish("women-girls-reached-1325")
    women = get(client, url(lang, "figure-activities", 2014, "women-girls-reached-1325"))
    assert '<strong class="figure">100</strong>' in women  # 80 + 20
    assert titles(women) == ["Journée portes ouvertes 1325 à Tombouctou"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_viewer_sees_no_activity_list_on_the_public_pages(client, year2014, lang):
    from musow.accounts.models import User

    publish("women-girls-reached-1325")
    publish("activities-all")
    figure = url(lang, "figure-activities", 2014, "women-girls-reached-1325")
    group = url(lang, "group-activities", 2014, "type", "accompaniment")
    aggregates = escape(
        message(lang, "Your account sees figures only, not the activities behind them.")
    )
    assert titles(get(client, figure)) == ["Journée portes ouvertes 1325 à Tombouctou"]  # visitor
    client.force_login(User.objects.create_user("lecteur", role=User.Role.VIEWER))
    for path in (figure, group):
        html = get(client, path)
        assert titles(html) == [] and "Journée portes ouvertes 1325 à" not in html
        assert "Accompagnement des femmes leaders" not in html
        assert aggregates in html
    assert '<strong class="figure">80</strong>' in get(client, figure)  # the figure stays
    client.force_login(User.objects.create_user("agent", role=User.Role.OFFICER))
    assert titles(get(client, group)) == ["Accompagnement des femmes leaders à Alger"]


def test_the_unit_admin_sets_what_is_published_in_the_admin(admin_client, year2014):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    client = admin_client
    indicator = Indicator.objects.get(code="activities-all")
    form = get(client, f"/fr/admin/indicators/indicator/{indicator.pk}/change/")
    assert 'name="is_public"' in form and 'name="lists_public"' in form
    assert "Pages publiques" in form
    themes = get(client, "/fr/admin/activities/theme/")
    assert "sensible" in themes.lower()
    indicator.lists_public = True  # a list published for a figure that is not
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert "lists_public" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(lists_public=True)


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_activities(client, year2014):
    publish("activities-all")
    publish("women-girls-reached-1325")
    pages = [
        url("fr", "figures"),
        url("fr", "figure-activities", 2014, "people-sensitised-vawg"),
        url("fr", "figure-activities", 2014, "activities-all"),
        url("fr", "group-activities", 2014, "campaign", "16-days"),
    ]
    from musow.analytics.sync import sync

    sync()  # the analytics store copies the new activities (a few queries, counted apart)
    before = [_queries(client, page) for page in pages]
    for n, place in enumerate(["ML01", "ML02", "ML03", "ML04", "ML05", "ML08"]):
        sixteen_days(n, place)
    sync()
    assert [_queries(client, page) for page in pages] == before


# -- language, markup, static files ---------------------------------------------------------


@pytest.mark.parametrize(("lang", "other"), [("fr", "en"), ("en", "fr")])
def test_the_language_switch_keeps_the_current_page(client, year2014, lang, other):
    for name, args in [
        ("figures-year", (2014,)),
        ("figure-activities", (2014, "people-sensitised-vawg")),
        ("group-activities", (2014, "campaign", "16-days")),
    ]:
        html = get(client, url(lang, name, *args))
        nav = re.findall(r'<nav class="languages".*?</nav>', html, re.S)[0]
        assert f'<a href="{url(other, name, *args)}" lang="{other}" hreflang="{other}">' in nav
        assert f'href="{url(lang, name, *args)}" lang="{lang}"' in nav
        assert 'aria-current="true"' in nav
        assert get(client, url(other, name, *args)).count(f'<html lang="{other}">') == 1
    assert url("fr", "figures") == "/fr/chiffres/"
    assert url("en", "figures") == "/en/figures/"


@pytest.mark.parametrize("lang", LANGS)
def test_no_inline_script_or_style(client, year2014, lang):
    for path in [
        url(lang, "figures"),
        url(lang, "figure-activities", 2014, "people-sensitised-vawg"),
        url(lang, "group-activities", 2014, "type", "accompaniment"),
    ]:
        html = get(client, path)
        assert "<script" not in html
        assert "<style" not in html
        assert " style=" not in html
        assert re.search(r" on[a-z]+=", html) is None
        assert '<link rel="stylesheet" href="/static/web/musow.css">' in html


def test_the_stylesheet_is_shipped():
    path = finders.find("web/musow.css")
    assert path
    css = open(path, encoding="utf-8").read()  # noqa: SIM115
    assert ":focus-visible" in css


def test_home_redirects_to_the_figures(client, db):
    response = client.get("/fr/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/chiffres/"


# -- the sentence builder -------------------------------------------------------------------


def test_lists_are_joined_as_each_language_writes_them():
    assert join_fr([]) == "" and join_en([]) == ""
    assert join_fr(["A"]) == "A" and join_en(["A"]) == "A"
    assert join_fr(["A", "B"]) == "A et B"
    assert join_en(["A", "B"]) == "A and B"
    assert join_fr(["A", "B", "C"]) == "A, B et C"
    assert join_en(["A", "B", "C"]) == "A, B and C"


def test_french_partitive_elides_before_a_vowel():
    assert de("conférences") == "de conférences"
    assert de("émissions radio") == "d'émissions radio"
    assert de("ateliers") == "d'ateliers"
    assert de("Ségou") == "de Ségou"


BAMAKO = Region("District de Bamako", is_district=True)
BAMAKO_EN = Region("Bamako Capital District", is_district=True)
OPEN_DAY_TYPES = (
    Named("conference", "Conférence"),
    Named("survey", "Sondage"),
    Named("radio-programme", "Émission radio"),
)


def open_day(regions: tuple[Region, ...], count: int = 12) -> Group:
    return Group(
        kind="campaign",
        subject=Named("open-day-1325", "Journée portes ouvertes sur la Résolution 1325"),
        count=count,
        activity_types=OPEN_DAY_TYPES,
        regions=regions,
    )


def test_the_seed_sentence_in_french():
    group = open_day((BAMAKO, Region("Gao"), Region("Tombouctou"), Region("Mopti")))
    assert sentence(group, "fr") == (
        "Organisation de conférences, de sondages et d'émissions radio dans le cadre de la "
        "journée portes ouvertes sur la Résolution 1325 dans le district de Bamako et dans "
        "les régions de Gao, Tombouctou et Mopti (12 activités)"
    )


def test_the_seed_sentence_in_english():
    group = open_day((BAMAKO_EN, Region("Gao"), Region("Timbuktu"), Region("Mopti")))
    assert sentence(group, "en") == (
        "Conferences, surveys and radio programmes as part of the UNSCR 1325 Open Day in the "
        "Bamako Capital District and in the Gao, Timbuktu and Mopti regions (12 activities)"
    )


def test_counts_follow_the_locale_and_agree_in_number():
    assert summary(open_day((), 1200), "fr").count == f"1{NNBSP}200 activités"
    assert summary(open_day((), 1200), "en").count == "1,200 activities"
    assert summary(open_day((), 1), "fr").count == "1 activité"
    assert summary(open_day((), 1), "en").count == "1 activity"
    with translation.override("en"):
        assert summary(open_day((), 2)).count == "2 activities"  # the active language


def test_places_one_region_or_a_city_district():
    assert sentence(open_day((Region("Mopti"),)), "fr").endswith(
        "dans la région de Mopti (12 activités)"
    )
    assert sentence(open_day((Region("Mopti"),)), "en").endswith(
        "in the Mopti region (12 activities)"
    )
    assert sentence(open_day((Region("Bamako", is_district=True),)), "fr").endswith(
        "à Bamako (12 activités)"
    )
    assert sentence(open_day((Region("Bamako", is_district=True),)), "en").endswith(
        "in Bamako (12 activities)"
    )
    assert sentence(open_day(()), "fr").endswith("sur la Résolution 1325 (12 activités)")


def test_project_and_type_groups():
    project = Group(
        kind="project",
        subject=Named("sgbv-justice", "Programme d'accès à la justice"),
        count=3,
        activity_types=(Named("coordination-meeting", "x"), Named("workshop", "x")),
        regions=(BAMAKO,),
    )
    assert sentence(project, "fr") == (
        "Organisation de réunions de coordination et d'ateliers dans le cadre du projet "
        "« Programme d'accès à la justice » dans le district de Bamako (3 activités)"
    )
    training = Group(
        kind="type",
        subject=Named("training", "Training"),
        count=4,
        themes=(Named("gender-mainstreaming", "x"), Named("ssr-ddr", "x")),
        regions=(BAMAKO_EN, Region("Gao")),
    )
    assert sentence(training, "en") == (
        "Training sessions on gender mainstreaming and security sector reform (SSR/DDR) in the "
        "Bamako Capital District and in the Gao region (4 activities)"
    )


def test_vocabulary_added_later_falls_back_to_its_name():
    group = Group(
        kind="campaign",
        subject=Named("orange-day", "Journée orange"),
        count=2,
        activity_types=(Named("march", "Marche"),),
        regions=(Region("Kayes"),),
    )
    assert sentence(group, "fr") == (
        "Organisation d'activités « Marche » dans le cadre de la campagne « Journée orange » "
        "dans la région de Kayes (2 activités)"
    )
    english = Group(
        kind="type",
        subject=Named("march", "March"),
        count=2,
        themes=(Named("climate", "Climate"),),
    )
    assert sentence(english, "en") == "“March” activities on “Climate” (2 activities)"


# -- figures first, and how each adds up (issue 15, item 10) -------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_figures_come_before_the_activities_and_the_mandate(client, year2014, lang):
    html = main(get(client, url(lang, "figures-year", 2014)))
    assert html.index('id="figures"') < html.index('id="activities"') < html.index('id="mandate"')


def parts(html: str) -> dict[str, list[tuple[str, str]]]:
    """The "how this figure adds up" tables: caption -> [(part, value), …, ("total", …)]."""
    out = {}
    for caption, body in re.findall(
        r'<table class="parts__table">\s*<caption>(.*?)</caption>(.*?)</table>', html, re.S
    ):
        rows = re.findall(r'<th scope="row">(.*?)</th><td class="num">(.*?)</td>', body)
        out[caption] = rows
    return out


@pytest.mark.parametrize(
    ("lang", "by_region", "total", "gao"),
    [("fr", "Par région", f"1{NNBSP}200", "Gao"), ("en", "By region", "1,200", "Gao")],
)
def test_a_figure_shows_how_it_adds_up_even_when_its_list_is_not_published(
    client, year2014, lang, by_region, total, gao
):
    """16 Days: 900 people in Bamako and 300 in Gao make the 1 200 people sensitised; the
    activities (on a sensitive theme) are never listed, their sums are."""
    html = get(client, url(lang, "figure-activities", 2014, "people-sensitised-vawg"))
    tables = parts(html)
    regions = tables[by_region]
    assert regions[-1][1] == total
    assert (gao, "300") in regions
    for rows in tables.values():  # every breakdown sums to the figure
        values = [int(v.replace(NNBSP, "").replace(",", "")) for _label, v in rows]
        assert sum(values[:-1]) == values[-1] == 1200
    assert titles(html) == []


@pytest.mark.parametrize(("lang", "label"), [("fr", "Dans ce chiffre"), ("en", "In this figure")])
def test_a_published_list_shows_what_each_activity_adds_to_the_figure(
    client, year2014, lang, label
):
    publish("women-girls-reached-1325")
    html = get(client, url(lang, "figure-activities", 2014, "women-girls-reached-1325"))
    table = re.search(r'<table class="activities">.*?</table>', html, re.S).group(0)
    assert f'<th scope="col" class="num">{label}</th>' in table
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    assert re.findall(r'<td class="num">(.*?)</td>', body) == ["80"]  # the women, not the men
    assert re.search(r'<tfoot>.*<td class="num">80</td>', table, re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_a_group_lists_each_activity_with_its_participants(client, year2014, lang):
    publish("activities-all")
    html = get(client, url(lang, "group-activities", 2014, "type", "accompaniment"))
    assert titles(html) == ["Accompagnement des femmes leaders à Alger"]
    table = re.search(r'<table class="activities">.*?</table>', html, re.S).group(0)
    assert re.findall(r'<td class="num">(.*?)</td>', table) == ["12", "12"]  # the row, the total
