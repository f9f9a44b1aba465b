"""Women at the table in a real browser: the Gao focal point enters a composition of the
Gao reconciliation committee as a role × sex grid on a 360-px phone and submits it; a
gender officer validates it; the body page draws the share of women against the 30 %
line. axe-core on every page of the module, French and English, 1366 and 360 px wide,
with a screenshot of each under var/screenshots/table/."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_accessibility_browser import SIZES, Checker, url

BODY = re.compile(r"réconciliation de Gao|Gao local reconciliation", re.I)


def _context(browser: Any, server: str, lang: str, size: str) -> Any:
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
    return page


def _shot(page: Any, name: str) -> None:
    folder = SCREENSHOTS / "table"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_a_composition_entered_on_a_phone_counts_once_validated(browser: Any, server: str):
    phone = _context(browser, server, "fr", "phone")
    gao = Checker(phone, "fr", "phone")
    gao.sign_in("gao")
    gao.visit(url("fr", "bodies:list"), "bodies")
    _shot(phone, "fr-360-bodies")
    gao.follow(phone.get_by_role("link", name=BODY))
    gao.follow(phone.get_by_role("link", name="Saisir une composition"))
    phone.get_by_label("Composition au").fill("2016-03-08")
    phone.get_by_label("Document source").fill("Procès-verbal d'installation")
    phone.get_by_label("Membre — femmes").fill("7")
    phone.get_by_label("Membre — hommes").fill("8")
    phone.get_by_label("Total donné par la source (facultatif)").fill("16")  # a slip
    gao.follow(phone.get_by_role("button", name="Soumettre pour validation"))
    expect(phone.locator("#form-errors")).to_contain_text("font 15, et non le total déclaré")
    gao.check("composition form with errors")
    _shot(phone, "fr-360-composition-form-errors")
    phone.get_by_label("Total donné par la source (facultatif)").fill("15")
    gao.follow(phone.get_by_role("button", name="Soumettre pour validation"))
    expect(phone.locator("h1")).to_contain_text("Composition au 8 mars 2016")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    composition_url = phone.url
    assert not gao.problems, "\n".join(gao.problems)

    desk = _context(browser, server, "fr", "desktop")
    officer = Checker(desk, "fr", "desktop")
    officer.sign_in("agent")
    desk.goto(composition_url)
    officer.follow(desk.get_by_role("button", name="Valider"))
    expect(desk.locator(".status-line")).to_contain_text("Validée")
    officer.follow(desk.get_by_role("link", name=BODY).first)
    expect(desk.locator("figure.timeline")).to_contain_text("46,7")  # 7 women of 15
    _shot(desk, "fr-1366-body-after-validation")
    assert not officer.problems, "\n".join(officer.problems)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_violation_on_the_pages_of_women_at_the_table(
    browser: Any, server: str, lang: str, size: str
) -> None:
    page = _context(browser, server, lang, size)
    c = Checker(page, lang, size)
    c.sign_in("agent")
    width = SIZES[size]["width"]
    c.visit(url(lang, "bodies:list"), "bodies")
    _shot(page, f"{lang}-{width}-bodies")
    c.follow(page.get_by_role("link", name=re.compile("Gouvernement du Mali|Government of Mali")))
    c.check("body")
    _shot(page, f"{lang}-{width}-body-government")
    c.follow(page.locator("main table a").first)
    c.check("composition")
    _shot(page, f"{lang}-{width}-composition")
    c.follow(page.locator("p.back a"))
    enter = re.compile("Saisir une composition|Enter a composition")
    c.follow(page.get_by_role("link", name=enter))
    c.check("composition form")
    _shot(page, f"{lang}-{width}-composition-form")
    assert not c.problems, "\n".join(c.problems)
