"""The SGBV programme's pages in a browser: a protection officer enters a provider's
month on a phone; the statistics read protected for a viewer and whole for the officer,
at 1366 and 360 px, in French and English, with no axe violation and no page wider than
the screen."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, reference_problems
from tests.e2e.conftest import new_page, sign_in

PAGES = {"fr": "/fr/vsbg/?period=2014-03", "en": "/en/sgbv/?period=2014-03"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("who", ["lecteur", "protection"])
def test_the_statistics_read_protected_or_whole_at_every_size(
    browser: Any, server: str, screenshot: Any, lang: str, phone: bool, who: str
) -> None:
    page = new_page(browser, server, phone=phone)
    sign_in(page, who, lang)
    page.goto(PAGES[lang])
    tables = page.locator("table.stats")
    expect(tables.first).to_be_visible()
    text = page.locator("main").inner_text()
    if who == "lecteur":
        assert "×" in text and "< 5" in text.replace("\u00a0", " ")
    else:
        assert "×" not in text
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= (360 if phone else 1366), f"the page scrolls sideways ({width} px)"
    problems = axe_violations(page, page.url) + reference_problems(page, page.url)
    assert not problems, problems
    screenshot(page, f"protection-statistics-{who}-{lang}-{'phone' if phone else 'desktop'}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_protection_officer_enters_a_providers_month_on_a_phone(
    browser: Any, server: str, screenshot: Any, lang: str
) -> None:
    page = new_page(browser, server, phone=True)
    sign_in(page, "protection", lang)
    page.goto(f"/{lang}/" + ("vsbg/rapports/nouveau/" if lang == "fr" else "sgbv/reports/new/"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the form scrolls sideways on a phone ({width} px)"
    problems = axe_violations(page, page.url) + reference_problems(page, page.url)
    assert not problems, problems
    screenshot(page, f"protection-form-{lang}-phone")
    page.locator("select[name=provider]").select_option(index=1)
    page.locator("select[name=place]").select_option(index=1)
    page.locator("input[name=month]").fill(f"2014-{'11' if lang == 'fr' else '12'}")
    page.locator("details.audience").first.evaluate("d => { d.open = true; }")
    page.locator("input[name='inc__rape__f__18-59']").fill("2")
    page.locator("input[name=incidents]").fill("3")  # does not add up: refused
    page.get_by_role("button", name="Enregistrer" if lang == "fr" else "Save").click()
    expect(page.locator(".error-summary")).to_be_visible()
    problems = axe_violations(page, page.url) + reference_problems(page, page.url)
    assert not problems, problems
    screenshot(page, f"protection-form-refused-{lang}-phone")
