"""Women at the table's doors in a real browser, over the demo data set: the public
participation figures, a figure's compositions, the drill-down from the dashboard and the
import page pass axe-core (WCAG A/AA) in French and English at 1366 and 360 px, no page
wider than the phone. Screenshots go to var/screenshots/table-doors/."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_accessibility_browser import SIZES, Checker, url


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_participation_pages_pass_axe_and_fit_the_screen(
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
    folder = SCREENSHOTS / "table-doors"
    folder.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        page.screenshot(path=str(folder / f"{lang}-{size}-{name}.png"), full_page=True)

    c.visit(url(lang, "web:figures-year", 2018), "public figures 2018")
    expect(page.locator("#participation")).to_be_visible()
    expect(page.locator(".participation .figure").first).to_contain_text("34")
    shot("public")
    c.visit(url(lang, "web:figure-activities", 2018, "share-women-seats-government"), "figure")
    shot("figure")
    c.sign_in("agent")
    c.visit(url(lang, "web:dashboard", query="period=2018"), "dashboard 2018")
    c.follow(page.locator("[data-panel=women-at-the-table] td a").first)
    c.check("the compositions behind a share")
    expect(page.locator("main table tbody tr").first).to_be_visible()
    shot("drill-down")
    c.visit(url(lang, "bodies:import"), "import")
    shot("import")
    context.close()
    assert not c.problems, "\n".join(c.problems)
