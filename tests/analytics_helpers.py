"""Switching where figures are computed, for tests: the register (the ORM), DuckDB, or
ClickHouse's engine in this process (chDB)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import override_settings

from musow.indicators.engine import Result

STORES = ["duckdb", "chdb"]


def use_store(settings: Any, engine: str) -> None:
    """Point the test's settings at a store of this engine (the session's own files)."""
    config = dict(settings.ANALYTICS)
    config["ENGINE"] = engine
    if engine == "chdb":
        config["CHDB_PATH"] = config["PATH"] + ".chdb"
    settings.ANALYTICS = config


@contextmanager
def on_register() -> Iterator[None]:
    from django.conf import settings

    with override_settings(ANALYTICS={**settings.ANALYTICS, "ENGINE": "register"}):
        yield


def where(result: Result) -> set[str]:
    return {c.where.split(" ")[0] for c in result.computed_by}


def figures(result: Result) -> tuple[Any, dict[tuple[str, ...], Any]]:
    return result.total, {tuple(m.code for m in r.key.values()): r.value for r in result.rows}
