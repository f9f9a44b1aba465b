"""Sittings through HTTP: a focal point enters a sitting of a Gao body (attendance as a
role × sex grid), an officer validates it, it shows on the body page and counts in the
`sitting-attendance` figures; bad input is refused at the form with one message naming
its field, and nothing written (issue 11: a sitting before its process starts)."""

from datetime import date

import pytest

from musow.audit.models import Entry
from musow.representation.models import Presence, Process, Sitting
from musow.representation.services import process_sync
from tests.representation_factories import make_body
from tests.test_accessibility_pages import Page
from tests.web_fixtures import World, url
from tests.web_fixtures import world as world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _gao_body():
    process_sync(
        code="reconciliation",
        values={
            "name_fr": "Réconciliation",
            "name_en": "Reconciliation",
            "start_date": date(2015, 1, 1),
        },
    )
    return make_body(
        "comite-gao",
        kind="reconciliation-committee",
        place="ML07",
        process=Process.objects.get(code="reconciliation"),
    )


def _sitting(**cells: object) -> dict[str, str]:
    return {
        "held_on": "2015-06-20",
        "title": "Première séance",
        "source_document": "Procès-verbal",
        "action": "draft",
        **{key: str(n) for key, n in cells.items()},
    }


def test_a_focal_point_enters_a_sitting_and_an_officer_validates_it(world: World):
    body = _gao_body()
    gao = world.client("focal_point")
    assert (
        url("bodies:sitting-new", body.pk) in gao.get(url("bodies:body", body.pk)).content.decode()
    )
    response = gao.post(
        url("bodies:sitting-new", body.pk),
        _sitting(f_member=4, m_member=6, f_president=1, action="submit"),
    )
    sitting = Sitting.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(url("bodies:sitting", sitting.pk))
    assert sitting.status == "submitted" and sitting.created_by == world.users["focal_point"]
    assert sorted(Presence.objects.values_list("role__code", "sex", "count")) == [
        ("member", "f", 4),
        ("member", "m", 6),
        ("president", "f", 1),
    ]
    officer = world.client("officer")
    assert officer.post(url("bodies:sitting-validate", sitting.pk)).status_code == 302
    sitting.refresh_from_db()
    assert sitting.status == "validated"
    page = officer.get(url("bodies:sitting", sitting.pk)).content.decode()
    assert "Séance du 20 juin 2015" in page and "45,5" in page  # 5 women of 11
    assert "Validé" in page or "validé" in page
    assert list(Entry.objects.for_target(sitting).values_list("action", flat=True)) != []
    body_page = officer.get(url("bodies:body", body.pk)).content.decode()
    assert url("bodies:sitting", sitting.pk) in body_page and "11 personnes présentes" in body_page
    figure = officer.get(
        url("bodies:figure", "sitting-attendance-women") + "?period=2015"
    ).content.decode()
    assert url("bodies:sitting", sitting.pk) in figure and ">5<" in figure.replace(" ", "")


def test_an_officer_returns_a_sitting_and_its_author_edits_it(world: World):
    body = _gao_body()
    gao = world.client("focal_point")
    gao.post(url("bodies:sitting-new", body.pk), _sitting(f_member=2, action="submit"))
    sitting = Sitting.objects.get()
    officer = world.client("officer")
    officer.post(url("bodies:sitting-return", sitting.pk), {"comment": "Les hommes ?"})
    sitting.refresh_from_db()
    assert sitting.status == "draft"
    edit = url("bodies:sitting-edit", sitting.pk)
    response = gao.post(edit, {**_sitting(f_member=2, m_member=5), "version": sitting.version})
    assert response.status_code == 302
    assert Presence.objects.get(sex="m").count == 5
    history = gao.get(url("bodies:sitting", sitting.pk)).content.decode()
    i = history.find("Présents")
    assert "Les hommes ?" in history and "Présents — membre, hommes" in history, history[
        i - 50 : i + 200
    ]
    j = history.find("2015-06-20")
    assert j < 0, history[j - 300 : j + 100]


def test_an_edit_from_an_old_version_is_refused_and_the_input_kept(world: World):
    body = _gao_body()
    officer = world.client("officer")
    officer.post(url("bodies:sitting-new", body.pk), _sitting(f_member=1, m_member=2))
    sitting = Sitting.objects.get()
    edit = url("bodies:sitting-edit", sitting.pk)
    first = officer.post(edit, {**_sitting(f_member=2, m_member=2), "version": "1"})
    assert first.status_code == 302
    second = officer.post(edit, {**_sitting(f_member=7, m_member=2), "version": "1"})
    html = second.content.decode()
    assert second.status_code == 200 and "a modifié cette fiche depuis" in html
    assert 'value="7"' in html and 'name="version" value="2"' in html
    assert Presence.objects.get(sex="f").count == 2


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ({"f_member": 3, "held_on": "2014-07-16"}, "held_on", "une séance ne peut pas le précéder"),
        ({"f_member": -3}, "", "ne peut pas être négatif"),
        ({"f_ghost": 3}, "", "Rôle « ghost » inconnu"),
        ({"f_member": 3, "source_document": ""}, "source_document", "Ce champ est obligatoire"),
    ],
)
def test_bad_input_is_refused_at_the_form_naming_the_field(world: World, cells, field, message):
    body = _gao_body()
    data = {**_sitting(), **{k: str(v) for k, v in cells.items()}}
    response = world.client("focal_point").post(url("bodies:sitting-new", body.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("error") : html.find("error") + 600]
    assert len(Page(html).all("h1")) == 1
    if field:
        assert Page(html).by_id(f"id_{field}_error") is not None
    assert (
        not Sitting.objects.exists()
        and not Entry.objects.filter(target_type="representation.sitting").exists()
    )


def test_a_focal_point_may_not_enter_a_sitting_of_another_region(world: World):
    bamako = make_body("conseil-bamako", kind="regional-council", place="ML09")
    gao = world.client("focal_point")
    assert gao.get(url("bodies:sitting-new", bamako.pk)).status_code == 404
    response = gao.post(url("bodies:sitting-new", bamako.pk), _sitting(f_member=3))
    assert response.status_code == 404 and not Sitting.objects.exists()


def test_the_sitting_pages_read_in_english_too(world: World):
    body = _gao_body()
    officer = world.client("officer")
    form = officer.get(url("bodies:sitting-new", body.pk, lang="en")).content.decode()
    assert "Who attended, by role and sex" in form and "starts on" in form
    officer.post(url("bodies:sitting-new", body.pk), _sitting(f_member=1, m_member=3))
    page = officer.get(url("bodies:sitting", Sitting.objects.get().pk, lang="en")).content.decode()
    assert "Sitting of" in page, page[page.find("<h1") : page.find("<h1") + 200]
    assert "25.0%" in page
