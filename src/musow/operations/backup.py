"""Backing up and restoring the whole database: `musow backup FILE`, `musow restore FILE`.

A backup is the database itself, copied by its own engine's tools, so that it carries
everything — activities (deleted ones too), users, targets, issued reports, the audit trail,
attendee keys — and can be read by the usual tools without musow:

- SQLite: one SQLite file written with SQLite's online backup API (a consistent copy taken
  while the server keeps running; readers and writers are not stopped);
- PostgreSQL: a `pg_dump --format=custom` archive (Debian's postgresql-client, of the
  server's major version or newer), restored with `pg_restore` through `psql` in one
  transaction.

Restoring checks first that the file is a backup of a musow database (its migration table
names musow's apps), of the configured engine, and of a migration state this code knows
(a backup made by a newer musow is refused; an older one is migrated forward after the
restore). A database that already holds data (activities, users, targets, issued reports
or audit entries) is never overwritten unless `force` is given; then it is replaced as a
whole, in one transaction: a restore that fails leaves it as it was.

This is an operations helper: it reads Django's connection and migration tables, and
looks the tables it counts up by app label, so that no domain app depends on it and it
imports no door.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# The apps whose migrations make a database musow's.
MUSOW_APPS = frozenset({"geo", "activities", "indicators", "accounts", "audit"})
# What "holds data" means: records people made (reference data alone can be loaded again).
DATA_MODELS = (
    ("activities", "Activity"),
    ("accounts", "User"),
    ("indicators", "Target"),
    ("reports", "IssuedReport"),
    ("audit", "Entry"),
)


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in the user's language."""


@dataclass
class BackupInfo:
    engine: str  # "sqlite" or "postgresql"
    migrations: set[tuple[str, str]] = field(default_factory=set)
    newer: list[str] = field(default_factory=list)  # migrations this code does not know


def _connection() -> Any:
    return connections[DEFAULT_DB_ALIAS]


def engine() -> str:
    vendor = _connection().vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups are made for SQLite and PostgreSQL only."))
    return str(vendor)


# --- writing a backup ----------------------------------------------------------------------


def backup_write(path: Path) -> BackupInfo:
    """Write a backup of the configured database to `path` (written aside, then moved into
    place: a failed backup leaves no half-written file)."""
    kind = engine()
    path = Path(path)
    if path.exists() and path.is_dir():
        raise BackupError(_("%(file)s is a folder: give a file name.") % {"file": path})
    part = path.with_name(path.name + ".part")
    try:
        if kind == "sqlite":
            _sqlite_backup(part)
        else:
            _pg_dump(part)
        try:
            backup_read(part)
        except BackupError:
            raise BackupError(
                _("The configured database is not set up (run “musow setup”): nothing to back up.")
            ) from None
        os.replace(part, path)
    except OSError as exc:
        raise BackupError(
            _("Cannot write %(file)s: %(error)s.") % {"file": path, "error": exc.strerror}
        ) from exc
    finally:
        part.unlink(missing_ok=True)
    return backup_read(path)


def _sqlite_backup(out: Path) -> None:
    connection = _connection()
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(out)
    try:
        source.backup(target)  # one step: a consistent snapshot, writers keep writing (WAL)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()


def _pg_dump(out: Path) -> None:
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={out}"],
        env=_pg_env(),
    )


# --- reading a backup ----------------------------------------------------------------------


