"""Whole dashboards and report builds, computed once for all the server's processes.

    board = remember("dashboard", [lang, period, scope…], lambda: build(choice))

The cache (settings.CACHES, files in var/cache by default: shared by every process on the
machine; a Redis or Memcached URL for several machines) is keyed by the register's
identity and generation. The generation moves each time the analytics store copies a
change (`sync`), so the same change signal — the outbox the register's triggers write —
makes every cached board and report stale: the next page after a validation shows it.
Before reading the cache, pending changes are copied (read-your-writes); when they cannot
be (the store is busy, or the caller's own transaction wrote them), nothing is cached.
"""

import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import DatabaseError

from musow.analytics import sync
from musow.analytics.stores import StoreBusy, StoreMissing

log = logging.getLogger(__name__)

T = TypeVar("T")
SYNC_TIMEOUT = 10.0


def remember(namespace: str, key: Sequence[Any], build: Callable[[], T], timeout: int = 3600) -> T:
    try:
        if sync.in_foreign_transaction():
            return build()
        try:
            sync.sync(timeout=SYNC_TIMEOUT)
        except (StoreBusy, StoreMissing, sync.StoreStale) as exc:
            log.info("cache bypassed: %s", exc)
        if sync.pending():
            return build()
        register, generation = sync.generation()
    except DatabaseError:  # no analytics tables (a database not migrated yet)
        return build()
    digest = hashlib.sha256(repr(list(key)).encode()).hexdigest()[:32]
    full = f"musow:{namespace}:{register}:{generation}:{digest}"
    found = cache.get(full)
    if found is not None:
        return found
    from musow.indicators.engine import batch

    with batch():  # one store session for the whole build
        value = build()
    cache.set(full, value, timeout)
    return value
