"""What the pages say to assistive technology, through HTTP (the browser tests in
tests/e2e/ run axe-core and a keyboard walk on top): a refused form names each error,
links it to its field and ties it to the field; user-typed text carries its language;
one h1 per page; the downloaded report has a main landmark; wide tables sit in named,
focusable boxes."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from musow.activities.models import ActivityType, AgeGroup, Audience
from musow.lib.language import guess_language
from tests import web_fixtures
from tests.web_fixtures import FAST_HASHERS, World, build_world, url

world = web_fixtures.world  # one account per role; two draft activities


@pytest.fixture
def validated(db, settings) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build_world(status="validated")  # what the report counts


LANGS = ["fr", "en"]


class Page(HTMLParser):
    """The elements of a page, with their attributes and the text inside each."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[dict[str, Any]] = []
        self.open: list[dict[str, Any]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, **{k: v or "" for k, v in attrs}, "text": ""}
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element["text"] += data

    def by_id(self, id_: str) -> dict[str, Any] | None:
        return next((e for e in self.elements if e.get("id") == id_), None)

    def all(self, tag: str, **attrs: str) -> list[dict[str, Any]]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def gettext_in(lang: str, msgid: str) -> str:
    with translation.override(lang):
        return gettext(msgid)


def cell(audience: str, sex: str, age: str) -> str:
    a = Audience.objects.get(code=audience)
    g = AgeGroup.objects.get(code=age)
    return f"p_{a.pk}_{sex}_{g.pk}"


