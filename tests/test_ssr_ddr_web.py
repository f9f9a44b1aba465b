"""Security sector and DDR through HTTP: a focal point enters DDR figures for their region
as a stage × age group grid, an officer validates them, the list shows the share of women
at each stage; bad input is refused at the form naming the field, nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from musow.security.models import Report, ReportCount, Strength
from tests.security_factories import make_report, make_strength, place
from tests.test_accessibility_pages import Page
from tests.web_fixtures import World, url
from tests.web_fixtures import world as world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _form(pcode: str = "ML07", **cells: int) -> dict[str, str]:
    return {
        "place": str(place(pcode).pk),
        "period_start": "2016-01-01",
        "period_end": "2016-06-30",
        "source_document": "Rapport trimestriel de la CNDDR",
        "action": "draft",
        **{key: str(n) for key, n in cells.items()},
    }


def test_a_focal_point_enters_ddr_figures_and_an_officer_validates_them(world: World):
    gao = world.client("focal_point")
    form = gao.get(url("security:report-new", "ddr")).content.decode()
    assert 'name="n_ddr-registered_under-18_f"' in form and "Réintégré·e·s (DDR)" in form
    response = gao.post(
        url("security:report-new", "ddr"),
        {
            **_form(
                **{
                    "n_ddr-registered_18-plus_f": 12,
                    "n_ddr-registered_18-plus_m": 36,
                    "n_ddr-demobilised_18-plus_f": 10,
                }
            ),
            "action": "submit",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(url("security:report", report.pk))
    assert report.status == "submitted" and report.created_by == world.users["focal_point"]
    officer = world.client("officer")
    officer.post(url("security:report-validate", report.pk))
    report.refresh_from_db()
    assert report.status == "validated"
    listing = gao.get(url("security:home")).content.decode()
    assert "Enregistré·e·s (DDR)&nbsp;: 12 / 48 (25,0" in listing  # women / everyone registered
    assert "Démobilisé·e·s (DDR)&nbsp;: 10 / 10 (100,0" in listing


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ({"n_ddr-registered_18-plus_f": -3}, "cells", "ne peut pas être négatif"),
        (
            {"n_ddr-registered_18-plus_f": 3, "n_ddr-demobilised_18-plus_f": 5},
            "cells",
            "Démobilisé·e·s (DDR) (5) ne peuvent pas être plus que Enregistré·e·s (DDR) (3)",
        ),
        (
            {"n_ddr-registered_18-plus_f": 3, "period_end": "FUTURE"},
            "period_end",
            "est dans le futur",
        ),
        ({"n_ddr-registered_18-plus_f": 3, "place": "ML09"}, "place", "Sélectionnez un choix"),
    ],
)
def test_bad_input_is_refused_at_the_form_naming_the_field(world: World, cells, field, message):
    data = _form()
    for key, value in cells.items():
        if value == "FUTURE":
            value = (timezone.localdate() + timedelta(days=3)).isoformat()
        elif key == "place":
            value = place(value).pk
        data[key] = str(value)
    response = world.client("focal_point").post(url("security:report-new", "ddr"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    page = Page(html)
    assert len(page.all("h1")) == 1
    if field != "cells":
        assert page.by_id(f"id_{field}_error") is not None
    assert not Report.objects.exists() and not ReportCount.objects.exists()


def test_an_officer_enters_a_strength_and_a_recruitment(world: World):
    officer = world.client("officer")
    from musow.security.models import Force

    police = Force.objects.get(code="police")
    response = officer.post(
        url("security:strength-new"),
        {
            "force": str(police.pk),
            "as_of": "2016-12-31",
            "women": "1180",
            "men": "6620",
            "source_document": "Tableau des effectifs",
            "action": "submit",
        },
    )
    strength = Strength.objects.get()
    assert response.status_code == 302 and strength.status == "submitted"
    page = officer.get(url("security:strength", strength.pk)).content.decode()
    assert "15,1" in page  # 1 180 women of 7 800
    form = officer.get(url("security:report-new", "recruitment")).content.decode()
    assert 'name="force"' in form and 'name="project"' not in form
    refused = officer.post(
        url("security:report-new", "recruitment"), _form(**{"n_recruited_18-plus_f": 4})
    )
    assert "Dites quelle force a recruté." in refused.content.decode()


def test_an_edit_from_an_old_version_is_refused_and_the_input_kept(world: World):
    report = make_report(status="draft", ddr_registered__f__18_plus=4)
    officer = world.client("officer")
    edit = url("security:report-edit", report.pk)
    first = officer.post(edit, {**_form(**{"n_ddr-registered_18-plus_f": 5}), "version": "1"})
    assert first.status_code == 302
    second = officer.post(edit, {**_form(**{"n_ddr-registered_18-plus_f": 7}), "version": "1"})
    assert second.status_code == 200
    assert "a modifié cette fiche depuis" in second.content.decode()
    assert ReportCount.objects.get().count == 5


def test_the_pages_read_in_english_too_and_illustrative_figures_say_so(world: World):
    make_strength("fama", "2016-12-31", women=10, men=90)
    report = make_report("cvr", cvr_beneficiary__f__18_plus=20, cvr_beneficiary__m__18_plus=30)
    Report.objects.filter(pk=report.pk).update(is_illustrative=True)
    officer = world.client("officer")
    page = officer.get(url("security:home", lang="en")).content.decode()
    assert "Security sector and DDR" in page and "Malian Armed Forces (FAMa)" in page
    assert "Beneficiaries (CVR): 20 / 50 (40.0" in page
    detail = officer.get(url("security:report", report.pk, lang="en")).content.decode()
    assert "ILLUSTRATIVE" in detail and "Beneficiaries (CVR)" in detail
    viewer = world.client("viewer")
    assert viewer.get(url("security:home")).status_code == 403
