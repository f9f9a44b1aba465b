"""Keeping the store in step with the register.

The register's triggers write a row in `analytics_change` with every change (in the same
transaction). `sync()` copies the changed activities into the store, then deletes their
rows; any process does it (the one asking for a figure, the one that just answered a web
request or ran a command), one at a time (the consume lock: a file lock, and on PostgreSQL
an advisory lock too, for several machines).

    claim   the pending rows (they stay in the outbox, marked): committed at once
    copy    the claimed activities' rows from the register to tab-separated files
    apply   in one store transaction: delete those activities' rows, insert the new ones
    finish  delete the claimed rows, bump the generation (cached figures are stale)

A process that dies before `finish` leaves its rows claimed; the next consumer copies
them again. Copying an activity is idempotent (delete then insert its rows, read anew
from the register), so nothing is lost and nothing counted twice; the register stays the
source of truth.

`rebuild()` builds a new store from the whole register beside the current one (which
serves figures meanwhile) and swaps it in; `check()` compares the store with the
register row for row.
"""

import logging
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from musow.analytics import extract
from musow.analytics.models import Change, State
from musow.analytics.schema import (
    KINDS,
    SCHEMA_VERSION,
    STAGES,
    fact_columns,
    fact_table,
    fill_sql,
)
from musow.analytics.stores import (
    Session,
    Store,
    StoreBusy,
    StoreMissing,
    file_lock,
    store_from_settings,
)

log = logging.getLogger(__name__)

BATCH = 5000  # activities copied per store transaction
WRITES = [0]  # store writes by this process (tests discard a store a test wrote to)
ADVISORY_KEY = 0x6D75736F77  # "musow": the consume lock across machines (PostgreSQL)

_stores: dict[tuple[Any, ...], Store | None] = {}


def config() -> dict[str, Any]:
    return dict(getattr(settings, "ANALYTICS", {}) or {"ENGINE": "register"})


def current_store() -> Store | None:
    """The store the settings name (None: figures are computed on the register)."""
    conf = config()
    key = tuple(sorted((k, str(v)) for k, v in conf.items()))
    if key not in _stores:
        _stores[key] = store_from_settings(conf)
    return _stores[key]


def _lock_path() -> Path:
    conf = config()
    return Path(f"{conf.get('PATH') or Path(settings.VAR_DIR) / 'analytics'}.consume.lock")


# --- the register's side --------------------------------------------------------------


def state() -> State:
    """The register's identity and generation (created when missing, e.g. after a flush)."""
    found = State.objects.filter(pk=1).first()
    if found is None:
        found, _created = State.objects.get_or_create(
            pk=1, defaults={"register_id": str(uuid.uuid4())}
        )
    return found


def register_replaced() -> None:
    """The register was replaced under the store (`musow restore`): it gets a new identity,
    so that no store nor cached page built before serves it (a restored register may be
    an earlier state of the same one); the store is rebuilt as for a new register."""
    State.objects.update_or_create(pk=1, defaults={"register_id": str(uuid.uuid4())})


def generation() -> tuple[str, int]:
    s = state()
    return s.register_id, s.generation


def pending() -> bool:
    return Change.objects.exists()


def in_foreign_transaction() -> bool:
    """Inside an atomic block opened by the application (not by a test case): its writes
    may still be rolled back, so the store must not copy them yet."""
    return connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


@contextmanager
def consume_lock(timeout: float) -> Iterator[None]:
    with file_lock(_lock_path(), exclusive=True, timeout=timeout):
        if connection.vendor != "postgresql":
            yield
            return
        deadline = time.monotonic() + timeout
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() >= deadline:
                    raise StoreBusy("advisory lock")
                time.sleep(0.02)
            try:
                yield
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])


# --- catching up ----------------------------------------------------------------------


@dataclass
class SyncReport:
    activities: int = 0
    batches: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    notes: list[str] = field(default_factory=list)


def sync(*, timeout: float = 30.0) -> SyncReport:
    """Copy every pending change into the store. Raises StoreBusy when another process
    holds the consume lock longer than `timeout`, StoreMissing/StoreStale when the store
    must be rebuilt first."""
    report = SyncReport()
    if not pending():
        return report
    started = time.perf_counter()
    with consume_lock(timeout):
        store = current_store()
        if store is not None:
            _ensure_in_step(store, timeout, report)
        while True:
            with transaction.atomic():
                # Rows a dead consumer left claimed come along (we hold the lock).
                batch = list(
                    Change.objects.filter(claimed=False)
                    .order_by("id")
                    .values_list("id", flat=True)[:BATCH]
                )
                if batch:
                    Change.objects.filter(id__in=batch).update(claimed=True)
                claimed = [
                    int(activity)
                    for activity in Change.objects.filter(claimed=True)
                    .exclude(activity_id=None)
                    .values_list("activity_id", flat=True)
                    .distinct()
                    if activity is not None
                ]
                anything = batch or Change.objects.filter(claimed=True).exists()
            if not anything:
                break
            if store is not None and claimed:
                apply(store, sorted(claimed), timeout=timeout)
            with transaction.atomic():
                Change.objects.filter(claimed=True).delete()
                _bump()
            report.activities += len(claimed)
            report.batches += 1
    report.seconds = time.perf_counter() - started
    return report


def _bump() -> None:
    state()
    from django.db.models import F

    State.objects.filter(pk=1).update(generation=F("generation") + 1)


class StoreStale(Exception):
    """The store mirrors another register, or an older schema: it must be rebuilt."""


