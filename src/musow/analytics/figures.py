"""Figures from the analytics store: the counting engine's rules written once as SQL over
the store's tables, run on DuckDB or ClickHouse (the same text; ClickHouse only adds its
settings), and installed as the engine's aggregator (`engine.use_aggregator`).

Each figure is one query over one table — `facts_participation` for contacts,
`facts_attendance` for unique persons, `facts_activity` for activities, `facts_media` for
media reach — whose WHERE says what the register's query says (period, status, the
indicator's filters, the scope) and whose GROUP BY is the breakdown. A theme filter reads
the row's list of its activity's themes (`list_contains` on DuckDB, `hasAny` on
ClickHouse: the one name that differs); an organisation scope reads the partner pairs through
`IN (SELECT …)`; a breakdown by theme joins `facts_theme` (LEFT JOIN: an activity without
a theme shows as "not set", as on the register).

Why a small builder of our own rather than ibis or sqlglot: the queries are five shapes
of plain SQL (SUM / COUNT / COUNT DISTINCT, IN filters, GROUP BY), where DuckDB and
ClickHouse differ — date parts, a list's membership — is precomputed in the store's
columns or one method of the store, and what `musow figures --explain` prints is exactly
what ran. ibis would bring pandas and
pyarrow into every server process and cannot drive chDB; sqlglot would translate SQL
that needs no translation.

When the store cannot answer — the settings say `register`, it is being rebuilt, it was
built from another register, or the caller is inside a transaction that changed
activities — the register answers (the aggregator returns None).
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any

from musow.activities.models import Activity
from musow.analytics import sync
from musow.analytics.schema import fact_table
from musow.analytics.stores import Session, Store, StoreBusy, StoreMissing
from musow.indicators.engine import Aggregate, Computation, Filters, Number, Scope
from musow.indicators.models import Indicator
from musow.indicators.periods import Period

log = logging.getLogger(__name__)

READ_TIMEOUT = 10.0

TABLES: dict[str, str] = {
    Indicator.Rule.CONTACTS: "participation",
    Indicator.Rule.UNIQUE_PERSONS: "attendance",
    Indicator.Rule.ACTIVITIES: "activity",
    Indicator.Rule.MEDIA_REACH: "media",
}
PERSON_COLUMNS: dict[str, dict[str, str]] = {
    Indicator.Rule.CONTACTS: {"audience": "audience_id", "sex": "sex", "age_group": "age_group_id"},
    Indicator.Rule.UNIQUE_PERSONS: {
        "audience": "audience_id",
        "sex": "sex",
        "age_group": "age_group_id",
    },
    Indicator.Rule.MEDIA_REACH: {"medium": "medium"},
    Indicator.Rule.ACTIVITIES: {},
}
ACTIVITY_COLUMNS = {
    "year": "year",
    "quarter": "quarter",
    "month": "month",
    "region": "region_id",
    "activity_type": "activity_type_id",
    "campaign": "campaign_id",
    "project": "project_id",
    "organiser": "organiser_id",
}
ADDITIVE: set[str] = {
    Indicator.Rule.CONTACTS,
    Indicator.Rule.ACTIVITIES,
    Indicator.Rule.MEDIA_REACH,
}


def _value(rule: str, distinct: bool) -> str:
    values: dict[str, str] = {
        Indicator.Rule.CONTACTS: "SUM(f.participants)",
        Indicator.Rule.UNIQUE_PERSONS: "COUNT(DISTINCT f.attendee_id)",
        Indicator.Rule.ACTIVITIES: "COUNT(DISTINCT f.activity_id)" if distinct else "COUNT(*)",
        Indicator.Rule.MEDIA_REACH: "SUM(f.estimated_audience)",
    }
    return values[rule]


def _ints(values: Iterable[int]) -> str:
    return ", ".join(str(int(v)) for v in values)


def _texts(values: Iterable[str]) -> str:
    return ", ".join("'" + str(v).replace("\\", "\\\\").replace("'", "''") + "'" for v in values)


def where(
    store: Store, rule: str, f: Filters, period: Period, scope: Scope, provisional: bool
) -> list[str]:
    """The conditions of the register's query (engine._activity_filter, person filters)."""
    t = store.table
    conditions = [
        f"f.start_date >= CAST('{period.start.isoformat()}' AS DATE)",
        f"f.start_date <= CAST('{period.end.isoformat()}' AS DATE)",
    ]
    if provisional:
        statuses = [
            Activity.Status.DRAFT,
            Activity.Status.SUBMITTED,
            Activity.Status.RETURNED,
            Activity.Status.VALIDATED,
        ]
        conditions.append(f"f.status IN ({_texts(statuses)})")
    else:
        conditions.append(f"f.status = '{Activity.Status.VALIDATED}'")
    for values, column in (
        (f.activity_types, "activity_type_id"),
        (f.campaign_series, "series_id"),
        (f.projects, "project_id"),
        (f.regions, "region_id"),
        (scope.regions, "region_id"),
        (scope.campaigns, "campaign_id"),
        (scope.projects, "project_id"),
    ):
        if values:
            conditions.append(f"f.{column} IN ({_ints(values)})")
    if f.themes:
        conditions.append(store.any_of("f.themes", _ints(f.themes)))
    if scope.organisations:
        conditions.append(
            f"(f.organiser_id IN ({_ints(scope.organisations)}) OR f.activity_id IN "
            f"(SELECT activity_id FROM {t(fact_table('partner'))} "
            f"WHERE organisation_id IN ({_ints(scope.organisations)})))"
        )
    person = _person(f, PERSON_COLUMNS[rule], "f.")
    if PERSON_COLUMNS[rule]:
        conditions += person
    elif rule == Indicator.Rule.ACTIVITIES and f.has_person_filters():
        # Activities that reached the indicator's audience / sex / age group.
        inner = _person(f, PERSON_COLUMNS[Indicator.Rule.CONTACTS], "")
        conditions.append(
            f"f.activity_id IN (SELECT activity_id FROM {t(fact_table('participation'))} "
            f"WHERE {' AND '.join(inner)} AND participants > 0)"
        )
    return conditions


