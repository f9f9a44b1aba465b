"""Gender reviews in a real browser, over the demo data set: axe-core finds no WCAG A/AA
violation on the reviews pages in French and English at 1366 and 360 px (no page wider
than the phone), and a gender officer records a recommendation's follow-up on a phone.
Screenshots of each page go to var/screenshots/mainstreaming/."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_accessibility_browser import SIZES, Checker, url


def _review_link(page: Any, text: str) -> str:
    href = page.locator("table a", has_text=re.compile(text)).first.get_attribute("href")
    assert href
    return href


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_reviews_pages_pass_axe_and_fit_the_screen(
    browser: Any, server: str, lang: str, size: str
) -> None:
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
    c.sign_in("agent")
    folder = SCREENSHOTS / "mainstreaming"
    folder.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        page.screenshot(path=str(folder / f"{lang}-{size}-{name}.png"), full_page=True)

    c.visit(url(lang, "mainstreaming:reviews"), "reviews list")
    expect(page.locator(".overdue-list tbody tr").first).to_be_visible()
    shot("list")
    c.visit(_review_link(page, "Gao"), "review page")
    for details in page.locator("details").all():
        details.evaluate("(d) => d.open = true")
    c.check("review page, follow-up forms open")
    shot("review")
    c.visit(url(lang, "mainstreaming:review-new"), "new review")
    c.follow(page.locator("main form button[type=submit]"))
    c.check("new review, refused")
    shot("new-refused")
    c.visit(url(lang, "mainstreaming:projects"), "projects")
    shot("projects")
    context.close()
    assert not c.problems, "\n".join(c.problems)


def test_an_officer_records_a_follow_up_on_a_phone(browser: Any, server: str) -> None:
    context = browser.new_context(
        base_url=server,
        viewport=SIZES["phone"],
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
        locale="fr-FR",
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    c = Checker(page, "fr", "phone")
    c.sign_in("agent")
    page.goto(url("fr", "mainstreaming:reviews"))
    c.follow(page.locator(".overdue-list tbody a", has_text="analyse de genre").first)
    item = page.locator("li.recommendation", has_text="analyse de genre")
    item.locator("summary").click()
    item.get_by_label("Nouveau statut").select_option("accepted")
    item.get_by_label("Le", exact=True).fill("2014-09-01")
    c.follow(item.get_by_role("button", name="Enregistrer"))
    expect(page.locator(".messages")).to_contain_text("Le suivi est enregistré")
    item = page.locator("li.recommendation", has_text="analyse de genre")
    expect(item.locator(".status")).to_have_text("acceptée")
    page.screenshot(
        path=str(SCREENSHOTS / "mainstreaming" / "fr-phone-follow-up.png"), full_page=True
    )
    context.close()
