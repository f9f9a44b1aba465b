"""The engines the analytics store runs on, behind one small interface:

- `DuckDBStore` (default): one file (var/analytics.duckdb), embedded, nothing to run.
  DuckDB lets one process write a file, or several read it, never both at once; so every
  process reads under a shared lock (`flock` on analytics.duckdb.lock, a connection opened
  read-only for the computation and closed after) and writes under the exclusive one.
  A write is one DuckDB transaction: a process that dies in the middle leaves the file as
  it was before it (DuckDB's write-ahead log), and its outbox rows are copied again.
- `ClickHouseStore`: the same tables and the same SQL on ClickHouse, either a server
  reached with clickhouse-connect (`MUSOW_ANALYTICS=clickhouse`, MUSOW_ANALYTICS_URL) or
  ClickHouse's engine inside this process (`chdb`, what the tests run).

A store reads rows (`rows`), runs statements (`execute`) and loads the tab-separated files
the register is copied to (`load`).
"""

import fcntl
import json
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from musow.analytics.schema import Column


class StoreBusy(Exception):
    """The store's lock could not be had in time (a rebuild, a long write)."""


class StoreMissing(Exception):
    """There is no store yet (never built)."""


@contextmanager
def file_lock(path: Path, *, exclusive: bool, timeout: float) -> Iterator[None]:
    """flock on `path`, waiting at most `timeout` seconds (StoreBusy after that). The lock
    goes with the process: one that dies releases it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + timeout
    pause = 0.002
    try:
        while True:
            try:
                fcntl.flock(fd, mode)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(str(path)) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


class Session(ABC):
    """What a store does inside `reading()` or `writing()` (the DuckDB and ClickHouse
    sessions below implement it)."""

    @abstractmethod
    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def execute(self, sql: str) -> None: ...

    @abstractmethod
    def load(self, table: str, columns: list[Column], path: Path) -> None: ...


class Store(ABC):
    """The analytics store's interface: DuckDBStore (embedded) and ClickHouseStore."""

    engine = ""
    join_settings = ""  # appended to figure queries (ClickHouse: LEFT JOIN gives NULLs)

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def table(self, name: str) -> str: ...

    @abstractmethod
    def any_of(self, column: str, ids: str) -> str:
        """The condition "the list `column` holds one of `ids`" (comma-separated): the one
        function whose name differs between the engines."""
        ...

    @abstractmethod
    def stage(self, kind: str) -> str: ...

    @abstractmethod
    def ddl(self, table: str, columns: list[Column], *, stage: bool = False) -> list[str]: ...

    @abstractmethod
    def reading(self, timeout: float) -> AbstractContextManager[Session]: ...

    @abstractmethod
    def writing(self, timeout: float) -> AbstractContextManager[Session]: ...

    @abstractmethod
    def rebuilding(self, timeout: float) -> AbstractContextManager[tuple[Session, str]]:
        """A session on an empty store to fill (its tables named with the suffix it gives),
        put in place of the current one when the block ends without error (the current one
        serves readers meanwhile)."""
        ...

    @abstractmethod
    def comparing(
        self, timeout: float
    ) -> AbstractContextManager[tuple[Session, Callable[[str], str], Callable[[str], str]]]:
        """A session where scratch tables can be filled beside the store's, to compare
        them: (session, name of a scratch table, name of the store's table)."""
        ...

    @abstractmethod
    def exists(self) -> bool: ...

    @abstractmethod
    def discard(self) -> None:
        """Remove the store (it is rebuilt when next needed)."""
        ...


# --- DuckDB -----------------------------------------------------------------------------

DUCK_TYPES = {
    "id": "BIGINT",
    "id?": "BIGINT",
    "code": "VARCHAR",
    "date": "DATE",
    "int": "INTEGER",
    "count": "BIGINT",
    "ids": "BIGINT[]",
}


class _DuckSession(Session):
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return list(self.connection.execute(sql).fetchall())

    def execute(self, sql: str) -> None:
        self.connection.execute(sql)

    def load(self, table: str, columns: list[Column], path: Path) -> None:
        types = ", ".join(f"'{name}': '{DUCK_TYPES[kind]}'" for name, kind in columns)
        names = ", ".join(name for name, _kind in columns)
        self.connection.execute(
            f"INSERT INTO {table} ({names}) SELECT * FROM read_csv('{path}', delim = '\\t', "
            f"header = false, quote = '', escape = '', nullstr = '\\N', auto_detect = false, "
            f"columns = {{{types}}})"
        )


# DuckDB's memory for a figure or a copy (its buffers; a server process must stay small),
# and for a rebuild (a command; larger joins spill to disk beyond it).
READ_MEMORY = "256MB"
REBUILD_MEMORY = "2GB"


