"""Elections in a browser: the elections page and an election's lists with their
compliance read at 1366 and 360 px, in French and English, with no axe violation and no
page wider than the screen; a focal point enters a list on a phone as a string of F/M."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, reference_problems
from tests.e2e.conftest import new_page, sign_in

GAO = {"fr": "Communales partielles, région de Gao", "en": "Partial communal elections, Gao"}


def _no_problem(page: Any, limit: int) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= limit, f"the page scrolls sideways ({width} px)"
    problems = axe_violations(page, page.url) + reference_problems(page, page.url)
    assert not problems, problems


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_election_pages_read_at_every_size(
    browser: Any, server: str, screenshot: Any, lang: str, phone: bool
) -> None:
    page = new_page(browser, server, phone=phone)
    sign_in(page, "agent", lang)
    page.goto(f"/{lang}/elections/")
    _no_problem(page, 360 if phone else 1366)
    screenshot(page, f"elections-{lang}-{'phone' if phone else 'desktop'}")
    page.get_by_role("link", name=re.compile(GAO[lang])).click()
    expect(page.locator(".verdict--fails").first).to_be_visible()
    _no_problem(page, 360 if phone else 1366)
    screenshot(page, f"election-gao-{lang}-{'phone' if phone else 'desktop'}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_focal_point_enters_a_list_on_a_phone(
    browser: Any, server: str, screenshot: Any, lang: str
) -> None:
    page = new_page(browser, server, phone=True)
    sign_in(page, "gao", lang)
    page.goto(f"/{lang}/elections/")
    page.get_by_role("link", name=re.compile(GAO[lang])).click()
    page.get_by_role("link", name=re.compile("Saisir une liste|Enter a candidate list")).click()
    _no_problem(page, 360)
    page.locator("#id_party").fill(f"Liste E2E {lang}")
    page.locator("#id_council").select_option("communal-council")
    page.locator("#id_place").select_option(index=1)
    page.locator("#id_candidates").fill("1F 2M 2F")  # position 2 twice, none at 3
    page.locator("#id_source_document").fill("Liste déposée")
    page.locator("button[value=draft]").click()
    expect(page.locator("#id_candidates_error")).to_be_visible()
    _no_problem(page, 360)
    screenshot(page, f"election-list-refused-{lang}-phone")
    page.locator("#id_candidates").fill("FMMFMMF")
    page.locator("button[value=submit]").click()
    expect(page.locator(".verdict--meets").first).to_be_visible()
    _no_problem(page, 360)  # with the "saved" message (a list inside role=status)
    screenshot(page, f"election-list-{lang}-phone")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_an_officer_imports_candidate_lists_and_reads_each_problem(
    browser: Any, server: str, screenshot: Any, lang: str, phone: bool, tmp_path: Any
) -> None:
    page = new_page(browser, server, phone=phone)
    sign_in(page, "agent", lang)
    page.goto(f"/{lang}/elections/")
    page.get_by_role("link", name=re.compile("Importer des listes|Import candidate lists")).click()
    _no_problem(page, 360 if phone else 1366)
    bad = tmp_path / "lists.csv"
    bad.write_text(
        "election,party,body,place (P-code),candidates (F/M),women elected,men elected,"
        "positions elected,source\n"
        "communales-2099,Liste X,communal-council,ML07,FMF,,,,Liste\n"
        "communales-partielles-gao-illustratif,Liste Y,communal-council,ML07,FMX,3,,,Liste\n",
        encoding="utf-8",
    )
    page.locator("#id_file").set_input_files(str(bad))
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_text(re.compile("communales-2099")).first).to_be_visible()
    _no_problem(page, 360 if phone else 1366)
    screenshot(page, f"election-lists-import-{lang}-{'phone' if phone else 'desktop'}")
