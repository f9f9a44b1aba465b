"""An import does not tell a user what exists outside their scope (issue 9, item 17).

A focal point's check-only import of an ID that an activity outside their regions has
used to answer "This activity exists and is outside what you may change", while an unknown
ID got nothing: that told them the ID exists. Now both are answered the same way — a new
activity of theirs, kept apart under their own source (intake/keyspace.py) — and the
activity out of their sight is never touched. What they can see is still found again, so
importing a file twice, or a colleague's or an officer's import of it, duplicates nothing.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from musow.accounts.models import User
from musow.activities.models import Activity
from musow.geo.models import Place
from tests.intake_helpers import row, run_import, write_csv
from tests.web_fixtures import FAST_HASHERS, url

pytestmark = pytest.mark.django_db


def focal_point(username: str, pcode: str) -> User:
    user = User.objects.create_user(username, password="x", role=User.Role.FOCAL_POINT)
    user.regions.add(Place.objects.get(pcode=pcode, level=1))
    return user


@pytest.fixture
def gao(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return focal_point("gao", "ML07")


@pytest.fixture
def in_mopti(tmp_path):
    """An activity with the ID "A-1", in Mopti (outside Gao's scope), imported by an officer."""
    officer = User.objects.create_user("agent", password="x", role=User.Role.OFFICER)
    ok, out = run_import(
        write_csv(tmp_path / "mopti.csv", [row("A-1", region="Mopti")]), "--user", officer.username
    )
    assert ok, out
    return Activity.objects.get(source_key="A-1")


def same_but_names(text: str, *names: str) -> str:
    for name in names:
        text = text.replace(name, "FILE")
    return re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+", "", text)


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_id_out_of_scope_is_answered_like_an_unknown_one_at_the_command_line(
    tmp_path, gao, in_mopti, dry_run
):
    known = write_csv(tmp_path / "known.csv", [row("A-1", status="")])
    unknown = write_csv(tmp_path / "unknown.csv", [row("Z-9", status="")])
    flags = ["--dry-run"] if dry_run else []
    ok_known, answer_known = run_import(known, "--user", "gao", *flags)
    ok_unknown, answer_unknown = run_import(unknown, "--user", "gao", *flags)
    assert ok_known and ok_unknown
    assert "outside what you may change" not in answer_known
    assert answer_known.replace("known.csv", "F") == answer_unknown.replace("unknown.csv", "F")
    in_mopti.refresh_from_db()
    assert in_mopti.place.pcode == "ML05" and in_mopti.version == 1  # never touched


def test_an_id_out_of_scope_is_answered_like_an_unknown_one_in_the_check_only_page(
    tmp_path, gao, in_mopti, client
):
    client.force_login(gao)
    pages = []
    for name, key in (("known.csv", "A-1"), ("unknown.csv", "Z-9")):
        path = write_csv(tmp_path / name, [row(key, status="")])
        response = client.post(
            url("intake:home", lang="en"),
            {"file": SimpleUploadedFile(name, path.read_bytes()), "dry_run": "on"},
        )
        assert response.status_code == 200
        pages.append(same_but_names(response.content.decode(), name))
    assert pages[0] == pages[1]
    assert "outside what you may change" not in pages[0]


def test_the_focal_points_row_makes_their_own_activity_and_finds_it_again(tmp_path, gao, in_mopti):
    path = write_csv(tmp_path / "gao.csv", [row("A-1", status="", title="Causerie à Gao")])
    assert run_import(path, "--user", "gao")[0]
    theirs = Activity.objects.get(title="Causerie à Gao")
    assert theirs.place.pcode == "ML07" and theirs.created_by == gao
    assert theirs.source == f"import@{gao.pk}" and theirs.source_key == "A-1"
    ok, out = run_import(path, "--user", "gao")
    assert ok and "1 unchanged" in out
    assert Activity.objects.count() == 2


def test_what_a_focal_point_imported_is_found_again_by_an_officer_and_a_colleague(tmp_path, gao):
    path = write_csv(tmp_path / "gao.csv", [row("G-1", status="")])
    assert run_import(path, "--user", "gao")[0]
    User.objects.create_user("agent", password="x", role=User.Role.OFFICER)
    focal_point("gao2", "ML07")
    for username in ("agent", "gao2", None):
        ok, out = run_import(path, *(["--user", username] if username else []))
        assert ok and "1 unchanged" in out, (username, out)
    assert Activity.objects.count() == 1


def test_an_id_two_writers_kept_apart_asks_which_one(tmp_path, gao):
    focal_point("mopti", "ML05")
    assert run_import(write_csv(tmp_path / "g.csv", [row("X-1", status="")]), "--user", "gao")[0]
    mopti_row = [row("X-1", status="", region="Mopti")]
    assert run_import(write_csv(tmp_path / "m.csv", mopti_row), "--user", "mopti")[0]
    assert Activity.objects.count() == 2  # neither saw the other's
    ok, out = run_import(write_csv(tmp_path / "o.csv", [row("X-1", status="")]))
    assert not ok and "This ID is that of several activities" in out
    assert f"import@{gao.pk}" in out
