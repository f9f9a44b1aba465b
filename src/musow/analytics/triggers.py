"""Database triggers that write the outbox (`analytics_change`) in the same transaction as
every change the figures depend on, whatever wrote it: the services, an import, the
admin, a bulk load in SQL. Nothing in the domain apps knows about them.

- a change to an activity or to a row hanging on it (participation, attendance, media
  reach, themes, partners) → that activity;
- an attendee's sex, a place's region, a campaign's series → every activity that uses it;
- an indicator, its filters or a target → a row with no activity (cached dashboards and
  reports are stale, the store has nothing to copy).

Created after every `migrate` (`ensure`, connected to post_migrate): SQLite drops a
table's triggers when a migration rebuilds that table, and this puts them back.

Why triggers rather than a call in activities/services.py: they cannot be bypassed (a
bulk load, `QuerySet.update()`, the shell), they commit or roll back with the change, and
the domain apps stay unaware of the store. Their cost, measured by bench/imports.py, is
in bench/README.md.
"""

from typing import Any

from django.apps import apps
from django.db import connections

OUTBOX = "analytics_change"
# Columns of an activity its figures read (an update of its title changes no figure).
ACTIVITY_COLUMNS = (
    "status",
    "start_date",
    "activity_type_id",
    "place_id",
    "campaign_id",
    "project_id",
    "organiser_id",
)


def _tables() -> dict[str, Any]:
    """(table → what to enqueue) for the current models."""
    Activity = apps.get_model("activities", "Activity")
    Indicator = apps.get_model("indicators", "Indicator")
    activity = Activity._meta.db_table
    direct = {
        activity: ("id", ACTIVITY_COLUMNS),
        apps.get_model("activities", "Participation")._meta.db_table: ("activity_id", ()),
        apps.get_model("activities", "Attendance")._meta.db_table: ("activity_id", ()),
        apps.get_model("activities", "MediaReach")._meta.db_table: ("activity_id", ()),
        Activity.themes.through._meta.db_table: ("activity_id", ()),
        Activity.partners.through._meta.db_table: ("activity_id", ()),
    }
    attendance = apps.get_model("activities", "Attendance")._meta.db_table
    fan_out = {
        apps.get_model("activities", "Attendee")._meta.db_table: (
            "sex",
            "activity_id",
            f"{attendance} WHERE attendee_id = NEW.id",
        ),
        apps.get_model("geo", "Place")._meta.db_table: (
            "region_id",
            "id",
            f"{activity} WHERE place_id = NEW.id",
        ),
        apps.get_model("activities", "Campaign")._meta.db_table: (
            "series_id",
            "id",
            f"{activity} WHERE campaign_id = NEW.id",
        ),
    }
    definitions = [Indicator._meta.db_table]
    definitions += [
        field.remote_field.through._meta.db_table for field in Indicator._meta.many_to_many
    ]
    try:
        definitions.append(apps.get_model("indicators", "Target")._meta.db_table)
    except LookupError:
        pass
    return {"direct": direct, "fan_out": fan_out, "definitions": definitions}


def sqlite_statements() -> list[str]:
    t = _tables()
    enqueue = f"INSERT OR IGNORE INTO {OUTBOX} (activity_id, claimed)"
    out = []
    for table, (column, watched) in t["direct"].items():
        update_of = f" OF {', '.join(watched)}" if watched else ""
        out += [
            f"CREATE TRIGGER IF NOT EXISTS analytics_{table}_ai AFTER INSERT ON {table} "
            f"BEGIN {enqueue} VALUES (NEW.{column}, 0); END",
            f"CREATE TRIGGER IF NOT EXISTS analytics_{table}_au AFTER UPDATE{update_of} "
            f"ON {table} BEGIN {enqueue} VALUES (NEW.{column}, 0); "
            f"{enqueue} SELECT OLD.{column}, 0 WHERE OLD.{column} IS NOT NEW.{column}; END",
            f"CREATE TRIGGER IF NOT EXISTS analytics_{table}_ad AFTER DELETE ON {table} "
            f"BEGIN {enqueue} VALUES (OLD.{column}, 0); END",
        ]
    for table, (column, key, rows) in t["fan_out"].items():
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS analytics_{table}_au AFTER UPDATE OF {column} "
            f"ON {table} WHEN OLD.{column} IS NOT NEW.{column} "
            f"BEGIN {enqueue} SELECT DISTINCT {key}, 0 FROM {rows}; END"
        )
    for table in t["definitions"]:
        for event, short in (("INSERT", "ai"), ("UPDATE", "au"), ("DELETE", "ad")):
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS analytics_{table}_{short} AFTER {event} "
                f"ON {table} BEGIN INSERT INTO {OUTBOX} (activity_id, claimed) "
                f"VALUES (NULL, 0); END"
            )
    return out