def _person(f: Filters, columns: dict[str, str], prefix: str) -> list[str]:
    out = []
    if f.audiences and "audience" in columns:
        out.append(f"{prefix}{columns['audience']} IN ({_ints(f.audiences)})")
    if f.age_groups and "age_group" in columns:
        out.append(f"{prefix}{columns['age_group']} IN ({_ints(f.age_groups)})")
    if f.sexes and "sex" in columns:
        out.append(f"{prefix}{columns['sex']} IN ({_texts(f.sexes)})")
    return out


def figure_sql(
    store: Store,
    indicator: Indicator,
    period: Period,
    scope: Scope,
    by: tuple[str, ...],
    provisional: bool,
    *,
    distinct: bool,
) -> str:
    rule = indicator.rule
    source = f"{store.table(fact_table(TABLES[rule]))} AS f"
    if "theme" in by:
        source += (
            f" LEFT JOIN {store.table(fact_table('theme'))} AS t ON t.activity_id = f.activity_id"
        )
    columns = []
    for dim in by:
        if dim == "theme":
            columns.append("t.theme_id")
        elif dim in ACTIVITY_COLUMNS:
            columns.append(f"f.{ACTIVITY_COLUMNS[dim]}")
        else:
            columns.append(f"f.{PERSON_COLUMNS[rule][dim]}")
    conditions = where(store, rule, Filters.of(indicator), period, scope, provisional)
    select = ", ".join([*columns, f"{_value(rule, distinct)} AS value"])
    sql = f"SELECT {select} FROM {source} WHERE {' AND '.join(conditions)}"
    if columns:
        sql += f" GROUP BY {', '.join(columns)}"
    return sql + store.join_settings


# The store session held open by `reading_session()` (a dashboard, a report, the headline
# figures): one connection, one snapshot, for a series of figures.
_held: ContextVar[tuple[Store, Session] | None] = ContextVar("analytics_session", default=None)


