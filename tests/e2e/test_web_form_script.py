"""The activity form's small script (web/static/web/activity-form.js), in a real browser:
running totals of the participation grid in the page's language, and a region list that
narrows the place list to that region. The form itself works without it (tested through
HTTP in tests/test_web_activities.py)."""

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import new_page, sign_in

NNBSP = "\u202f"


def test_running_totals_follow_what_is_typed(browser: Any, server: str) -> None:
    page = new_page(browser, server, phone=True)
    sign_in(page, "agent")
    page.goto("/fr/activites/nouvelle/")
    total = page.locator("[data-total]")
    expect(total).to_have_text("0")
    page.locator("summary", has_text="Grand public").click()
    page.get_by_label("Grand public, femme, 18 ans et plus").fill("1200")
    page.get_by_label("Grand public, homme, 18 ans et plus").fill("34")
    expect(total).to_have_text(f"1{NNBSP}234")
    subtotal = page.locator("details", has_text="Grand public").locator("[data-subtotal]")
    expect(subtotal).to_have_text(f"1{NNBSP}234")
    page.locator("summary", has_text="Étudiants").click()
    page.get_by_label("Étudiants, femme, Moins de 18 ans").fill("6")
    expect(total).to_have_text(f"1{NNBSP}240")
    page.get_by_label("Grand public, homme, 18 ans et plus").fill("")
    expect(total).to_have_text(f"1{NNBSP}206")


def test_a_region_list_narrows_the_places(browser: Any, server: str) -> None:
    page = new_page(browser, server)
    sign_in(page, "agent", lang="en")
    page.goto("/en/activities/new/")
    place = page.get_by_label("Place", exact=True)
    all_places = place.locator("option").count()
    region = page.get_by_label("Region", exact=True)
    region.select_option(label="Gao")
    texts = [t.strip() for t in place.locator("option").all_inner_texts()]
    assert len(texts) < all_places
    assert all("Gao" in t or t == "—" for t in texts[:2]), texts
    assert place.input_value() != ""  # the region itself is chosen, ready to narrow
