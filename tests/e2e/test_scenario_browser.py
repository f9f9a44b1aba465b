"""The unit's day, in a real browser: the Gao focal point enters an awareness session of
the 16 Days with its participation on a phone and submits it; a gender officer validates
it; the dashboard's figure grows by its participants; the officer switches to English."""

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import new_page, sign_in

NNBSP = "\u202f"
VAWG = '[data-indicator="people-sensitised-vawg"]'
WOMEN, MEN = 40, 25
TITLE = "Causerie sur les VBG au marché de Gao"


def figure_value(page: Any) -> int:
    text = page.locator(VAWG).locator(".dash-figure__value").inner_text()
    return int(re.sub(r"\D", "", text))


def french(n: int) -> str:
    return f"{n:,}".replace(",", NNBSP)


def test_an_activity_entered_on_a_phone_counts_once_validated(
    browser: Any, server: str, screenshot: Any
) -> None:
    officer = new_page(browser, server)
    sign_in(officer, "agent")
    officer.goto("/fr/tableau-de-bord/?period=2014")
    before = figure_value(officer)

    # The Gao focal point, on a phone
    phone = new_page(browser, server, phone=True)
    sign_in(phone, "gao")
    phone.get_by_role("link", name="Nouvelle activité").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Nouvelle activité")
    phone.get_by_label("Titre").fill(TITLE)
    phone.get_by_label("Type d'activité").select_option(label="Séance de sensibilisation")
    phone.get_by_label("Violences faites aux femmes et aux filles (VBG/VSBG)").check()
    phone.get_by_label("Date de début").fill("2014-12-02")
    phone.get_by_label("Date de fin").fill("2014-12-02")
    place = phone.get_by_label("Lieu", exact=True)
    gao = place.locator("option", has_text=re.compile(r"^\W*Gao\b")).first
    place.select_option(value=gao.get_attribute("value"))
    phone.get_by_label("Campagne").select_option(
        label="16 jours d'activisme contre la violence basée sur le genre 2014"
    )
    phone.locator("summary", has_text="Grand public").click()
    phone.get_by_label("Grand public, femme, 18 ans et plus").fill(str(WOMEN))
    phone.get_by_label("Grand public, homme, 18 ans et plus").fill(str(MEN))
    screenshot(phone, "activity-entry-phone")
    phone.get_by_role("button", name="Soumettre pour validation").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(phone.locator("main")).to_contain_text("soumise")
    activity_url = phone.url
    screenshot(phone, "activity-submitted-phone")

    # Submitted is not validated: the official figure has not moved
    officer.reload()
    assert figure_value(officer) == before

    # The officer validates it
    officer.goto(activity_url)
    expect(officer.get_by_role("heading", level=1)).to_have_text(TITLE)
    officer.get_by_role("button", name="Valider", exact=True).click()
    expect(officer.locator("main")).to_contain_text("validée")
    screenshot(officer, "activity-validated")

    # The dashboard figure grows by the activity's participants
    officer.goto("/fr/tableau-de-bord/?period=2014")
    after = before + WOMEN + MEN
    expect(officer.locator(VAWG)).to_contain_text(french(after))
    screenshot(officer, "dashboard-after-validation-fr")

    # …and reads in English
    officer.get_by_role("link", name="English").click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Dashboard")
    expect(officer.locator(VAWG)).to_contain_text(f"{after:,}")
    screenshot(officer, "dashboard-after-validation-en")


def test_the_entry_form_fits_a_phone(browser: Any, server: str) -> None:
    phone = new_page(browser, server, phone=True)
    sign_in(phone, "gao")
    phone.get_by_role("link", name="Nouvelle activité").click()
    phone.locator("summary", has_text="Grand public").click()
    overflowing = phone.evaluate(
        """() => Array.from(document.querySelectorAll("main *"))
            .filter((e) => e.getBoundingClientRect().right > 361)
            .slice(0, 5)
            .map((e) => e.tagName + "." + e.className)"""
    )
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the entry form is {width} px wide on a 360-px phone: {overflowing}"
