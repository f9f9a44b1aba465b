"""Statuses by import: an empty cell keeps the activity's status; a change is allowed by
the user's rights, listed in the report (dry run too) and audited; statuses an import
cannot write get a clear message, never an error page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from musow.accounts.models import User
from musow.activities.models import Activity
from musow.audit.models import Entry
from musow.geo.models import Place
from tests import web_fixtures
from tests.intake_helpers import EN_HEADER, TAGS, row, run_import, write_csv
from tests.web_fixtures import url

pytestmark = pytest.mark.django_db

world = web_fixtures.world


def updates(activity: Activity) -> list[dict]:
    return [e.changes for e in Entry.objects.for_target(activity).filter(action="update")]


@pytest.fixture
def admin():
    return User.objects.create(username="chef", role=User.Role.ADMIN)


@pytest.fixture
def gao():
    user = User.objects.create(username="gao", role=User.Role.FOCAL_POINT)
    user.regions.add(Place.objects.get(pcode="ML07"))
    return user


def test_a_corrected_row_with_an_empty_status_keeps_the_activity_validated(tmp_path, admin):
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1")]))[0]
    activity = Activity.objects.get()
    validated_at = activity.validated_at
    ok, out = run_import(
        write_csv(tmp_path / "b.csv", [row("A-1", title="Titre corrigé", status="")])
    )
    assert ok and "1 updated" in out and "status change" not in out
    activity.refresh_from_db()
    assert activity.title == "Titre corrigé"
    assert activity.status == "validated" and activity.validated_at == validated_at
    assert "status" not in updates(activity)[0]
    # The same file again changes nothing.
    ok, out = run_import(
        write_csv(tmp_path / "c.csv", [row("A-1", title="Titre corrigé", status="")])
    )
    assert ok and "1 unchanged" in out


def test_a_status_change_is_listed_dry_run_included_and_audited(tmp_path, admin):
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1"), row("A-2", status="draft")]))[0]
    changed = write_csv(
        tmp_path / "b.csv", [row("A-1", status="draft"), row("A-2", status="submitted")]
    )
    ok, out = run_import(changed, "--dry-run")
    assert ok and "2 status changes: A-1 validated → draft; A-2 draft → submitted." in out
    assert Activity.objects.get(source_key="A-1").status == "validated"
    ok, out = run_import(changed)
    assert ok and "2 status changes: A-1 validated → draft; A-2 draft → submitted." in out
    first = Activity.objects.get(source_key="A-1")
    assert first.status == "draft" and first.validated_at is None
    assert updates(first)[-1]["status"] == ["validated", "draft"]
    assert Entry.objects.for_target(first).filter(action="update").get().actor == admin


def test_a_focal_point_may_submit_by_import_but_not_validate_nor_reopen(tmp_path, gao):
    ok, out = run_import(write_csv(tmp_path / "a.csv", [row("G-1", status="")]), "--user", "gao")
    assert ok, out
    ok, message = run_import(write_csv(tmp_path / "b.csv", [row("G-1")]), "--user", "gao")
    assert not ok and "You may not validate activities" in message
    ok, out = run_import(
        write_csv(tmp_path / "c.csv", [row("G-1", status="submitted")]), "--user", "gao"
    )
    assert ok and "1 status change: G-1 draft → submitted." in out
    ok, message = run_import(
        write_csv(tmp_path / "d.csv", [row("G-1", status="draft")]), "--user", "gao"
    )
    assert not ok and "only a gender officer or the unit admin can change" in message
    assert Activity.objects.get().status == "submitted"


def test_deleted_is_not_a_status_an_import_writes(tmp_path, admin):
    ok, message = run_import(write_csv(tmp_path / "a.csv", [row("A-1", status="deleted")]))
    assert not ok and "Traceback" not in message
    assert "An activity is not deleted by writing its status" in message
    assert "row 3, column Statut “deleted”" in message
    assert Activity.objects.count() == 0


def test_deleted_in_an_uploaded_file_is_a_message_in_the_page(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("W-1", status="deleted")])
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    response = world.client("admin").post(url("intake:home", lang="en"), data)
    assert response.status_code == 200
    assert "An activity is not deleted by writing its status" in response.content.decode()


def test_returned_by_a_focal_point_gets_a_clear_message(tmp_path, gao):
    rows = [row("G-1", status="returned"), row("G-2", status="renvoyée à son auteur")]
    ok, message = run_import(write_csv(tmp_path / "a.csv", rows), "--user", "gao")
    assert not ok
    assert message.count("Only a gender officer or the unit admin returns an activity") == 2
    assert Activity.objects.count() == 0


def test_an_officer_returns_by_import_only_with_a_comment(tmp_path, admin):
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1", status="submitted")]))[0]
    ok, message = run_import(write_csv(tmp_path / "b.csv", [row("A-1", status="returned")]))
    assert not ok and "Say why the activity is returned" in message
    header, tags = EN_HEADER + ["Review comment"], TAGS + ["#status+comment"]
    path = write_csv(
        tmp_path / "c.csv",
        [row("A-1", status="returned") + ["Les dates ne collent pas"]],
        header=header,
        tags=tags,
    )
    ok, out = run_import(path)
    assert ok and "1 status change: A-1 submitted → returned to its author." in out
    activity = Activity.objects.get()
    assert activity.status == "returned" and activity.review_comment == "Les dates ne collent pas"
    assert updates(activity)[-1]["review_comment"] == [None, "Les dates ne collent pas"]
    # Re-imported without the comment column: the activity keeps its comment.
    ok, out = run_import(write_csv(tmp_path / "d.csv", [row("A-1", status="returned")]))
    assert ok and "1 unchanged" in out


def test_a_row_for_an_activity_deleted_since_is_refused_with_a_message(tmp_path, admin):
    from musow.activities.services import activity_delete

    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1")]))[0]
    activity_delete(activity=Activity.objects.get(), user=admin)
    ok, message = run_import(write_csv(tmp_path / "a.csv", [row("A-1")]))
    assert not ok and "This activity has been deleted; a unit admin must restore it" in message


def test_the_upload_page_lists_the_status_changes_of_a_dry_run(world, tmp_path):
    inside = world.inside  # a draft in Gao, key "inside", source "test"
    rows = [row("inside", region="Gao", status="submitted", title=inside.title)]
    path = write_csv(
        tmp_path / "a.csv",
        [[*r[:1], "test", *r[1:]] for r in rows],
        header=[EN_HEADER[0], "Source", *EN_HEADER[1:]],
        tags=None,
    )
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), "dry_run": "on"}
    page = world.client("officer").post(url("intake:home", lang="en"), data).content.decode()
    assert "Dry run, nothing written" in page
    assert "1 status change: inside draft → submitted." in page
    inside.refresh_from_db()
    assert inside.status == "draft"
