"""The trainings pages in Chromium, on a 360-px phone and a 1366-px desktop, in French and
English: no axe-core violation, nothing wider than the screen but the scrolling tables;
screenshots in var/screenshots/ (trainings-*)."""

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import new_page, sign_in

WIDE = {"width": 1366, "height": 900}
BAD_EXPORT = (
    Path(__file__).parents[1] / "data" / "exports" / "course" / "kobo-course-bad-labels-fr.xlsx"
)


def _overflow(page: Any) -> int:
    """How far the page (outside the tables' scrolling boxes) is wider than the screen."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1366px"])
def test_the_course_pages_read_on_a_phone_and_a_desktop(browser, server, screenshot, lang, phone):
    page = new_page(browser, server, phone=phone)
    if not phone:
        page.set_viewport_size(WIDE)
    size = "360" if phone else "1366"
    sign_in(page, "agent", lang)
    page.get_by_role("link", name=re.compile(r"^(formations|trainings)$", re.I)).first.click()
    assert page.locator("h1").inner_text().strip() in ("Formations", "Trainings")
    assert not axe_violations(page, f"courses {lang} {size}")
    screenshot(page, f"trainings-courses-{lang}-{size}")
    page.get_by_role("link", name=re.compile("induction", re.I)).first.click()
    assert page.locator("meter").count() >= 4
    assert "1" in page.locator("dd.figure").first.inner_text()
    assert _overflow(page) <= 1
    assert not axe_violations(page, f"course {lang} {size}")
    screenshot(page, f"trainings-course-{lang}-{size}")
    page.locator("ul.sessions a").first.click()
    assert page.locator("table code").count() > 10
    assert _overflow(page) <= 1
    assert not axe_violations(page, f"session {lang} {size}")
    screenshot(page, f"trainings-session-{lang}-{size}")
    # The session's Import scores page: a Kobo export of the course's test with problems
    # (made by KoboToolbox's export code): the report in the page, nothing written.
    page.get_by_role("link", name=re.compile(r"importer les scores|import scores", re.I)).click()
    page.set_input_files("input[type=file]", str(BAD_EXPORT))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".import-report .notice--error").count() == 1
    assert page.get_by_text(re.compile("« d »|“d”")).count() == 1
    assert _overflow(page) <= 1
    assert not axe_violations(page, f"scores {lang} {size}")
    screenshot(page, f"trainings-scores-{lang}-{size}")
    page.context.close()