class DuckDBStore(Store):
    engine = "duckdb"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lock = Path(f"{self.path}.lock")

    def describe(self) -> str:
        return f"duckdb ({self.path})"

    def any_of(self, column: str, ids: str) -> str:
        # list_contains(…) OR …: a third of list_has_any's time on DuckDB (bench/README.md)
        ors = " OR ".join(f"list_contains({column}, {i.strip()})" for i in ids.split(","))
        return f"({ors})"

    def table(self, name: str) -> str:
        return name

    def stage(self, kind: str) -> str:
        return f"stage_{kind}"

    def ddl(self, table: str, columns: list[Column], *, stage: bool = False) -> list[str]:
        body = ", ".join(
            f"{name} {DUCK_TYPES[kind]}{'' if kind.endswith('?') else ' NOT NULL'}"
            for name, kind in columns
        )
        temp = "TEMP " if stage else ""
        return [f"CREATE OR REPLACE {temp}TABLE {table} ({body})"]

    def exists(self) -> bool:
        return self.path.exists()

    @contextmanager
    def comparing(
        self, timeout: float
    ) -> Iterator[tuple[Session, Callable[[str], str], Callable[[str], str]]]:
        import duckdb

        with file_lock(self.lock, exclusive=False, timeout=timeout):
            if not self.path.exists():
                raise StoreMissing(str(self.path))
            connection = duckdb.connect()  # in memory: the scratch tables
            try:
                connection.execute(f"ATTACH '{self.path}' AS current (READ_ONLY)")
                yield (
                    _DuckSession(connection),
                    (lambda name: name),
                    (lambda name: f"current.{name}"),
                )
            finally:
                connection.close()

    def discard(self) -> None:
        with file_lock(self.lock, exclusive=True, timeout=30):
            for path in (self.path, Path(f"{self.path}.wal")):
                path.unlink(missing_ok=True)

    @contextmanager
    def reading(self, timeout: float) -> Iterator[Session]:
        import duckdb

        with file_lock(self.lock, exclusive=False, timeout=timeout):
            if not self.path.exists():
                raise StoreMissing(str(self.path))
            connection = duckdb.connect(
                str(self.path), read_only=True, config={"memory_limit": READ_MEMORY}
            )
            try:
                yield _DuckSession(connection)
            finally:
                connection.close()

    @contextmanager
    def writing(self, timeout: float) -> Iterator[Session]:
        import duckdb

        with file_lock(self.lock, exclusive=True, timeout=timeout):
            if not self.path.exists():
                raise StoreMissing(str(self.path))
            connection = duckdb.connect(str(self.path), config={"memory_limit": READ_MEMORY})
            try:
                connection.execute("BEGIN TRANSACTION")
                yield _DuckSession(connection)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            finally:
                connection.close()  # checkpoints the write-ahead log into the file

    @contextmanager
    def rebuilding(self, timeout: float) -> Iterator[tuple[Session, str]]:
        import duckdb

        new = Path(f"{self.path}.new")
        for stale in (new, Path(f"{new}.wal")):
            stale.unlink(missing_ok=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(
            str(new),
            config={"memory_limit": REBUILD_MEMORY, "temp_directory": f"{new}.tmp"},
        )
        try:
            yield _DuckSession(connection), ""
            connection.execute("CHECKPOINT")
        except BaseException:
            connection.close()
            new.unlink(missing_ok=True)
            raise
        connection.close()
        # Readers that have the old file open go on reading it; the next ones open this.
        with file_lock(self.lock, exclusive=True, timeout=timeout):
            Path(f"{self.path}.wal").unlink(missing_ok=True)  # the old file's, if any
            os.replace(new, self.path)


# --- ClickHouse (a server through clickhouse-connect, or chDB in this process) ---------

CH_TYPES = {
    "id": "Int64",
    "id?": "Nullable(Int64)",
    "code": "LowCardinality(String)",
    "date": "Date32",
    "int": "Int32",
    "count": "Int64",
    "ids": "Array(Int64)",
}


class _ChdbSession(Session):
    def __init__(self, session: Any) -> None:
        self.session = session

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        result = self.session.query(sql, "JSONCompact")
        data = json.loads(result.bytes() or b'{"data": []}')
        return [tuple(row) for row in data["data"]]

    def execute(self, sql: str) -> None:
        self.session.query(sql)

    def load(self, table: str, columns: list[Column], path: Path) -> None:
        names = ", ".join(name for name, _kind in columns)
        structure = ", ".join(f"{name} {CH_TYPES[kind]}" for name, kind in columns)
        self.session.query(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM "
            f"file('{path}', 'TabSeparated', '{structure}')"
        )


class _ClientSession(Session):
    def __init__(self, client: Any) -> None:
        self.client = client

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.client.query(sql).result_rows]

    def execute(self, sql: str) -> None:
        self.client.command(sql)

    def load(self, table: str, columns: list[Column], path: Path) -> None:
        with open(path, "rb") as block:
            self.client.raw_insert(
                table, [name for name, _kind in columns], insert_block=block, fmt="TabSeparated"
            )


_chdb_sessions: dict[str, Any] = {}
_chdb_lock = threading.Lock()