def backup_read(path: Path) -> BackupInfo:
    """What a backup file is: its engine and its migration state. Raises BackupError when it
    is not a backup of a musow database."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise BackupError(
            _("Cannot read %(file)s: %(error)s.") % {"file": path, "error": exc.strerror}
        ) from exc
    if head.startswith(SQLITE_MAGIC):
        info = BackupInfo("sqlite", _sqlite_migrations(path))
    elif head.startswith(PGDUMP_MAGIC):
        info = BackupInfo("postgresql", _pg_migrations(path))
    else:
        raise BackupError(
            _("%(file)s is not a musow backup (neither a SQLite database nor a pg_dump archive).")
            % {"file": path}
        )
    if not MUSOW_APPS <= {app for app, _name in info.migrations}:
        raise BackupError(
            _("%(file)s is not a backup of a musow database (its migrations are not musow's).")
            % {"file": path}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    info.newer = sorted(f"{app}.{name}" for app, name in info.migrations - known)
    return info


def _sqlite_migrations(path: Path) -> set[tuple[str, str]]:
    try:
        db = sqlite3.connect(_read_only(path), uri=True)
        try:
            rows = db.execute("SELECT app, name FROM django_migrations").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return set()
    return {(str(app), str(name)) for app, name in rows}


def _pg_migrations(path: Path) -> set[tuple[str, str]]:
    """The rows of django_migrations in the archive (read with pg_restore, nothing restored)."""
    listing = _run([_tool("pg_restore"), "--list", str(path)], check=False)
    if listing.returncode != 0 or not re.search(
        r"TABLE DATA \S+ django_migrations ", listing.stdout
    ):
        return set()
    data = _run(
        [_tool("pg_restore"), "--data-only", "--table=django_migrations", "--file=-", str(path)]
    ).stdout
    rows: set[tuple[str, str]] = set()
    copying = False
    for line in data.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying:
            cells = line.split("\t")
            if len(cells) >= 3:
                rows.add((cells[1], cells[2]))
    return rows


# --- restoring -----------------------------------------------------------------------------


def database_holds_data() -> bool:
    """Whether the configured database holds records people made (see DATA_MODELS)."""
    connection = _connection()
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for app, model in DATA_MODELS:
            table = apps.get_model(app, model)._meta.db_table
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def backup_restore(path: Path, *, force: bool = False) -> BackupInfo:
    """Replace the configured database with the backup in `path`, then apply the migrations
    the backup predates. Refuses a file that is not a musow backup of this engine, a backup
    made by a newer musow, and (without `force`) a database that holds data."""
    info = backup_read(path)
    kind = engine()
    if info.engine != kind:
        raise BackupError(
            _(
                "%(file)s is a backup of a %(backup)s database; the configured database is "
                "%(configured)s. Restore it into a %(backup)s database."
            )
            % {
                "file": path,
                "backup": _engine_name(info.engine),
                "configured": _engine_name(kind),
            }
        )
    if info.newer:
        raise BackupError(
            _(
                "%(file)s was made by a newer version of musow (migrations unknown here: "
                "%(migrations)s). Upgrade musow before restoring it."
            )
            % {"file": path, "migrations": ", ".join(info.newer)}
        )
    if not force and database_holds_data():
        raise BackupError(
            _(
                "The configured database already holds data (activities, users, targets, "
                "issued reports or audit entries). Restore into a new database, or give "
                "--force to replace it."
            )
        )
    connections.close_all()
    if kind == "sqlite":
        _sqlite_restore(Path(path))
    else:
        _pg_restore(Path(path))
    connections.close_all()
    call_command("migrate", interactive=False, verbosity=0)  # a backup from an older musow
    return info


def _engine_name(kind: str) -> str:
    return "SQLite" if kind == "sqlite" else "PostgreSQL"


def _sqlite_restore(path: Path) -> None:
    name = _connection().settings_dict["NAME"]
    if not name or str(name) == ":memory:" or str(name).startswith("file:"):
        raise BackupError(_("Restore needs a SQLite database file, not one in memory."))
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(_read_only(path), uri=True)
    target = sqlite3.connect(name)
    try:
        target.execute("PRAGMA busy_timeout=5000")
        source.backup(target)  # one step: all pages or none
    finally:
        target.close()
        source.close()


# The functions of the current schema that the archive creates again (the analytics
# store's triggers call them): dropped with the tables, except those of extensions.
_DROP_FUNCTIONS = """DO $$ DECLARE f record; BEGIN
  FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema() AND p.prokind = 'f'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP EXECUTE 'DROP FUNCTION IF EXISTS ' || f.sig || ' CASCADE'; END LOOP;
END $$;
"""


def _pg_restore(path: Path) -> None:
    """Drop every table of the configured database and load the archive, in one transaction:
    pg_restore writes the archive's SQL to a file (all of it, or the restore stops there),
    then psql runs the drops and that SQL with --single-transaction and stops at the first
    error, which rolls everything back."""
    connection = _connection()
    tables = connection.introspection.table_names()
    env = _pg_env()
    with tempfile.TemporaryDirectory(prefix="musow-restore-") as tmp:
        drops, script = Path(tmp) / "drop.sql", Path(tmp) / "restore.sql"
        drops.write_text(
            "".join(
                f"DROP TABLE IF EXISTS {connection.ops.quote_name(t)} CASCADE;\n" for t in tables
            )
            + _DROP_FUNCTIONS,
            encoding="utf-8",
        )
        _run(
            [_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(path)],
            env=env,
        )
        _run(
            [
                _tool("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--file={drops}",
                f"--file={script}",
            ],
            env=env,
        )


def _read_only(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro"


# --- tools ---------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "%(tool)s is not installed: install PostgreSQL's client tools "
                "(Debian: apt-get install postgresql-client)."
            )
            % {"tool": name}
        )
    return found


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database (no password on a command line)."""
    s = _connection().settings_dict
    env = dict(os.environ)
    for key, var in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if s.get(key):
            env[var] = str(s[key])
    sslmode = (s.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(
    args: list[str], *, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(args[0]).name, "error": result.stderr.strip()}
        )
    return result
