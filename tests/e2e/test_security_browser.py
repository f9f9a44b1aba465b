"""The security sector and DDR pages in a browser: a regional focal point enters DDR
figures for Gao on a 360-px phone (a refusal first, then a save), and the list reads at
1366 and 360 px, in French and English, with no axe violation and no page wider than the
screen."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, reference_problems
from tests.e2e.conftest import new_page, sign_in

HOME = {"fr": "/fr/securite/", "en": "/en/security/"}
NEW_DDR = {"fr": "/fr/securite/chiffres/nouveau/ddr/", "en": "/en/security/figures/new/ddr/"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_list_reads_at_every_size(
    browser: Any, server: str, screenshot: Any, lang: str, phone: bool
) -> None:
    page = new_page(browser, server, phone=phone)
    sign_in(page, "agent", lang)
    page.goto(HOME[lang])
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= (360 if phone else 1366), f"the page scrolls sideways ({width} px)"
    problems = axe_violations(page, page.url) + reference_problems(page, page.url)
    assert not problems, problems
    screenshot(page, f"security-list-{lang}-{'phone' if phone else 'desktop'}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_focal_point_enters_ddr_figures_on_a_phone(
    browser: Any, server: str, screenshot: Any, lang: str
) -> None:
    page = new_page(browser, server, phone=True)
    sign_in(page, "gao", lang)
    page.goto(NEW_DDR[lang])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the form scrolls sideways on a phone ({width} px)"
    problems = axe_violations(page, page.url) + reference_problems(page, page.url)
    assert not problems, problems
    page.locator("select[name=place]").select_option(index=1)
    page.locator("input[name=period_start]").fill("2017-01-01")
    page.locator("input[name=period_end]").fill("2017-03-31" if lang == "fr" else "2017-06-30")
    page.locator("input[name=source_document]").fill("Rapport trimestriel")
    page.locator("input[name='n_ddr-registered_18-plus_f']").fill("3")
    page.locator("input[name='n_ddr-demobilised_18-plus_f']").fill("5")  # more: refused
    draft = "Enregistrer comme brouillon" if lang == "fr" else "Save as draft"
    page.get_by_role("button", name=draft).click()
    expect(page.locator(".error-summary")).to_be_visible()
    screenshot(page, f"security-form-refused-{lang}-phone")
    page.locator("input[name='n_ddr-demobilised_18-plus_f']").fill("2")
    page.get_by_role("button", name=draft).click()
    expect(page.locator(".status-line")).to_be_visible()
    assert "3" in page.locator("main").inner_text()
    screenshot(page, f"security-record-{lang}-phone")