@contextmanager
def reading_session() -> Iterator[None]:
    """Hold one read session on the store for the figures computed in the block (the
    changes pending when it starts are copied first; later ones wait for its end)."""
    store = sync.current_store()
    if store is None or _held.get() is not None or sync.in_foreign_transaction():
        yield
        return
    with ExitStack() as stack:
        try:
            sync.sync(timeout=READ_TIMEOUT)
            session = stack.enter_context(store.reading(READ_TIMEOUT))
            usable = _identity_ok(store, session)
        except (StoreBusy, StoreMissing, sync.StoreStale):
            usable = False
        if not usable:
            stack.close()  # each figure tries on its own (the register answers if it must)
            yield
            return
        token = _held.set((store, session))
        try:
            yield
        finally:
            _held.reset(token)


def _identity_ok(store: Store, session: Session) -> bool:
    meta = dict(session.rows(f"SELECT name, value FROM {store.table('meta')}"))
    return meta.get("register") == sync.state().register_id


def aggregate(
    indicator: Indicator, period: Period, scope: Scope, by: tuple[str, ...], provisional: bool
) -> Aggregate | None:
    """The engine's aggregate from the store, or None when the register must answer."""
    store = sync.current_store()
    if store is None:
        return None
    held = _held.get()
    if held is not None and held[0] is store:
        return _run(store, held[1], indicator, period, scope, by, provisional)
    try:
        if sync.in_foreign_transaction():
            if sync.pending():
                return None  # this transaction's writes are not in the store (yet)
        else:
            sync.sync(timeout=READ_TIMEOUT)
        try:
            return _aggregate(store, indicator, period, scope, by, provisional)
        except (StoreMissing, sync.StoreStale):
            if sync.in_foreign_transaction() or not sync.ensure_in_step(READ_TIMEOUT):
                raise
            return _aggregate(store, indicator, period, scope, by, provisional)
    except (StoreBusy, StoreMissing, sync.StoreStale) as exc:
        log.warning("figures computed on the register: analytics store unavailable (%s)", exc)
        return None


def _aggregate(
    store: Store,
    indicator: Indicator,
    period: Period,
    scope: Scope,
    by: tuple[str, ...],
    provisional: bool,
) -> Aggregate | None:
    with store.reading(READ_TIMEOUT) as session:
        if not _identity_ok(store, session):
            raise sync.StoreStale(store.describe())
        return _run(store, session, indicator, period, scope, by, provisional)


def _run(
    store: Store,
    session: Session,
    indicator: Indicator,
    period: Period,
    scope: Scope,
    by: tuple[str, ...],
    provisional: bool,
) -> Aggregate:
    distinct = "theme" in by
    queries = [figure_sql(store, indicator, period, scope, by, provisional, distinct=distinct)]
    non_additive = indicator.rule not in ADDITIVE or distinct
    if by and non_additive:
        queries.append(figure_sql(store, indicator, period, scope, (), provisional, distinct=True))
    results = [session.rows(sql) for sql in queries]
    computation = Computation(store.describe(), lambda: list(queries))
    if not by:
        return Aggregate([], _number(results[0][0][0] if results[0] else 0), computation)
    codes = [DATE_CODES.get(dim) for dim in by]
    raw: list[tuple[tuple[Any, ...], Number]] = [
        (
            tuple(
                code(v) if code and v is not None else v
                for code, v in zip(codes, row[:-1], strict=True)
            ),
            _number(row[-1]),
        )
        for row in results[0]
    ]
    total: Number
    if non_additive:
        total = _number(results[1][0][0] if results[1] else 0)
    else:
        total = sum(value for _key, value in raw)
    return Aggregate(raw, total, computation)


# The store keeps dates parts as integers; figures are keyed by the register's codes.
DATE_CODES: dict[str, Any] = {
    "year": lambda v: f"{int(v):04d}",
    "quarter": lambda v: f"{int(v) // 10:04d}-Q{int(v) % 10}",
    "month": lambda v: f"{int(v) // 100:04d}-{int(v) % 100:02d}",
}


def _number(value: Any) -> int:
    return int(value or 0)
