"""No user action ends in a 500 because another write is running (issue 9, item 12).

A second, real writer, in its own thread and connection, holds what a web save or an
import needs: on SQLite the write lock of the database file (`BEGIN IMMEDIATE`, as a
long `musow import` does); on PostgreSQL the key an import writes (an uncommitted
activity with that key: the import's insert must wait for that transaction). A writer
waits its turn; one that waits longer than the configured wait gets a 503 page in its
language saying to try again, with its input kept, or the command says so; nothing is
half-written.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from musow.activities.models import Activity
from tests import web_fixtures
from tests.factories import make_activity
from tests.intake_helpers import row, write_csv
from tests.test_web_activities import form_data
from tests.web_fixtures import url

world = web_fixtures.world

pytestmark = pytest.mark.django_db

KEY = "GAO-2014-001"  # the ID of the activity the import writes
SHORT_WAIT = 0.3  # seconds: the wait a test sets, so that a refusal comes quickly


class Holder:
    """Another writer, in its own thread and connection, holding what writes need
    until it is told to let go (or a minute has passed)."""

    def __init__(self) -> None:
        # Read here, in the test's thread: a thread has connections of its own.
        self.settings = dict(connection.settings_dict)
        self.vendor = connection.vendor
        self.holding = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Holder":
        self.thread.start()
        assert self.holding.wait(30), self.error
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self.thread.join(60)
        assert self.error is None, self.error

    def _run(self) -> None:
        try:
            self.hold()
        except BaseException as exc:  # reported by __exit__
            self.error = exc
            self.holding.set()

    def hold(self) -> None:
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.settings["NAME"], isolation_level=None)) as db:
                db.execute("BEGIN IMMEDIATE")
                self.holding.set()
                self.release.wait(60)
                db.execute("COMMIT")
            return
        # PostgreSQL: this thread's own connection; the activity is never committed.
        try:
            with transaction.atomic():
                make_activity(source="import", key=KEY, place="ML07", status="draft")
                self.holding.set()
                self.release.wait(60)
                transaction.set_rollback(True)
        finally:
            connection.close()


@pytest.fixture
def writers(db, tmp_path) -> Iterator[None]:
    """The database as two writers see it. On SQLite the test's data is a copy in a file
    (the test database may be in memory, where connections share one cache and do not
    wait for each other), used by this thread's connection; on PostgreSQL, the test's
    own database (the holder locks a row committed before the test)."""
    if connection.vendor != "sqlite":
        yield
        return
    # Copied as SQL through the test's own connection (a backup would wait forever for
    # the write transaction the test runs in).
    connection.ensure_connection()
    path = tmp_path / "musow.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as target:
        target.executescript(";\n".join(connection.connection.iterdump()))
        target.execute("PRAGMA journal_mode=WAL")  # as musow's own connections set it
    old = connections["default"]
    settings = {**old.settings_dict, "NAME": str(path), "OPTIONS": {**old.settings_dict["OPTIONS"]}}
    connections["default"] = old.__class__(settings, "default")
    connections["default"].ensure_connection()
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = old


def short_wait() -> None:
    """Writes of this thread wait SHORT_WAIT for their turn instead of the configured
    wait (checked first: 20 s by default, below gunicorn's 30 s timeout)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
            connection.settings_dict["OPTIONS"]["timeout"] = SHORT_WAIT
            connection.close()
        else:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "20s"
            cursor.execute(f"SET lock_timeout = {int(SHORT_WAIT * 1000)}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_form_save_that_cannot_wait_gets_a_try_again_page_with_its_input(writers, world, lang):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL writes new rows side by side: a new activity waits for no one")
    client = world.client("focal_point")
    before = Activity.objects.count()
    short_wait()
    data = form_data(title="Causerie au marché de Gao")
    with Holder():
        response = client.post(url("web:activity-new", lang=lang), data)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    if lang == "fr":
        assert "Réessayez dans un instant" in page and "rien n’a été enregistré" in page
    else:
        assert "Try again in a moment" in page and "nothing was written" in page
    # The same form, ready to be sent again: the person loses nothing.
    assert f'action="{url("web:activity-new", lang=lang)}"' in page
    assert '<input type="hidden" name="title" value="Causerie au marché de Gao">' in page
    assert Activity.objects.count() == before
    # Sent again once the other write has finished, it is saved.
    resent = client.post(url("web:activity-new", lang=lang), data)
    assert resent.status_code == 302
    assert Activity.objects.filter(title="Causerie au marché de Gao").count() == 1


def test_an_upload_that_cannot_wait_gets_a_try_again_page(writers, world, tmp_path):
    path = write_csv(tmp_path / "a.csv", [row(KEY, region="Gao")])
    client = world.client("admin")  # signed in (a session written) before the other write
    before = Activity.objects.count()
    short_wait()
    with Holder(), open(path, "rb") as upload:
        response = client.post(url("intake:home", lang="en"), {"file": upload})
    assert response.status_code == 503
    page = response.content.decode()
    assert "Another save is in progress" in page and "nothing was written" in page
    assert "Go back with your browser: what you entered is still in the form" in page
    assert Activity.objects.count() == before


def test_an_import_that_cannot_wait_says_so_and_writes_nothing(writers, tmp_path):
    path = write_csv(tmp_path / "a.csv", [row(KEY, region="Gao")])
    before = Activity.objects.count()
    short_wait()
    with Holder(), pytest.raises(CommandError) as refused:
        call_command("import", str(path), "--lang", "fr")
    assert "Un autre enregistrement est en cours" in str(refused.value)
    assert "Réessayez dans un instant" in str(refused.value)
    assert Activity.objects.count() == before


def test_an_import_waits_its_turn_while_another_write_finishes(writers, tmp_path):
    path = write_csv(tmp_path / "a.csv", [row(KEY, region="Gao")])
    with Holder() as holder:
        # Let the other writer finish a moment after this import starts waiting for it.
        def release_soon(execute, sql, params, many, context):
            if sql.startswith(("BEGIN", "INSERT")) and not holder.release.is_set():
                threading.Timer(SHORT_WAIT, holder.release.set).start()
            return execute(sql, params, many, context)

        with connection.execute_wrapper(release_soon):
            call_command("import", str(path), "--lang", "en")
    assert Activity.objects.filter(source_key=KEY).count() == 1
