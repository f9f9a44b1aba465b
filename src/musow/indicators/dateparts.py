"""Date parts that give the same strings on SQLite and PostgreSQL: "2014", "2014-11",
"2014-Q4" — what figures by year, month and quarter are keyed by (the counting engine,
and the analytics store's copy of each activity)."""

from typing import Any

from django.db import models
from django.db.models import Func


class YearOf(Func):
    template = "to_char(%(expressions)s, 'YYYY')"
    output_field = models.CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 4)", **extra)


class MonthOf(Func):
    template = "to_char(%(expressions)s, 'YYYY-MM')"
    output_field = models.CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


class QuarterOf(Func):
    template = """to_char(%(expressions)s, 'YYYY-"Q"Q')"""
    output_field = models.CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = (
            "substr(%(expressions)s, 1, 4) || '-Q' || "
            "((CAST(substr(%(expressions)s, 6, 2) AS INTEGER) + 2) / 3)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)
