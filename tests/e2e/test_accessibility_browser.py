"""WCAG 2.1 AA in a real browser: axe-core on every kind of page, in French and English,
on a desktop (1366 px) and a phone (360 px), with the forms showing their errors and
every disclosure opened; and no page wider than the screen, down to 320 px.

One browser context per language and size: its pages are loaded once and checked at
that size (and, on the phone, again at 320 px wide without reloading). Set
MUSOW_A11Y_SCREENSHOTS=1 to keep a full-page screenshot of each under
var/screenshots/a11y/.
"""

import os
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tests.e2e.axe import axe_version, axe_violations, reference_problems
from tests.e2e.conftest import DEMO_PASSWORD, SCREENSHOTS

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
NARROWEST = 320
BAD_IMPORT = (
    "titre,type d'activité,date de début,date de fin,lieu\n"
    "Causerie sur les VBG,séance de sensibilisation,2014-13-45,2014-12-02,Nulle-part\n"
    ",inconnu,,,\n"
)


def url(lang: str, name: str, *args: Any, query: str = "") -> str:
    with translation.override(lang):
        path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


class Checker:
    """Loads pages in one browser context and records what is wrong with each."""

    def __init__(self, page: Any, lang: str, size: str) -> None:
        self.page, self.lang, self.size = page, lang, size
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, name: str, page: Any = None) -> None:
        page = page or self.page
        where = f"{self.lang}/{self.size}/{name}"
        self.problems += axe_violations(page, where)
        self.problems += reference_problems(page, where)
        widths = [page.viewport_size["width"]]
        if self.size == "phone":
            widths.append(NARROWEST)
        for width in widths:
            page.set_viewport_size({"width": width, "height": SIZES[self.size]["height"]})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                wide = page.evaluate(
                    """(w) => Array.from(document.querySelectorAll("body *"))
                        .filter((e) => e.getBoundingClientRect().right > w + 1)
                        .filter((e) => !e.closest("[role=region][tabindex='0']"))
                        .slice(0, 4).map((e) => e.tagName.toLowerCase() + "."
                          + String(e.className).replace(/ /g, "."))""",
                    width,
                )
                self.problems.append(
                    f"{where}: the page is {scroll_width} px wide in a {width}-px window ({wide})"
                )
            if os.getenv("MUSOW_A11Y_SCREENSHOTS"):
                folder = SCREENSHOTS / "a11y"
                folder.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"[^a-z0-9]+", "-", name.lower())
                page.screenshot(
                    path=str(folder / f"{self.lang}-{width}-{slug}.png"), full_page=True
                )
        page.set_viewport_size(SIZES[self.size])
        self.checked.append(name)

    def visit(self, path: str, name: str) -> None:
        self.page.goto(path)
        self.check(name)

    def sign_in(self, username: str) -> None:
        page = self.page
        page.goto(url(self.lang, "web:login"))
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(DEMO_PASSWORD)
        self.follow(page.locator("main form button[type=submit]"))
        assert "sign-in" not in page.url and "connexion" not in page.url

    def sign_out(self) -> None:
        self.follow(self.page.locator(".sign-out button"))

    def follow(self, target: Any) -> None:
        """Click a link or a button, and wait for the page it leads to."""
        with self.page.expect_navigation():
            target.click()
        self.page.wait_for_load_state()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(
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
    L = lang

    # Public pages
    c.visit(url(L, "web:figures-year", 2014), "public figures")
    group_link = page.locator("ul.groups a").first.get_attribute("href")
    figure_link = page.locator("ul.figures a").first.get_attribute("href")
    c.visit(figure_link, "public figure and its activities")
    c.visit(group_link, "public group of activities")
    c.visit(f"/{L}/nowhere/", "page not found")

    # Sign-in, refused (an unknown name: no real account is locked)
    page.goto(url(L, "web:login"))
    c.check("sign-in")
    page.locator("#id_username").fill(f"nobody-{lang}-{size}")
    page.locator("#id_password").fill("wrong")
    c.follow(page.locator("main form button[type=submit]"))
    c.check("sign-in refused")

    # A gender officer: the list, an activity, the forms with their errors, the dashboard,
    # the import page with a report, the reports page with a report and with an error
    c.sign_in("agent")
    c.visit(url(L, "web:activities"), "activity list")
    c.visit(url(L, "web:activities", query="period=2014-99"), "activity list, bad filter")
    c.visit(url(L, "web:activities", query="status=draft"), "activity list, drafts")
    c.follow(page.locator("table.activity-list tbody a").first)
    c.check("activity page (draft)")
    c.follow(page.locator("a.button--secondary").first)
    page.locator("#id_title").fill("")
    page.locator("#id_end_date").fill("2014-01-01")
    page.locator("#id_start_date").fill("2014-02-01")
    c.follow(page.locator(".sticky-actions button").last)
    c.check("edit form with errors")
    c.visit(url(L, "web:activities", query="status=validated"), "activity list, validated")
    c.follow(page.locator("table.activity-list tbody a").first)
    c.check("activity page (validated)")
    page.goto(url(L, "web:activity-new"))
    c.check("new activity form")
    page.locator("details.audience input.count").first.fill("-3")
    page.locator("#id_participants_total").fill("5")
    c.follow(page.locator(".sticky-actions button").last)
    c.check("new activity form with errors")
    c.visit(url(L, "web:dashboard", query="period=2014"), "dashboard, officer")
    c.visit(url(L, "web:dashboard", query="period=2014-99"), "dashboard, bad period")
    page.goto(url(L, "intake:home"))
    page.locator("input[type=file]").set_input_files(
        {"name": "activites.csv", "mimeType": "text/csv", "buffer": BAD_IMPORT.encode()}
    )
    c.follow(page.locator("main form button[type=submit]"))
    c.check("import page with its report")
    page.goto(url(L, "intake:home"))
    c.follow(page.locator("main form button[type=submit]"))
    c.check("import page without a file")
    c.visit(url(L, "reports:report"), "reports page")
    c.visit(url(L, "reports:report", query="period=2014"), "reports page with a report")
    c.visit(url(L, "reports:report", query="period=20x4"), "reports page with an error")
    download = page.request.get(
        url(L, "reports:report", query=f"period=2014&format=html&lang={L}&download=1")
    )
    assert download.ok
    document = context.new_page()  # a blank page, as a file opened from disk (no CSP)
    document.set_content(download.text())
    c.check("downloaded HTML report", document)
    document.close()
    c.sign_out()

    # A focal point and a viewer: the dashboard within their scope
    c.sign_in("gao")
    c.visit(url(L, "web:dashboard", query="period=2014"), "dashboard, focal point")
    c.sign_out()
    c.sign_in("lecteur")
    c.visit(url(L, "web:dashboard", query="period=2014"), "dashboard, viewer")
    c.visit(url(L, "reports:report", query="period=2014"), "report, viewer")
    c.visit(url(L, "web:activities"), "not allowed (a viewer on the activity list)")
    c.sign_out()

    # The unit admin: users, a new account with its errors, a password with its errors
    c.sign_in("admin")
    c.visit(url(L, "web:users"), "users")
    page.goto(url(L, "web:user-new"))
    c.follow(page.locator("main form button[type=submit]"))
    c.check("new account with errors")
    page.goto(url(L, "web:users"))
    c.follow(page.locator("table a", has_text="lecteur"))
    c.check("account")
    c.follow(page.locator("main a[href*='password'], main a[href*='mot-de-passe']").first)
    page.locator("input[type=password]").first.fill("a-first-long-password-2014")
    page.locator("input[type=password]").last.fill("another-long-password-2014")
    c.follow(page.locator("main form button[type=submit]"))
    c.check("new password with errors")
    version = axe_version(page)
    context.close()

    assert len(c.checked) >= 30, c.checked
    assert not c.problems, f"axe-core {version}:\n" + "\n".join(c.problems)
