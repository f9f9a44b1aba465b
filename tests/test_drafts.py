"""Who changes a draft (issue 9, item 16; docs/counting.md, "Workflow"): its author while it is a
draft or returned to them; gender officers and the unit admin always. Someone else in
scope — a partner listed on the unit's draft, a colleague of the same region — may read
it, not edit, submit or delete it, at any door: the pages, an import, the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from musow.accounts.models import User
from musow.activities.models import Activity
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_save
from musow.geo.models import Place
from tests import web_fixtures
from tests.factories import record
from tests.intake_helpers import row, write_csv
from tests.web_fixtures import World, url

world = web_fixtures.world


def unit_draft(w: World) -> Activity:
    """The unit's own draft, entered by the officer, CAFO (the partner's organisation)
    listed as a partner."""
    data = activity_input_from_record(
        record(key="unit-draft", status="draft", place="ML09", partners=["cafo"]), source="web"
    )
    return activity_save(data=data, user=w.users["officer"])


def status_of(activity: Activity) -> str:
    return Activity.objects.get(pk=activity.pk).status


def test_a_partner_listed_on_the_units_draft_can_read_it_but_not_change_it(world):
    draft = unit_draft(world)
    partner = world.client("partner")
    page = partner.get(url("web:activity", draft.pk, lang="en"))
    assert page.status_code == 200  # it is among the partner's records
    html = page.content.decode()
    assert url("web:activity-edit", draft.pk, lang="en") not in html
    assert url("web:activity-delete", draft.pk, lang="en") not in html
    assert partner.get(url("web:activity-edit", draft.pk)).status_code == 403
    assert partner.post(url("web:activity-submit", draft.pk)).status_code == 403
    assert partner.post(url("web:activity-delete", draft.pk), {"comment": "x"}).status_code == 403
    assert status_of(draft) == Activity.Status.DRAFT


def test_the_author_edits_submits_and_deletes_their_own_draft(world):
    focal = world.client("focal_point")
    data = activity_input_from_record(record(key="mine", status="draft", place="ML07"), source="t")
    mine = activity_save(data=data, user=world.users["focal_point"])
    assert focal.get(url("web:activity-edit", mine.pk)).status_code == 200
    assert focal.post(url("web:activity-submit", mine.pk)).status_code == 302
    assert status_of(mine) == Activity.Status.SUBMITTED
    # Submitted, it is no longer the author's to change.
    assert focal.get(url("web:activity-edit", mine.pk)).status_code == 403
    assert focal.post(url("web:activity-delete", mine.pk)).status_code == 403


@pytest.fixture
def colleague(world):
    """A second focal point of Gao."""
    user = User.objects.create_user("gao2", password="x", role=User.Role.FOCAL_POINT)
    user.regions.add(Place.objects.get(pcode="ML07", level=1))
    return user


def test_a_colleague_of_the_same_region_cannot_change_a_draft_by_the_pages(world, colleague):
    data = activity_input_from_record(record(key="gao-1", status="draft", place="ML07"), source="t")
    draft = activity_save(data=data, user=world.users["focal_point"])
    client = world.client("focal_point")
    client.force_login(colleague)
    assert client.get(url("web:activity", draft.pk)).status_code == 200
    assert client.get(url("web:activity-edit", draft.pk)).status_code == 403
    assert client.post(url("web:activity-delete", draft.pk)).status_code == 403
    assert status_of(draft) == Activity.Status.DRAFT


def test_a_colleague_of_the_same_region_cannot_change_a_draft_by_an_import(
    world, colleague, tmp_path
):
    first = write_csv(tmp_path / "a.csv", [row("G-1", status="")])
    gao = world.client("focal_point")
    done = gao.post(
        url("intake:home", lang="en"), {"file": SimpleUploadedFile("a.csv", first.read_bytes())}
    )
    assert "1 created" in done.content.decode()
    changed = write_csv(tmp_path / "b.csv", [row("G-1", status="", title="Autre titre")])
    other = world.client("focal_point")
    other.force_login(colleague)
    page = other.post(
        url("intake:home", lang="en"), {"file": SimpleUploadedFile("b.csv", changed.read_bytes())}
    ).content.decode()
    assert "Only the author of a draft, a gender officer or the unit admin can change it." in page
    assert not Activity.objects.filter(title="Autre titre").exists()
    # The author changes it.
    page = gao.post(
        url("intake:home", lang="en"), {"file": SimpleUploadedFile("b.csv", changed.read_bytes())}
    ).content.decode()
    assert "1 updated" in page


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_the_unit_admin_change_anyones_draft(world, role):
    client = world.client(role)
    assert client.get(url("web:activity-edit", world.inside.pk)).status_code == 200
    assert client.post(url("web:activity-delete", world.inside.pk)).status_code == 302
    assert status_of(world.inside) == Activity.Status.DELETED