def store_identity(store: Store, timeout: float) -> dict[str, str]:
    try:
        with store.reading(timeout) as session:
            return dict(session.rows(f"SELECT name, value FROM {store.table('meta')}"))
    except StoreMissing:
        return {}


def in_step(store: Store, timeout: float) -> bool:
    meta = store_identity(store, timeout)
    return meta.get("register") == state().register_id and meta.get("schema") == SCHEMA_VERSION


def ensure_in_step(timeout: float) -> bool:
    """Rebuild the store if it must be and may be (small register); True if it was."""
    store = current_store()
    if store is None:
        return False
    report = SyncReport()
    with consume_lock(timeout):
        _ensure_in_step(store, timeout, report)
    return report.rebuilt


def _ensure_in_step(store: Store, timeout: float, report: SyncReport) -> None:
    if in_step(store, timeout):
        return
    limit = int(config().get("AUTO_REBUILD_MAX", 200_000))
    from musow.activities.models import Activity

    if Activity.objects.count() > limit:
        raise StoreStale(store.describe())
    _rebuild_locked(store, timeout)
    report.rebuilt = True


def apply(store: Store, ids: list[int], *, timeout: float = 30.0) -> None:
    """Copy these activities' rows from the register into the store (one transaction)."""
    WRITES[0] += 1
    with tempfile.TemporaryDirectory(prefix="musow-analytics-") as tmp:
        files = extract.write(Path(tmp), ids)
        listed = ", ".join(str(int(i)) for i in ids)
        with store.writing(timeout) as session:
            for kind in KINDS:
                for statement in store.ddl(store.stage(kind), STAGES[kind], stage=True):
                    session.execute(statement)
                path, rows = files[kind]
                if rows:
                    session.load(store.stage(kind), STAGES[kind], path)
            for kind in KINDS:
                session.execute(
                    f"DELETE FROM {store.table(fact_table(kind))} WHERE activity_id IN ({listed})"
                )
            for kind in KINDS:
                if files[kind][1]:
                    session.execute(
                        fill_sql(
                            kind,
                            store.table(fact_table(kind)),
                            store.stage(kind),
                            store.stage("activity"),
                        )
                    )


# --- rebuild ---------------------------------------------------------------------------


def rebuild(*, timeout: float = 600.0) -> dict[str, Any]:
    """Build the store anew from the register, swap it in, then copy what changed meanwhile."""
    store = current_store()
    if store is None:
        raise StoreMissing("MUSOW_ANALYTICS=register: there is no store to build")
    with consume_lock(timeout):
        figures = _rebuild_locked(store, timeout)
    figures["sync"] = sync(timeout=timeout).activities
    return figures


def _rebuild_locked(store: Store, timeout: float) -> dict[str, Any]:
    WRITES[0] += 1
    started = time.perf_counter()
    figures: dict[str, Any] = {"store": store.describe(), "rows": {}}
    register = state().register_id
    with tempfile.TemporaryDirectory(prefix="musow-analytics-") as tmp:
        t = time.perf_counter()
        files = extract.write(Path(tmp))
        figures["copy_seconds"] = time.perf_counter() - t
        t = time.perf_counter()
        with store.rebuilding(timeout) as (session, suffix):
            figures["rows"] = fill(
                session,
                files,
                stage=lambda kind: store.stage(kind) + suffix,
                table=lambda name: store.table(name) + suffix,
                store=store,
            )
            meta = store.table("meta") + suffix
            for statement in store.ddl(meta, [("name", "code"), ("value", "code")]):
                session.execute(statement)
            session.execute(
                f"INSERT INTO {meta} (name, value) VALUES ('register', '{register}'), "
                f"('schema', '{SCHEMA_VERSION}')"
            )
        figures["load_seconds"] = time.perf_counter() - t
    figures["seconds"] = time.perf_counter() - started
    return figures


def fill(
    session: Session,
    files: dict[str, tuple[Path, int]],
    *,
    stage: Callable[[str], str],
    table: Callable[[str], str],
    store: Store,
) -> dict[str, int]:
    """Create the fact tables and fill them from the copied files (a rebuild, a check)."""
    rows = {}
    for kind in KINDS:
        for statement in store.ddl(stage(kind), STAGES[kind], stage=True):
            session.execute(statement)
        path, count = files[kind]
        if count:
            session.load(stage(kind), STAGES[kind], path)
    for kind in KINDS:
        fact = table(fact_table(kind))
        for statement in store.ddl(fact, fact_columns(kind)):
            session.execute(statement)
        if files[kind][1]:
            session.execute(fill_sql(kind, fact, stage(kind), stage("activity"), ordered=True))
        rows[kind] = files[kind][1]
    for kind in KINDS:
        session.execute(f"DROP TABLE IF EXISTS {stage(kind)}")
    return rows


# --- after each request and command -------------------------------------------------


def sync_quietly(timeout: float = 0.0) -> None:
    """Catch up if nobody else is doing it; never fail the caller (the next figure will)."""
    try:
        if in_foreign_transaction() or not pending():
            return
        sync(timeout=timeout)
    except (StoreBusy, StoreMissing, StoreStale, DatabaseError) as exc:
        log.info("analytics store not synced now: %s", exc)
    except Exception:  # never break a response that has been sent
        log.exception("analytics store sync failed")


def sync_after_request(**_: Any) -> None:
    """After a response to a write has been sent (analytics.middleware): copy what the
    request changed, so the next figure does not wait for it. Django has closed the
    connection by now; this one is closed again as Django would (not inside a test's
    transaction)."""
    from musow.analytics.middleware import wrote

    if not wrote.get():
        return
    wrote.set(False)
    sync_quietly()
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()
