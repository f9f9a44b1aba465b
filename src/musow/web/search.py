"""Word search over activities' titles and descriptions, backed by a full-text index so
that a search costs the same at 1 000 000 activities as at 1 000.

- SQLite: an FTS5 table kept in step with activities_activity by triggers (external
  content: the text is not stored twice); accents and case are ignored.
- PostgreSQL: a GIN index on to_tsvector('simple', title || ' ' || description);
  case is ignored, accents are not.

Each word typed must appear in the title or the description, as a word or the start of
one ("sensib" finds "sensibilisation"). The index is (re)created after every `migrate`
(`ensure_search_index`, connected to post_migrate): SQLite drops triggers when a later
migration rebuilds the activities table, and this puts them back and refills the index.
"""

import re
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from musow.activities.models import Activity

FTS = "web_activity_search"
TRIGGERS = (f"{FTS}_ai", f"{FTS}_ad", f"{FTS}_au")
PG_INDEX = "web_activity_search_gin"
PG_DOCUMENT = "to_tsvector('simple'::regconfig, title || ' ' || description)"
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")  # letters and digits

SQLITE_SETUP = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        title, description, content='activities_activity', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON activities_activity BEGIN
        INSERT INTO {FTS}(rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON activities_activity BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF title, description
        ON activities_activity BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO {FTS}(rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
]


def ensure_search_index(using: str = "default", **_: Any) -> None:
    """Create the full-text index if it is missing (and fill it); nothing otherwise."""
    connection = connections[using]
    if Activity._meta.db_table not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                TRIGGERS,
            )
            if cursor.fetchone()[0] == len(TRIGGERS):
                return
            for statement in SQLITE_SETUP:
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
            if cursor.fetchone()[0]:
                return
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON activities_activity "
                f"USING gin (({PG_DOCUMENT}))"
            )


_present: dict[tuple[str, str], bool] = {}


def _has_index(connection: Any) -> bool:
    """Whether the SQLite database has the index (a database migrated before it existed,
    and not migrated since, has not: its searches fall back to a scan, never fail)."""
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    if not _present.get(key):
        _present[key] = FTS in connection.introspection.table_names()
    return _present[key]


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")[:MAX_WORDS]


def matching(qs: QuerySet[Activity], text: str) -> QuerySet[Activity]:
    """The activities of `qs` whose title or description has every word of `text`."""
    found = words(text)
    if not found:
        return qs
    connection = connections[qs.db]
    vendor = connection.vendor
    if vendor == "sqlite" and _has_index(connection):
        query = " ".join(f'"{word}"*' for word in found)
        sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"
    elif vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in found)
        sql = (
            f"SELECT id FROM activities_activity "
            f"WHERE {PG_DOCUMENT} @@ to_tsquery('simple'::regconfig, %s)"
        )
    else:  # no index: a plain (slower) scan
        for word in found:
            qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return qs
    return qs.filter(pk__in=RawSQL(sql, [query]))
