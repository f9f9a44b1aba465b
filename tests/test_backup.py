"""`musow backup FILE` and `musow restore FILE` on the database the suite runs on: a SQLite
file (SQLite's online backup API), or a PostgreSQL database of its own on the test server
(pg_dump / pg_restore). The demo data set, with users, targets, issued reports, a deleted
activity and the audit trail, is backed up and restored into a fresh place: every record —
figures, audit trail, issued reports — comes back identical. A restore refuses what is not
a musow backup, a backup of the other engine or of a newer musow, and a database that holds
data unless told (--force).

Each place is served by `musow` commands in their own processes, as an operator runs them."""

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_URL = "postgres://postgres@127.0.0.1:5432/test"  # the Makefile's PG_URL
ON_POSTGRES = os.getenv("MUSOW_DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
PREFIX = os.getenv("MUSOW_TEST_DB_NAME") or "test_musow"

DELETE_ONE = """
from musow.accounts.models import User
from musow.activities.models import Activity
from musow.activities.services import activity_delete
activity = Activity.objects.filter(status="validated", place__pcode="ML07").order_by("id")[0]
activity_delete(activity=activity, user=User.objects.get(username="admin"), comment="doublon")
"""
FROM_THE_FUTURE = """
from django.db.migrations.recorder import MigrationRecorder
MigrationRecorder.Migration.objects.create(app="activities", name="9999_from_a_newer_musow")
"""


@dataclass
class Place:
    url: str
    var: Path
    drop: Any

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "MUSOW_DATABASE_URL": self.url,
            "MUSOW_VAR_DIR": str(self.var),
            "DJANGO_SETTINGS_MODULE": "musow.settings",
            "MUSOW_DEBUG": "0",
        }
        done = subprocess.run(
            [sys.executable, "-m", "musow.cli", *args], env=env, capture_output=True, text=True
        )
        if check and done.returncode != 0:
            raise AssertionError(f"musow {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def dump(self) -> Any:
        """Every record of the database, as `musow dumpdata` writes it — but the analytics
        store's bookkeeping (its outbox, the register's identity, which a restore renews:
        see test_figures_go_back_with_the_register_restored_in_place)."""
        out = self.run("dumpdata", "--indent", "0", "--exclude", "analytics").stdout
        return json.loads(out)

    def figures(self) -> Any:
        out = self.run("figures", "--year", "2014", "--format", "json", "--lang", "en").stdout
        return json.loads(out)["figures"]


def _pg_admin(url: str) -> Any:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    return run


def new_place(tmp: Path, name: str, *, postgres: bool = ON_POSTGRES) -> Place:
    """A database that does not exist yet: a SQLite file, or a PostgreSQL database."""
    var = tmp / name
    var.mkdir(parents=True, exist_ok=True)
    if not postgres:
        return Place(f"sqlite:///{var / 'musow.sqlite3'}", var, lambda: None)
    url = os.getenv("MUSOW_DATABASE_URL") if ON_POSTGRES else PG_URL
    assert url
    run = _pg_admin(url)
    db = f"{PREFIX}_{name}"
    run(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    run(f'CREATE DATABASE "{db}"')
    place_url = urlunsplit(urlsplit(url)._replace(path=f"/{db}"))
    return Place(place_url, var, lambda: run(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))


@pytest.fixture
def places(tmp_path: Path) -> Iterator[Any]:
    made: list[Place] = []

    def make(name: str, **kwargs: Any) -> Place:
        made.append(new_place(tmp_path, name, **kwargs))
        return made[-1]

    yield make
    for place in made:
        place.drop()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Place, Path, Any]]:
    """The demo (users, targets), a report issued, an activity deleted (audit trail), the
    report issued again; then its backup."""
    tmp = tmp_path_factory.mktemp("backup")
    place = new_place(tmp, "bk_source")
    try:
        place.run("demo")
        place.run("report", "--period", "2014", "--issue", "--out", str(tmp / "r1.json"),
                  "--format", "json")  # fmt: skip
        place.run("shell", "-c", DELETE_ONE)
        place.run("report", "--period", "2014", "--issue", "--out", str(tmp / "r2.json"),
                  "--format", "json")  # fmt: skip
        backup = tmp / "musow-2014.backup"
        done = place.run("backup", str(backup), "--lang", "en")
        assert str(backup) in done.stdout
        yield place, backup, place.dump()
    finally:
        place.drop()


def models(dump: Any, label: str) -> list[Any]:
    return [r for r in dump if r["model"] == label]


