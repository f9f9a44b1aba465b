"""Women at the table through HTTP: a focal point enters a composition of a body of their
region as a role × sex grid, an officer validates it, the body page draws the share of
women against the 30 % line; bad input is refused at the form, nothing written."""

import re

import pytest

from musow.representation.models import Composition, Seat
from tests.representation_factories import make_body, make_composition
from tests.test_accessibility_pages import Page
from tests.web_fixtures import World, url
from tests.web_fixtures import world as world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _grid(**cells: int) -> dict[str, str]:
    return {
        "as_of": "2015-06-20",
        "source_document": "Arrêté de nomination",
        "action": "draft",
        **{key: str(n) for key, n in cells.items()},
    }


def test_a_focal_point_enters_a_composition_and_an_officer_validates_it(world: World):
    body = make_body("conseil-gao", kind="regional-council", place="ML07")
    gao = world.client("focal_point")
    response = gao.post(
        url("bodies:composition-new", body.pk),
        {
            **_grid(f_member=3, m_member=9, f_president=1),
            "declared_total": "13",
            "action": "submit",
        },
    )
    composition = Composition.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        url("bodies:composition", composition.pk)
    )
    assert (
        composition.status == "submitted" and composition.created_by == world.users["focal_point"]
    )
    assert sorted(Seat.objects.values_list("role__code", "sex", "count")) == [
        ("member", "f", 3),
        ("member", "m", 9),
        ("president", "f", 1),
    ]
    officer = world.client("officer")
    officer.post(url("bodies:composition-validate", composition.pk))
    composition.refresh_from_db()
    assert composition.status == "validated"
    page = officer.get(url("bodies:body", body.pk)).content.decode()
    assert "30 % (loi 2015-052)" in page and "<svg" in page
    assert "30,8" in page  # 4 women of 13
    assert re.search(r'<circle cx="[0-9.]+" cy="[0-9.]+"', page)  # never "212,0" in SVG
    listing = gao.get(url("bodies:list")).content.decode()
    assert "Conseil" in listing or "conseil-gao" in listing or body.name in listing


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        (
            {"f_member": 3, "m_member": 9, "declared_total": 20},
            "declared_total",
            "font 12, et non le total déclaré de 20",
        ),
        ({"f_member": -3}, "", "ne peut pas être négatif"),
        ({"f_member": 3, "as_of": "2013-01-01"}, "as_of", "est en dehors"),
    ],
)
def test_bad_input_is_refused_at_the_form_naming_the_field(world: World, cells, field, message):
    from datetime import date

    body = make_body("csa", valid_from=date(2015, 6, 20))
    data = {**_grid(), **{k: str(v) for k, v in cells.items()}}
    response = world.client("officer").post(url("bodies:composition-new", body.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    page = Page(html)
    assert len(page.all("h1")) == 1
    if field:
        assert page.by_id(f"id_{field}_error") is not None
    assert not Composition.objects.exists()


def test_an_edit_from_an_old_version_is_refused_and_the_input_kept(world: World):
    composition = make_composition(
        make_body("csa"), "2015-06-20", status="draft", member_f=1, member_m=2
    )
    officer = world.client("officer")
    edit = url("bodies:composition-edit", composition.pk)
    first = officer.post(edit, {**_grid(f_member=2, m_member=2), "version": "1"})
    assert first.status_code == 302
    second = officer.post(edit, {**_grid(f_member=7, m_member=2), "version": "1"})
    assert second.status_code == 200
    assert "a modifié cette fiche depuis" in second.content.decode()
    assert 'value="7"' in second.content.decode()
    assert Seat.objects.get(sex="f").count == 2
    assert 'name="version" value="2"' in second.content.decode()  # the next save is knowing


def test_the_pages_read_in_english_too(world: World):
    body = make_body("government", kind="government", name_en="Government of Mali")
    make_composition(body, "2018-09-09", minister_f=11, minister_m=21)
    officer = world.client("officer")
    page = officer.get(url("bodies:body", body.pk, lang="en")).content.decode()
    assert "Government of Mali" in page and "34.4%" in page and "30 % (Law 2015-052)" in page
    listing = officer.get(url("bodies:list", lang="en")).content.decode()
    assert "Share of women" in listing and "34.4%" in listing


def test_the_dashboard_shows_the_share_of_women_within_each_users_scope(world: World):
    government = make_body("government", kind="government")
    make_composition(government, "2018-09-09", minister_f=11, minister_m=21)
    gao = make_body("conseil-gao", kind="regional-council", place="ML07")
    make_composition(gao, "2018-01-10", member_f=1, member_m=9)
    board = url("web:dashboard") + "?period=2018"
    officer = world.client("officer").get(board).content.decode()
    assert "Les femmes à la table" in officer and "28,6" in officer  # 12 of 42
    assert "34,4" in officer and "sous 30 %" in officer  # the council, 10 %
    focal = world.client("focal_point").get(board).content.decode()
    assert "10,0" in focal and "34,4" not in focal  # Gao's bodies only
    viewer = world.client("viewer").get(board).content.decode()
    assert "28,6" in viewer and url("bodies:list") not in viewer  # figures, no records
    empty = world.client("officer").get(url("web:dashboard") + "?period=2014").content.decode()
    assert "pas de données" in empty
