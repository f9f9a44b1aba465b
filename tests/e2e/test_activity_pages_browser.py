"""The activity pages in a real browser (issue 15): the form's errors all at once and the
declared total's mismatch as it happens, the partners' filter, and tables that fit a
360-px phone. Screenshots of each page at both sizes, in French and English, under
var/screenshots/."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import new_page, sign_in

NEW = {"fr": "/fr/activites/nouvelle/", "en": "/en/activities/new/"}
LIST = {"fr": "/fr/activites/", "en": "/en/activities/"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_form_reports_every_error_at_once_and_the_mismatch_as_it_happens(
    browser: Any, server: str, screenshot: Any, lang: str
) -> None:
    page = new_page(browser, server, phone=True)
    sign_in(page, "agent", lang=lang)
    page.goto(NEW[lang])
    page.locator("input[name=title]").fill("Causerie")
    page.locator("input[name=start_date]").fill("2014-11-28")
    page.locator("input[name=end_date]").fill("2014-11-01")
    page.locator("details.audience summary").first.click()
    cells = page.locator("details.audience").first.locator("input.count")
    cells.nth(0).fill("40")
    cells.nth(1).fill("-3")
    mismatch = page.locator("[data-mismatch]")
    expect(mismatch).to_be_hidden()
    page.locator("input[name=participants_total]").fill("60")
    expect(mismatch).to_be_visible()
    expect(mismatch).to_contain_text("40")
    expect(mismatch).to_contain_text("60")
    page.locator("input[name=participants_total]").fill("40")
    expect(mismatch).to_be_hidden()  # agrees again
    page.locator("input[name=participants_total]").fill("60")
    screenshot(page, f"issue15-form-mismatch-{lang}-phone")
    page.locator("button[value=draft]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    # type, place, end date, a negative count and the total: five problems in one round
    expect(summary.locator("li")).to_have_count(5)
    expect(summary).to_contain_text("40")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"issue15-form-errors-{lang}-phone")


def test_partners_are_ticked_after_filtering_the_list(
    browser: Any, server: str, screenshot: Any
) -> None:
    page = new_page(browser, server, phone=True)
    sign_in(page, "agent")
    page.goto(NEW["fr"])
    page.get_by_label("Chercher un partenaire").fill("feminines")  # accents need not be typed
    boxes = page.locator("[data-picker] input[type=checkbox]")
    visible = [b for b in boxes.all() if b.is_visible()]
    assert 1 <= len(visible) < boxes.count()
    page.get_by_label(re.compile("CAFO")).check()
    expect(page.locator(".picker__chosen")).to_contain_text("CAFO")
    screenshot(page, "issue15-partners-fr-phone")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_activity_page_and_the_list_fit_a_phone(
    browser: Any, server: str, screenshot: Any, lang: str
) -> None:
    for phone in (True, False):
        size = "phone" if phone else "desktop"
        page = new_page(browser, server, phone=phone)
        sign_in(page, "agent", lang=lang)
        page.goto(LIST[lang])
        width = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"issue15-list-{lang}-{size}")
        page.locator("table.activity-list tbody a").nth(2).click()
        table = page.locator("table.participation-table")
        expect(table).to_be_visible()
        total = table.locator("thead th").last
        box = total.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width  # Total in view
        main = page.locator("main").bounding_box()
        assert main is not None
        right = table.bounding_box()
        assert right is not None and right["x"] + right["width"] <= main["x"] + main["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"issue15-activity-{lang}-{size}")