def refused_entry(world, lang: str) -> Page:
    """A new activity with three mistakes: no title, no place, a negative count."""
    data = {
        "title": "",
        "activity_type": ActivityType.objects.get(code="awareness-session").pk,
        "start_date": "2014-11-28",
        "end_date": "2014-11-28",
        "place": "",
        cell("general-public", "m", "18-plus"): "-3",
        "action": "draft",
    }
    response = world.client("officer").post(url("web:activity-new", lang=lang), data)
    assert response.status_code == 200
    return Page(response.content.decode())


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_form_opens_on_a_summary_linking_each_error_to_its_field(world, lang):
    page = refused_entry(world, lang)
    title = page.all("title")[0]["text"]
    assert title.startswith(gettext_in(lang, "Error:") + " "), title
    summary = page.by_id("form-errors")
    assert summary is not None and summary["role"] == "alert" and summary["tabindex"] == "-1"
    assert "autofocus" in summary and "data-error-summary" in summary
    links = [e for e in page.all("a") if e.get("href", "").startswith("#")]
    targets = {a["href"][1:]: a["text"] for a in links if a["href"] != "#main"}
    count = cell("general-public", "m", "18-plus")
    assert set(targets) == {"id_title", "id_place", f"id_{count}"}
    assert targets["id_title"].startswith(gettext_in(lang, "Title"))
    for id_ in targets:
        assert page.by_id(id_) is not None  # the link goes somewhere
    heading = page.by_id(summary["aria-labelledby"])
    assert heading is not None and "3" in heading["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_invalid_field_is_described_by_its_error_and_every_reference_exists(world, lang):
    page = refused_entry(world, lang)
    invalid = [e for e in page.elements if e.get("aria-invalid") == "true"]
    assert {e["id"] for e in invalid} >= {"id_title", "id_place"}
    for element in invalid:
        ids = element.get("aria-describedby", "").split()
        errors = [page.by_id(i) for i in ids if i.endswith("_error")]
        assert errors and errors[0] is not None and errors[0]["text"].strip(), element["id"]
    for element in page.elements:
        for attr in ("aria-describedby", "aria-labelledby"):
            for id_ in element.get(attr, "").split():
                assert page.by_id(id_) is not None, f"{element['tag']} {attr} #{id_}"
        if element["tag"] == "label" and element.get("for"):
            assert page.by_id(element["for"]) is not None, element["for"]


def test_a_group_of_checkboxes_is_described_by_its_help_and_its_error(world):
    response = world.client("admin").post(url("web:user-new", lang="en"), {"regions": ["0"]})
    page = Page(response.content.decode())
    group = next(
        e for e in page.all("fieldset") if "id_regions_helptext" in e.get("aria-describedby", "")
    )
    assert group["aria-describedby"].split() == ["id_regions_helptext", "id_regions_error"]
    assert page.by_id("id_regions_error")["text"].strip()
    link = next(a for a in page.all("a") if a.get("href") == "#id_regions_0")
    assert link["text"].startswith("Regions: ")


@pytest.mark.parametrize("lang", LANGS)
def test_the_dashboard_and_import_help_and_errors_have_the_ids_their_fields_name(world, lang):
    officer = world.client("officer")
    dashboard = Page(
        officer.get(url("web:dashboard", lang=lang), {"period": "20x4"}).content.decode()
    )
    period = dashboard.by_id("id_period")
    assert period["aria-invalid"] == "true"
    assert period["aria-describedby"].split() == ["id_period_helptext", "id_period_error"]
    assert dashboard.by_id("id_period_helptext") and dashboard.by_id("id_period_error")
    assert dashboard.by_id("form-errors") is not None
    assert not [e for e in dashboard.all("script") if "dashboard" in e.get("src", "")]
    upload = Page(officer.post(url("intake:home", lang=lang), {}).content.decode())
    file = upload.by_id("id_file")
    for id_ in file["aria-describedby"].split():
        assert upload.by_id(id_) is not None, id_


@pytest.mark.parametrize("lang", LANGS)
def test_a_title_typed_in_french_is_marked_french_on_english_pages_too(world, lang):
    client = world.client("officer")
    detail = Page(client.get(url("web:activity", world.inside.pk, lang=lang)).content.decode())
    heading = detail.all("h1")[0]
    assert heading["text"] == "Causerie à Gao" and heading["lang"] == "fr"
    listing = client.get(url("web:activities", lang=lang)).content.decode()
    assert f'lang="fr">{escape("Causerie à Gao")}</a>' in listing
    assert re.search(r'<html lang="' + lang, listing)


def test_the_language_of_typed_text_is_guessed_from_its_small_words():
    assert guess_language("Causerie sur les VBG au marché de Gao") == "fr"
    assert guess_language("Formation d'induction « Genre et maintien de la paix »") == "fr"
    assert guess_language("Training of the police on gender-based violence") == "en"
    assert guess_language("Radio programme for women in Gao") == "en"
    assert guess_language("WILDAF-Mali") is None
    assert guess_language("") is None


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_page_has_one_h1_and_its_wide_tables_scroll_in_named_boxes(validated, lang):
    response = validated.client("officer").get(url("reports:report", lang=lang), {"period": "2014"})
    page = Page(response.content.decode())
    assert len(page.all("h1")) == 1
    assert page.all("h2", **{"class": "report-title"})
    boxes = [e for e in page.elements if "table-scroll" in e.get("class", "")]
    assert len(boxes) >= 10  # the results framework, the tables, the annex
    for box in boxes:
        assert box["role"] == "region" and box["tabindex"] == "0"
        name = page.by_id(box["aria-labelledby"])
        assert name is not None and name["text"].strip()
    names = [page.by_id(b["aria-labelledby"])["text"].strip() for b in boxes]
    assert len(names) == len(set(names))  # one name per region


@pytest.mark.parametrize("lang", LANGS)
def test_the_downloaded_html_report_has_a_main_landmark_and_one_h1(validated, lang):
    params = {"period": "2014", "format": "html", "download": "1", "lang": lang}
    response = validated.client("officer").get(url("reports:report", lang=lang), params)
    html = response.content.decode()
    page = Page(html)
    assert len(page.all("main")) == 1 and len(page.all("h1")) == 1
    assert page.all("meta", name="viewport")
    assert html.index("<main>") < html.index("<h1") < html.index("</main>")


def test_the_activity_page_names_its_two_participation_regions_apart(world):
    html = world.client("officer").get(url("web:activity", world.inside.pk)).content.decode()
    page = Page(html)
    names = []
    for element in page.elements:
        if element["tag"] == "section" or element.get("role") == "region":
            names.append(page.by_id(element["aria-labelledby"])["text"].strip())
    assert len(names) == len(set(names)), names
