"""Sittings in a real browser, over the demo data set: the Gao focal point enters a
sitting of the Gao reconciliation committee on a phone and on a desktop, in French and
English; the sitting form refuses a round of the Algiers talks dated before the talks
start, naming the date; axe-core finds no WCAG A/AA violation and no page is wider than
the screen. Screenshots go to var/screenshots/sittings/."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_accessibility_browser import SIZES, Checker, url

WORDS = {
    "fr": {
        "gao": "réconciliation de Gao",
        "algiers": "médiation, Alger",
        "enter": "Saisir une séance",
        "submit": "Soumettre pour validation",
        "held_on": "Tenue le",
        "source": "Document source",
        "h1": "Séance du",
        "refused": "une séance ne peut pas le précéder",
    },
    "en": {
        "gao": "Gao local reconciliation",
        "algiers": "Mediation team",
        "enter": "Enter a sitting",
        "submit": "Submit for validation",
        "held_on": "Held on",
        "source": "Source document",
        "h1": "Sitting of",
        "refused": "a sitting cannot be before it",
    },
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_focal_point_enters_a_sitting_and_the_pages_fit_the_screen(
    browser: Any, server: str, lang: str, size: str
) -> None:
    words = WORDS[lang]
    context = browser.new_context(
        base_url=server,
        viewport=SIZES[size],
        is_mobile=size == "phone",
        has_touch=size == "phone",
        device_scale_factor=1,
        locale="fr-FR" if lang == "fr" else "en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    c = Checker(page, lang, size)
    folder = SCREENSHOTS / "sittings"
    folder.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        page.screenshot(path=str(folder / f"{lang}-{size}-{name}.png"), full_page=True)

    c.sign_in("gao")
    page.goto(url(lang, "bodies:list"))
    c.follow(page.get_by_role("link", name=re.compile(words["gao"])))
    c.follow(page.get_by_role("link", name=words["enter"]))
    c.check("new sitting")
    shot("form")
    page.get_by_label(words["held_on"]).fill("2016-03-08")
    page.get_by_label(words["source"]).fill("Procès-verbal (test)")
    page.locator("#id_f_member").fill("4")
    page.locator("#id_m_member").fill("7")
    c.follow(page.get_by_role("button", name=words["submit"]))
    expect(page.locator("h1")).to_contain_text(words["h1"])
    c.check("sitting page")
    shot("sitting")
    c.follow(page.locator("p.back a"))
    expect(page.locator("#sittings")).to_be_visible()
    c.check("body page")
    shot("body")
    context.close()

    # An officer: a round of the Algiers talks dated before the talks start is refused
    context = browser.new_context(
        base_url=server, viewport=SIZES[size], device_scale_factor=1, is_mobile=size == "phone"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    c.page = page
    c.sign_in("agent")
    page.goto(url(lang, "bodies:list"))
    c.follow(page.get_by_role("link", name=re.compile(words["algiers"])))
    c.follow(page.get_by_role("link", name=words["enter"]))
    page.get_by_label(words["held_on"]).fill("2014-01-01")
    page.get_by_label(words["source"]).fill("Procès-verbal (test)")
    page.locator("#id_f_negotiator").fill("2")
    c.follow(page.get_by_role("button", name=words["submit"]))
    expect(page.locator("#form-errors")).to_contain_text(words["refused"])
    c.check("sitting refused")
    shot("refused")
    context.close()
    assert not c.problems, "\n".join(c.problems)
