"""The reports page in a real browser, on a desktop (1366 px) and a phone (360 px), in
French and English: it opens on 2014 (the latest year with data), period and scope are
picked from lists, the officer writes the unit's text, and the report shows it."""

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import new_page, sign_in


def test_an_officer_picks_a_period_and_writes_the_units_text(
    browser: Any, server: str, screenshot: Any
) -> None:
    page = new_page(browser, server)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "agent")
    page.goto("/fr/rapports/")
    period = page.get_by_label("Période")
    expect(period).to_have_value("2014")
    page.get_by_label("Périmètre").select_option("ML07")
    period.select_option("2014-Q4")
    page.get_by_role("button", name="Afficher le rapport").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Rapport de l'Unité Genre")
    expect(page.locator(".running-head")).to_contain_text("T4 2014 · Gao (région)")
    page.get_by_text("Le texte de l'Unité").click()
    page.get_by_label("Faits marquants (français)").fill("Une fin d'année chargée à Gao.")
    page.get_by_label("Faits marquants (anglais)").fill("A busy year's end in Gao.")
    page.get_by_role("button", name="Enregistrer le texte").click()
    expect(page.locator("#unit-text")).to_contain_text("Une fin d'année chargée à Gao.")
    screenshot(page, "reports-page-fr-1366")

    page.get_by_role("link", name="English").click()
    page.get_by_role("combobox", name="Language").select_option("en")
    page.get_by_role("button", name="Show the report").click()
    expect(page.locator("#unit-text")).to_contain_text("A busy year's end in Gao.")
    expect(page.locator(".running-head")).to_contain_text("Q4 2014 · Gao (region)")
    screenshot(page, "reports-page-en-1366")


def test_the_reports_page_fits_a_phone(browser: Any, server: str, screenshot: Any) -> None:
    page = new_page(browser, server, phone=True)
    sign_in(page, "agent")
    for lang, button in (("fr", "Afficher le rapport"), ("en", "Show the report")):
        page.goto(f"/{lang}/{'rapports' if lang == 'fr' else 'reports'}/")
        page.get_by_role("button", name=button).click()
        expect(page.locator(".report")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
        expect(page.get_by_role("combobox", name=re.compile("Period|Période"))).to_be_visible()
        screenshot(page, f"reports-page-{lang}-360")