class ClickHouseStore(Store):
    engine = "clickhouse"
    # A LEFT JOIN's missing side is NULL (not 0) as in SQL; 64-bit numbers as numbers.
    join_settings = " SETTINGS join_use_nulls = 1, output_format_json_quote_64bit_integers = 0"

    def __init__(self, *, url: str = "", path: str | Path = "") -> None:
        self.url = url
        self.path = str(path)
        self.database = (urlsplit(url).path.strip("/") if url else "") or "musow"

    def describe(self) -> str:
        if self.url:
            parts = urlsplit(self.url)
            return f"clickhouse ({parts.hostname}:{parts.port or 8123}/{self.database})"
        return f"clickhouse (chDB in this process, {self.path})"

    def table(self, name: str) -> str:
        return f"{self.database}.{name}"

    def any_of(self, column: str, ids: str) -> str:
        return f"hasAny({column}, [{ids}])"

    def stage(self, kind: str) -> str:
        return f"{self.database}.stage_{kind}"

    def ddl(self, table: str, columns: list[Column], *, stage: bool = False) -> list[str]:
        body = ", ".join(f"{name} {CH_TYPES[kind]}" for name, kind in columns)
        names = [name for name, _kind in columns]
        if stage:
            engine = "Memory"
        else:
            order = [name for name in ("start_date", "activity_id") if name in names]
            engine = f"MergeTree ORDER BY ({', '.join(order) or 'tuple()'})"
        return [f"DROP TABLE IF EXISTS {table}", f"CREATE TABLE {table} ({body}) ENGINE = {engine}"]

    def _session(self) -> Session:
        if self.url:
            import clickhouse_connect

            parts = urlsplit(self.url)
            client = clickhouse_connect.get_client(
                host=parts.hostname or "localhost",
                port=parts.port or 8123,
                username=parts.username or "default",
                password=parts.password or "",
                secure=parts.scheme in ("clickhouses", "https"),
            )
            return _ClientSession(client)
        with _chdb_lock:
            session = _chdb_sessions.get(self.path)
            if session is None:
                from chdb import session as chs

                Path(self.path).mkdir(parents=True, exist_ok=True)
                # chDB allows one session per process: close any other before.
                for other in list(_chdb_sessions):
                    _chdb_sessions.pop(other).close()
                session = _chdb_sessions[self.path] = chs.Session(self.path)
            return _ChdbSession(session)

    def exists(self) -> bool:
        session = self._session()
        found = session.rows(
            f"SELECT count() FROM system.tables WHERE database = '{self.database}' "
            f"AND name = 'meta'{self.join_settings}"
        )
        return bool(found and found[0][0])

    def discard(self) -> None:
        self._session().execute(f"DROP DATABASE IF EXISTS {self.database}")

    @contextmanager
    def comparing(
        self, timeout: float
    ) -> Iterator[tuple[Session, Callable[[str], str], Callable[[str], str]]]:
        if not self.exists():
            raise StoreMissing(self.describe())
        session = self._session()
        scratch: list[str] = []

        def name(table: str) -> str:
            scratch.append(f"{self.database}.{table}__check")
            return scratch[-1]

        try:
            yield session, name, self.table
        finally:
            for table in set(scratch):
                session.execute(f"DROP TABLE IF EXISTS {table}")

    @contextmanager
    def reading(self, timeout: float) -> Iterator[Session]:
        if not self.exists():
            raise StoreMissing(self.describe())
        yield self._session()

    @contextmanager
    def writing(self, timeout: float) -> Iterator[Session]:
        # No transaction: each copy deletes then inserts an activity's rows, and a copy
        # interrupted half-way is done again from the outbox.
        if not self.exists():
            raise StoreMissing(self.describe())
        yield self._session()

    @contextmanager
    def rebuilding(self, timeout: float) -> Iterator[tuple[Session, str]]:
        session = self._session()
        session.execute(f"CREATE DATABASE IF NOT EXISTS {self.database}")
        suffix = "__new"
        yield session, suffix
        tables = [
            row[0]
            for row in session.rows(
                f"SELECT name FROM system.tables WHERE database = '{self.database}' "
                f"AND endsWith(name, '{suffix}'){self.join_settings}"
            )
        ]
        # Each table is swapped atomically (EXCHANGE TABLES); meta goes last, so a store
        # interrupted half-way says it is not built yet.
        for new in sorted(tables, key=lambda name: name.startswith("meta")):
            old = f"{self.database}.{new[: -len(suffix)]}"
            new = f"{self.database}.{new}"
            session.execute(f"CREATE TABLE IF NOT EXISTS {old} AS {new}")
            session.execute(f"EXCHANGE TABLES {old} AND {new}")
            session.execute(f"DROP TABLE {new}")


def store_from_settings(config: dict[str, Any]) -> Store | None:
    engine = (config.get("ENGINE") or "duckdb").lower()
    if engine == "duckdb":
        return DuckDBStore(config["PATH"])
    if engine == "chdb":
        return ClickHouseStore(path=config.get("CHDB_PATH") or f"{config['PATH']}.chdb")
    if engine == "clickhouse":
        return ClickHouseStore(url=config["URL"])
    return None  # "register": no store
