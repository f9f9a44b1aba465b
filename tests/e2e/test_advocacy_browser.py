"""Submissions by women's organisations and agreements in a real browser, over the demo
data set: axe-core finds no WCAG A/AA violation on their pages in French and English at
1366 and 360 px (no page wider than the phone), and the Gao focal point enters a
submission and records a recommendation's follow-up on a phone. Screenshots go to
var/screenshots/advocacy/."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_accessibility_browser import SIZES, Checker, url


def _context(browser: Any, server: str, lang: str, size: str) -> Any:
    return browser.new_context(
        base_url=server,
        viewport=SIZES[size],
        is_mobile=size == "phone",
        has_touch=size == "phone",
        device_scale_factor=1,
        locale="fr-FR" if lang == "fr" else "en-GB",
    )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_submission_and_agreement_pages_pass_axe_and_fit_the_screen(
    browser: Any, server: str, lang: str, size: str
) -> None:
    context = _context(browser, server, lang, size)
    page = context.new_page()
    page.set_default_timeout(20_000)
    c = Checker(page, lang, size)
    c.sign_in("agent")
    folder = SCREENSHOTS / "advocacy"
    folder.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        page.screenshot(path=str(folder / f"{lang}-{size}-{name}.png"), full_page=True)

    page.goto(url(lang, "bodies:list"))
    c.follow(page.get_by_role("link", name=re.compile(r"médiation, Alger|Mediation team")))
    c.check("body page")
    shot("body")
    body = page.url
    c.follow(page.locator(".record-cards a", has_text=re.compile("Mémorandum")))
    c.check("submission page")
    shot("submission")
    c.follow(page.get_by_role("link", name=re.compile("suivi|follow-up")).first)
    c.check("follow-up page")
    shot("follow-up")
    page.goto(body)
    c.follow(page.locator(".record-cards a", has_text=re.compile("Accord pour la paix")))
    c.check("agreement page")
    shot("agreement")
    page.goto(body)
    c.follow(
        page.get_by_role("link", name=re.compile("Saisir une contribution|Enter a submission"))
    )
    c.follow(page.locator("main form button[value=submit]"))
    c.check("new submission, refused")
    shot("submission-refused")
    page.goto(body)
    c.follow(page.get_by_role("link", name=re.compile("Saisir un accord|Enter an agreement")))
    c.check("new agreement")
    shot("agreement-new")
    context.close()
    assert not c.problems, "\n".join(c.problems)


def test_a_focal_point_enters_a_submission_and_its_follow_up_on_a_phone(
    browser: Any, server: str
) -> None:
    context = _context(browser, server, "fr", "phone")
    page = context.new_page()
    page.set_default_timeout(20_000)
    c = Checker(page, "fr", "phone")
    c.sign_in("gao")
    page.goto(url("fr", "bodies:list"))
    c.follow(page.get_by_role("link", name=re.compile("réconciliation de Gao")))
    c.follow(page.get_by_role("link", name="Saisir une contribution"))
    page.get_by_label("Type de document").select_option("declaration")
    page.get_by_label("Titre").fill("Déclaration des femmes de Gao (test)")
    page.get_by_label("Présentée le").fill("2016-03-08")
    page.get_by_label(re.compile("CAFO")).check()
    page.get_by_label("Recommandations, une par ligne").fill(
        "Un tiers de femmes au comité\nUn fonds pour les victimes"
    )
    page.get_by_label("Document source").fill("Déclaration du 8 mars")
    c.follow(page.get_by_role("button", name="Soumettre pour validation"))
    expect(page.locator("h1")).to_have_text("Déclaration des femmes de Gao (test)")
    c.follow(page.get_by_role("link", name="Mettre à jour le suivi").first)
    page.get_by_label("reçue").check()
    page.get_by_label("Date", exact=True).fill("2016-04-01")
    c.follow(page.get_by_role("button", name="Enregistrer le suivi"))
    expect(page.locator(".recommendations li").first).to_contain_text("reçue")
    c.check("submission after its follow-up")
    context.close()
    assert not c.problems, "\n".join(c.problems)