POSTGRES_ENQUEUE = f"""
CREATE OR REPLACE FUNCTION analytics_enqueue(key bigint) RETURNS void LANGUAGE sql AS $$
    -- DO UPDATE, not DO NOTHING: it locks the pending row, so a consumer claiming it
    -- waits for this transaction and then reads what it wrote.
    INSERT INTO {OUTBOX} (activity_id, claimed) VALUES (key, false)
    ON CONFLICT (activity_id) WHERE NOT claimed DO UPDATE SET claimed = false
$$"""


def postgres_statements() -> list[str]:
    t = _tables()
    out = [POSTGRES_ENQUEUE]
    for table, (column, watched) in t["direct"].items():
        function = f"analytics_enqueue_{table}"
        out.append(
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN PERFORM analytics_enqueue(NEW.{column}); END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.{column} IS DISTINCT FROM NEW.{column})
    THEN PERFORM analytics_enqueue(OLD.{column}); END IF;
    RETURN NULL;
END $$"""
        )
        update_of = f" OF {', '.join(watched)}" if watched else ""
        out.append(
            f"CREATE OR REPLACE TRIGGER analytics_enqueue AFTER INSERT OR DELETE "
            f"OR UPDATE{update_of} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    for table, (column, key, rows) in t["fan_out"].items():
        function = f"analytics_enqueue_{table}"
        out.append(
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analytics_enqueue(k) FROM (SELECT DISTINCT {key} FROM {rows}) AS changed(k);
    RETURN NULL;
END $$"""
        )
        out.append(
            f"CREATE OR REPLACE TRIGGER analytics_enqueue AFTER UPDATE OF {column} ON {table} "
            f"FOR EACH ROW WHEN (OLD.{column} IS DISTINCT FROM NEW.{column}) "
            f"EXECUTE FUNCTION {function}()"
        )
    out.append(
        f"""CREATE OR REPLACE FUNCTION analytics_definitions_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {OUTBOX} (activity_id, claimed) VALUES (NULL, false);
    RETURN NULL;
END $$"""
    )
    for table in t["definitions"]:
        out.append(
            f"CREATE OR REPLACE TRIGGER analytics_enqueue AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION analytics_definitions_changed()"
        )
    return out


def ensure(using: str = "default", **_: Any) -> None:
    """Create the triggers that are missing (all of them on a new database)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if OUTBOX not in existing:
        drop(using)  # the outbox is gone (migrated back): triggers would break every write
        return
    if connection.vendor == "sqlite":
        statements = sqlite_statements()
    elif connection.vendor == "postgresql":
        statements = postgres_statements()
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def names(using: str = "default") -> list[tuple[str, str]]:
    """(table, trigger) of every analytics trigger in the database, for checks and loads."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'analytics_%' ORDER BY 1, 2"
            )
        else:
            cursor.execute(
                "SELECT event_object_table, trigger_name FROM information_schema.triggers "
                "WHERE trigger_name = 'analytics_enqueue' GROUP BY 1, 2 ORDER BY 1, 2"
            )
        return [(str(a), str(b)) for a, b in cursor.fetchall()]


def drop(using: str = "default") -> None:
    """Remove every analytics trigger (and PostgreSQL's functions behind them)."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    found = names(using)
    with connection.cursor() as cursor:
        for table, trigger in found:
            if connection.vendor == "sqlite":
                cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
            else:
                cursor.execute(f'DROP TRIGGER IF EXISTS {trigger} ON "{table}"')
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT p.oid::regprocedure::text FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE 'analytics\\_%%'"
            )
            for (function,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}")