def test_a_backup_restored_into_a_fresh_place_gives_back_every_record(source, places):
    place, backup, before = source
    assert len(models(before, "reports.issuedreport")) == 2
    assert [r for r in models(before, "activities.activity") if r["fields"]["status"] == "deleted"]
    assert models(before, "indicators.target") and models(before, "accounts.user")
    assert len(models(before, "audit.entry")) > 81
    fresh = places("bk_fresh")
    done = fresh.run("restore", str(backup), "--lang", "en")
    assert "restored" in done.stdout
    assert fresh.dump() == before  # activities (deleted too), users, targets, issued reports,
    #                                audit trail, attendee keys: every record, the same ids
    assert fresh.figures() == place.figures()
    assert fresh.run("check").returncode == 0


def test_a_database_holding_data_is_replaced_only_when_told(source, places):
    _place, backup, before = source
    other = places("bk_other")
    other.run("demo")
    own = other.dump()
    refused = other.run("restore", str(backup), check=False)
    assert refused.returncode != 0
    assert "contient déjà des données" in refused.stderr and "--force" in refused.stderr
    assert other.dump() == own  # nothing touched
    other.run("restore", str(backup), "--force")
    assert other.dump() == before


def test_figures_go_back_with_the_register_restored_in_place(places, tmp_path):
    """The analytics store of a register restored over itself never serves the figures
    of the later state: the restore gives the register a new identity."""
    place = places("bk_in_place")
    place.run("demo")
    before = place.figures()
    backup = tmp_path / "in-place.backup"
    place.run("backup", str(backup))
    place.run("shell", "-c", DELETE_ONE)
    assert place.figures() != before  # the store followed the deletion
    place.run("restore", str(backup), "--force")
    assert place.figures() == before


def test_a_file_that_is_not_a_musow_backup_is_refused(places, tmp_path):
    target = places("bk_target")
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup", encoding="utf-8")
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE django_migrations (id, app, name, applied)")
        db.execute("INSERT INTO django_migrations VALUES (1, 'blog', '0001_initial', '')")
    for bad in (junk, foreign, tmp_path / "missing.backup"):
        refused = target.run("restore", str(bad), "--lang", "en", check=False)
        assert refused.returncode != 0, bad
        assert str(bad.name) in refused.stderr
        assert "Traceback" not in refused.stderr
    assert (
        "not a musow backup" in target.run("restore", str(junk), "--lang", "en", check=False).stderr
    )
    assert "not a backup of a musow database" in (
        target.run("restore", str(foreign), "--lang", "en", check=False).stderr
    )


def test_a_backup_from_a_newer_musow_is_refused(places, tmp_path):
    newer = places("bk_newer")
    newer.run("setup")
    newer.run("shell", "-c", FROM_THE_FUTURE)
    newer.run("backup", str(tmp_path / "newer.backup"))
    target = places("bk_target2")
    refused = target.run("restore", str(tmp_path / "newer.backup"), "--lang", "en", check=False)
    assert refused.returncode != 0
    assert "newer version of musow" in refused.stderr
    assert "activities.9999_from_a_newer_musow" in refused.stderr


def test_a_backup_from_an_older_musow_is_migrated_forward(places, tmp_path):
    older = places("bk_older")
    older.run("setup")
    older.run("migrate", "indicators", "0001_initial")  # as before the publication flags
    older.run("backup", str(tmp_path / "older.backup"))
    target = places("bk_target3")
    target.run("restore", str(tmp_path / "older.backup"))
    plan = target.run("showmigrations", "indicators").stdout
    assert "[X] 0002_indicator_public_flags" in plan
    assert "[ ]" not in plan


def test_a_backup_of_the_other_engine_is_refused(places, tmp_path):
    sqlite_place = places("bk_sqlite", postgres=False)
    sqlite_place.run("setup")
    sqlite_place.run("backup", str(tmp_path / "sqlite.backup"))
    pg_place = places("bk_pg", postgres=True)
    pg_place.run("setup")
    pg_place.run("backup", str(tmp_path / "pg.backup"))
    for backup, target, kind in (
        (tmp_path / "sqlite.backup", places("bk_pg_target", postgres=True), "SQLite"),
        (tmp_path / "pg.backup", places("bk_sqlite_target", postgres=False), "PostgreSQL"),
    ):
        refused = target.run("restore", str(backup), "--lang", "en", check=False)
        assert refused.returncode != 0
        assert f"is a backup of a {kind} database" in refused.stderr


def test_a_database_not_set_up_is_not_backed_up(places, tmp_path):
    empty = places("bk_empty")
    refused = empty.run("backup", str(tmp_path / "empty.backup"), "--lang", "en", check=False)
    assert refused.returncode != 0 and "not set up" in refused.stderr
    assert not list(tmp_path.glob("empty.backup*"))  # nothing half-written left behind
