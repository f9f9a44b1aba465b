"""Plain multi-row inserts for the batch write path (`services.activity_upsert_batch`).

Rows are given as {field name: value}, the names `Model(**values)` takes; the columns,
their order and the value of every field a row does not give (its default, its
database default, the time for `auto_now` fields) come from the model itself, so a
field added to a model is written by the batch path as by `Model.save()`. No model
object is built per row: building one cost more than the insert itself.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models.expressions import Value
from django.db.models.fields import NOT_PROVIDED


class Table:
    """How a model's rows are inserted: its columns, and each field's value and converter."""

    def __init__(self, model: type[models.Model], now: datetime) -> None:
        self.model = model
        ops = connection.ops
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in fields]
        # Every field's stored default; by name and attname: its position, whether a value
        # may be an object (its pk is stored), and the converter to the database's value.
        defaults: list[Any] = []
        self.index: dict[str, tuple[int, bool, Callable[[Any], Any] | None]] = {}
        for position, f in enumerate(fields):
            internal = f.get_internal_type()
            convert: Callable[[Any], Any] | None = None
            if internal == "DateField":
                convert = _last(ops.adapt_datefield_value)
            elif internal == "DateTimeField":
                convert = _last(ops.adapt_datetimefield_value)
            elif internal == "JSONField":
                convert = _json(f)
            default = _default(f, now)
            defaults.append(convert(default) if convert and default is not None else default)
            self.index[f.name] = (position, f.is_relation, convert)
            self.index[f.attname] = (position, False, convert)
        self.defaults = tuple(defaults)

    def row(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        out = list(self.defaults)
        index = self.index
        for name, value in values.items():
            position, relation, convert = index[name]
            if value is not None:
                if relation and not isinstance(value, int):
                    value = value.pk
                if convert is not None:
                    value = convert(value)
            out[position] = value
        return tuple(out)

    def insert(self, rows: Iterable[Mapping[str, Any]]) -> None:
        insert(self.model, self.columns, [self.row(r) for r in rows])


def _last(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, remembering its last value: a batch stamps every row with the same time."""
    last: list[Any] = [object(), None]

    def converted(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def _json(field: Any) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return convert


def _default(field: Any, now: datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.db_default is not NOT_PROVIDED:
        db_default = field.db_default
        return db_default.value if isinstance(db_default, Value) else db_default
    if field.null:
        return None
    return "" if field.empty_strings_allowed else None


def insert(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """A plain insert of many rows of integer and text columns.

    On SQLite, many rows per statement, not one statement per row: its full-text index
    of activities (web/search.py, kept by a trigger) writes its pending terms at the end
    of every statement, so one row per statement cost four times the insert itself. On
    PostgreSQL, one statement run for many rows (executemany, pipelined by psycopg): a
    statement of a thousand rows is parsed again, in Python, by psycopg each time.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    )
    marks = "({})".format(", ".join(["%s"] * len(columns)))
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            for start in range(0, len(rows), 5000):
                cursor.executemany(head + marks, rows[start : start + 5000])
            return
        per = _rows_per_statement(len(columns))
        for start in range(0, len(rows), per):
            batch = rows[start : start + per]
            cursor.execute(
                head + ", ".join([marks] * len(batch)), [v for row in batch for v in row]
            )


def _rows_per_statement(columns: int) -> int:
    """As many rows as SQLite takes parameters in one statement (at most 1 000): its
    compiled-in limit (32 766 since SQLite 3.32), not Django's prudent 999."""
    import sqlite3

    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(1000, limit // columns))
