"""By keyboard alone, in a real browser: sign in, enter an activity with its participation
grid, submit it with a field left empty, reach that error from the summary the page
opens on, correct it, submit. At every step the test asserts where the focus is, that
it shows (a focus ring), and that it is on screen, never under the sticky button bar
(WCAG 2.1.1, 2.4.3, 2.4.7, 3.3.1; 2.4.11 of WCAG 2.2).

French on a phone (360 px, where the button bar does not stick) and English on a
desktop (1366 px, where it does)."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
WORDS = {
    "fr": {
        "locale": "fr-FR",
        "sign in": "/fr/connexion/",
        "new": "Nouvelle activité",
        "type": "Séance de sensibilisation",
        "theme": "Violences faites aux femmes et aux filles (VBG/VSBG)",
        "region": "Gao",
        "audience": "Grand public",
        "women": "Grand public, femme, 18 ans et plus",
        "men": "Grand public, homme, 18 ans et plus",
        "submit": "Soumettre pour validation",
        "error title": "Erreur\u00a0: ",
        "end date": "Date de fin",
        "submitted": "soumise",
    },
    "en": {
        "locale": "en-GB",
        "sign in": "/en/sign-in/",
        "new": "New activity",
        "type": "Awareness session",
        "theme": "Violence against women and girls (GBV/SGBV)",
        "region": "Gao",
        "audience": "General public",
        "women": "General public, female, 18 and over",
        "men": "General public, male, 18 and over",
        "submit": "Submit for validation",
        "error title": "Error: ",
        "end date": "End date",
        "submitted": "submitted",
    },
}

FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) {
    return {where: "nowhere"};
  }
  const r = e.getBoundingClientRect();
  const style = getComputedStyle(e);
  // A date field's calendar button (inside the browser's own shadow tree) takes the
  // focus without the field matching :focus; it then shows the browser's focus ring.
  const calendar = e.matches("input[type=date]") && !e.matches(":focus");
  const ring = calendar || ((style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none") && e.matches(":focus-visible");
  const bar = document.querySelector(".sticky-actions");
  const sticky = bar && getComputedStyle(bar).position === "sticky" && !bar.contains(e);
  const top = sticky ? bar.getBoundingClientRect().top : innerHeight;
  return {
    where: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
      + " “" + (e.innerText || e.value || "").trim().slice(0, 40) + "”",
    ring: ring,
    rect: [Math.round(r.top), Math.round(r.bottom), innerHeight],
    onScreen: r.bottom > 0 && r.top >= 0 && r.bottom <= innerHeight + 0.5,
    clearOfBar: r.bottom <= top + 0.5,
  };
}"""


class Walker:
    """Presses keys and checks the focus after each one."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.steps = 0

    def check(self) -> dict[str, Any]:
        focus = self.page.evaluate(FOCUS)
        where = focus["where"]
        assert where != "nowhere", f"step {self.steps}: the focus is lost (on the page itself)"
        assert focus["ring"], f"step {self.steps}: the focus on {where} does not show"
        assert focus["onScreen"], (
            f"step {self.steps}: {where} has the focus but is off screen "
            f"(top, bottom, window: {focus['rect']})"
        )
        assert focus["clearOfBar"], f"step {self.steps}: {where} is hidden by the button bar"
        return focus

    def press(self, key: str) -> dict[str, Any]:
        self.page.keyboard.press(key)
        self.steps += 1
        return self.check()

    def tab_to(self, target: Any, limit: int = 80) -> None:
        """Tab until `target` (a locator) has the focus, checking every stop on the way."""
        for _ in range(limit):
            self.press("Tab")
            if target.evaluate("(e) => e === document.activeElement"):
                return
        raise AssertionError(f"{limit} presses of Tab never reached {target}")

    def choose(self, select: Any, label: str) -> None:
        """Go down a focused list with the arrow key until `label` is chosen."""
        wanted = select.locator("option", has_text=label).first.get_attribute("value")
        for _ in range(60):
            if select.input_value() == wanted:
                return
            self.press("ArrowDown")
        raise AssertionError(f"the arrow keys never reached “{label}”")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.check()

    def submit(self) -> None:
        """Enter on the focused button, and wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.page.wait_for_load_state()
        self.steps += 1


@pytest.mark.parametrize(("lang", "size"), [("fr", "phone"), ("en", "desktop")])
def test_an_activity_is_entered_and_corrected_by_keyboard_alone(
    browser: Any, server: str, lang: str, size: str
) -> None:
    w = WORDS[lang]
    context = browser.new_context(
        base_url=server,
        viewport=SIZES[size],
        is_mobile=size == "phone",
        device_scale_factor=1,
        locale=w["locale"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    walk = Walker(page)
    title = f"Causerie VBG au clavier ({lang}, {size})"

    # Signing in: the page opens in the username field
    page.goto(w["sign in"])
    expect(page.locator("#id_username")).to_be_focused()
    walk.type("agent")
    walk.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    walk.type(DEMO_PASSWORD)
    walk.submit()
    expect(page.locator(".sign-out button")).to_be_visible()

    # From the menu to the form
    walk.tab_to(page.locator(".staff-nav a", has_text=w["new"]))
    walk.submit()
    expect(page.get_by_role("heading", level=1)).to_have_text(w["new"])

    # The form, field by field; the end date is left empty
    walk.tab_to(page.locator("#id_title"))
    walk.type(title)
    walk.press("Tab")
    walk.choose(page.locator("#id_activity_type"), w["type"])
    walk.tab_to(page.get_by_label(w["theme"]))
    walk.press("Space")
    expect(page.get_by_label(w["theme"])).to_be_checked()
    walk.tab_to(page.locator("#id_start_date"))
    walk.type("12122014")  # the 12th of December: the same in day-first and month-first order
    assert page.locator("#id_start_date").input_value() == "2014-12-12"
    walk.tab_to(page.locator("#id_place-region"))  # the region list the script adds
    walk.choose(page.locator("#id_place-region"), w["region"])
    walk.press("Tab")
    expect(page.locator("#id_place")).to_be_focused()
    assert page.locator("#id_place option:checked").inner_text().strip().startswith("Gao")
    audience = page.locator("details.audience summary", has_text=w["audience"])
    walk.tab_to(audience)
    walk.press("Enter")
    expect(page.get_by_label(w["women"])).to_be_visible()
    walk.tab_to(page.get_by_label(w["women"]))
    walk.type("40")
    walk.tab_to(page.get_by_label(w["men"]))
    walk.type("25")
    walk.tab_to(page.get_by_role("button", name=w["submit"]))
    walk.submit()

    # Refused: the page opens on a summary of what is wrong, its title says so
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    walk.check()
    assert page.title().startswith(w["error title"]), page.title()
    link = summary.get_by_role("link", name=re.compile(w["end date"]))
    expect(link).to_have_count(1)
    expect(page.locator("#id_end_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_end_date")).to_have_accessible_description(
        re.compile(re.escape(page.locator("#id_end_date_error").inner_text()))
    )
    # what was typed is all there
    expect(page.locator("#id_title")).to_have_value(title)
    expect(page.get_by_label(w["women"])).to_have_value("40")

    # From the summary to the field, corrected, submitted again
    walk.tab_to(link, limit=5)
    walk.press("Enter")
    expect(page.locator("#id_end_date")).to_be_focused()
    walk.type("12122014")
    walk.tab_to(page.get_by_role("button", name=w["submit"]), limit=120)
    walk.submit()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text(w["submitted"])
    context.close()
