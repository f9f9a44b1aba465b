"""The reports page as the unit uses it (issue 15, items 11 and 12): it opens on the latest
year with data, period and scope are picked from lists within the user's rights, an empty
report cannot be issued, a change without previous data says "n/a"; the officer writes the
unit's own text in both languages, shown in the report and kept with its issue; the PDF
has a cover, a contents list and a landscape annex."""

import subprocess

import pytest
from django.utils import timezone

from musow.reports.models import IssuedReport
from tests.web_fixtures import FAST_HASHERS, World, build_world, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build_world(status="validated")  # activities in 2014


def page(world: World, role: str, lang: str = "fr", **params: str):
    return world.client(role).get(url("reports:report", lang=lang), params)


def test_the_page_opens_on_the_latest_year_with_data(world):
    assert timezone.localdate().year != 2014
    form = page(world, "officer").context["form"]
    assert form.initial["period"] == "2014"


def test_period_and_scope_are_picked_from_lists_within_the_users_rights(world):
    html = page(world, "officer").content.decode()
    assert '<select name="period"' in html and '<select name="scope"' in html
    assert '<option value="2014" selected>2014</option>' in html
    assert '<option value="2014-Q4">T4 2014</option>' in html
    assert '<option value="ML07">Gao</option>' in html
    assert '<option value="" selected>Toutes les régions</option>' in html
    focal = page(world, "focal_point", "en").content.decode()
    scopes = focal.split('<select name="scope"')[1].split("</select>")[0]
    assert 'value="ML07"' in scopes
    assert 'value="ML09"' not in scopes and 'value=""' not in scopes


def test_an_empty_report_has_no_issue_button_and_is_not_issued(world):
    html = page(world, "officer", period="2015", format="html").content.decode()
    assert "Émettre ce rapport" not in html and 'action="/fr/rapports/emettre/"' not in html
    data = {"period": "2015", "scope": "", "lang": "fr", "format": "html"}
    response = world.client("officer").post(url("reports:issue"), data)
    assert response.status_code == 400
    assert "Ce rapport n&#x27;a pas de données" in response.content.decode()
    assert not IssuedReport.objects.exists()
    shown = page(world, "officer", period="2014", format="html").content.decode()
    assert 'action="/fr/rapports/emettre/"' in shown


@pytest.mark.parametrize(("lang", "word"), [("fr", "n.d."), ("en", "n/a")])
def test_a_change_without_previous_data_says_not_available(world, lang, word):
    from musow.indicators.models import Indicator

    assert Indicator.objects.filter(objective__isnull=False).exists()
    response = page(world, "officer", lang, period="2014", format="json", download="1")
    framework = [i for m in response.json()["framework"] for i in m["indicators"]]
    assert framework and all(i["previous"] is None and i["change"] is None for i in framework)
    html = page(world, "officer", lang, period="2014", format="html").content.decode()
    assert f'<td class="num">{word}</td>' in html


def _save_text(world: World, **texts: str):
    data = {"period": "2014", "scope": "", "lang": "fr", **texts}
    return world.client("officer").post(url("reports:text"), data, follow=True)


def test_the_officer_writes_the_units_text_in_both_languages(world):
    response = _save_text(
        world,
        highlights_fr="Une année de mise en place.\n\nDes formations partout.",
        highlights_en="A founding year.",
        challenges_fr="L'insécurité au nord.",
        recommendations_en="Extend attendance lists.",
    )
    html = response.content.decode().replace("&#x27;", "'")
    assert "Le mot de l'Unité" in html and "Faits marquants" in html
    assert "<p>Une année de mise en place.</p>" in html and "<p>Des formations partout.</p>" in html
    assert "Recommandations" not in html.split("Le mot de l'Unité")[1].split("</section>")[0]
    english = page(world, "officer", "en", period="2014", format="html").content.decode()
    english = english.replace("&#x27;", "'").split('<article class="report"')[1]
    assert "The unit's account" in english and "A founding year." in english
    assert "Extend attendance lists." in english and "insécurité" not in english
    from musow.audit.models import Entry

    assert Entry.objects.filter(target_type="reports.reporttext").exists()


def test_the_units_text_is_kept_with_the_issued_report(world):
    _save_text(world, highlights_fr="Version émise.")
    data = {"period": "2014", "scope": "", "lang": "fr", "format": "html"}
    world.client("officer").post(url("reports:issue"), data)
    issued = IssuedReport.objects.get()
    assert issued.texts["highlights_fr"] == "Version émise."
    html = page(world, "officer", period="2014", format="html").content.decode()
    assert "émis le" in html
    _save_text(world, highlights_fr="Version revue.")
    assert IssuedReport.objects.get().texts["highlights_fr"] == "Version émise."
    html = page(world, "officer", period="2014", format="html").content.decode()
    assert "projet, non émis" in html  # the text changed since the issue


def test_only_validators_write_the_units_text(world):
    data = {"period": "2014", "scope": "", "lang": "fr", "highlights_fr": "x"}
    assert world.client("focal_point").post(url("reports:text"), data).status_code == 403
    assert "text_form" not in page(world, "viewer", period="2014", format="html").context


def test_the_pdf_has_a_cover_contents_and_a_landscape_annex(world, tmp_path):
    _save_text(world, highlights_fr="Une année de mise en place.")
    response = page(world, "officer", period="2014", format="pdf", download="1")
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True
    ).stdout
    sizes = [
        line.split("size:")[1].split("pts")[0].split(" x ")
        for line in info.splitlines()
        if line.startswith("Page ") and " size:" in line
    ]
    portrait = [float(w) < float(h) for w, h in sizes]
    assert portrait[0] and not portrait[-1]  # a portrait cover, a landscape annex
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "Rapport de l'Unité Genre" in first and "Sommaire" in first
    assert "projet, non émis" in first and "Mission" in first
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Le mot de l'Unité" in text and "Une année de mise en place." in text
    assert "saisie par" in text or "chargée" in text or "entered" in text  # origin filled
