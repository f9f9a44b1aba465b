"""Copy the register's facts (all of them, or those of some activities) to tab-separated
files the store loads: `\\N` for NULL, as PostgreSQL's COPY writes them.

The queries are built with the ORM, so they run on SQLite and PostgreSQL alike. They are
run on a plain cursor (no model objects): on PostgreSQL as COPY … TO STDOUT.
"""

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from musow.activities.models import Activity, Attendance, MediaReach, Participation
from musow.analytics.schema import STAGES


def _themes_list() -> RawSQL:
    """An activity's theme ids as a sorted list literal, "[1,3]" ("[]" when none): what
    DuckDB and ClickHouse read into a list column."""
    through = Activity.themes.through._meta.db_table
    activity = Activity._meta.db_table
    if connection.vendor == "postgresql":
        ids = (
            f"SELECT STRING_AGG(CAST(theme_id AS TEXT), ',' ORDER BY theme_id) FROM {through} "
            f"WHERE activity_id = {activity}.id"
        )
    else:
        ids = (
            f"SELECT GROUP_CONCAT(theme_id) FROM (SELECT theme_id FROM {through} "
            f"WHERE activity_id = {activity}.id ORDER BY theme_id)"
        )
    return RawSQL(f"COALESCE('[' || ({ids}) || ']', '[]')", [])


def _querysets() -> dict[str, QuerySet[Any]]:
    activities = (
        Activity.objects.exclude(status=Activity.Status.DELETED)
        .annotate(_themes=_themes_list())
        .values_list(
            "id",
            "status",
            "start_date",
            "activity_type_id",
            "place_id",
            "place__region_id",
            "campaign_id",
            "campaign__series_id",
            "project_id",
            "organiser_id",
            "_themes",
        )
    )
    return {
        "activity": activities,
        "participation": Participation.objects.values_list(
            "activity_id", "audience_id", "sex", "age_group_id", "count"
        ),
        "attendance": Attendance.objects.values_list(
            "activity_id", "attendee_id", "attendee__sex", "audience_id", "age_group_id"
        ),
        "media": MediaReach.objects.values_list("activity_id", "medium", "estimated_audience"),
        "theme": Activity.themes.through.objects.values_list("activity_id", "theme_id"),
        "partner": Activity.partners.through.objects.values_list("activity_id", "organisation_id"),
    }


def _restricted(kind: str, qs: QuerySet[Any], ids: Sequence[int] | None) -> QuerySet[Any]:
    if ids is None:
        return qs.order_by()
    key = "id" if kind == "activity" else "activity_id"
    return qs.filter(**{f"{key}__in": list(ids)}).order_by()


def write(directory: Path, ids: Sequence[int] | None = None) -> dict[str, tuple[Path, int]]:
    """One file per kind of row in `directory`: {kind: (path, rows)}."""
    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[Path, int]] = {}
    for kind, qs in _querysets().items():
        sql, params = _restricted(kind, qs, ids).query.sql_with_params()
        path = directory / f"{kind}.tsv"
        nullable = any(t.endswith("?") for _name, t in STAGES[kind])
        if connection.vendor == "postgresql":
            rows = _copy_postgres(sql, params, path)
        else:
            rows = _copy_cursor(sql, params, path, nullable)
        out[kind] = (path, rows)
    return out


def _copy_postgres(sql: str, params: Any, path: Path) -> int:
    connection.ensure_connection()
    raw = connection.connection
    rows = 0
    with raw.cursor() as cursor, open(path, "wb") as fh:
        statement = cursor.mogrify(sql, params) if params else sql
        with cursor.copy(f"COPY ({statement}) TO STDOUT") as copy:
            for block in copy:
                fh.write(block)
                rows += bytes(block).count(b"\n")
    return rows


def _copy_cursor(sql: str, params: Any, path: Path, nullable: bool) -> int:
    rows = 0
    with connection.cursor() as cursor, open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(50_000):
            if nullable:
                batch = [["\\N" if v is None else v for v in row] for row in batch]
            out.writerows(batch)
            rows += len(batch)
    return rows
