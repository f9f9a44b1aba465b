"""The analytics store's tables: the register's facts in columnar form, one wide table per
kind of counted row, each carrying its activity's dimensions (denormalised: a figure reads
one table, no join, which is what a column store is fast at).

    facts_activity       one row per activity (not deleted)
    facts_participation  one per participation cell: audience × sex × age group → participants
    facts_attendance     one per attendee on an attendance list (sex read on the attendee)
    facts_media          one per media estimate
    facts_theme          (activity, theme) pairs, for theme filters and breakdowns
    facts_partner        (activity, partner organisation) pairs, for organisation scopes
    meta                 which register the store mirrors, and its schema version

Year, quarter and month are stored as integers (2014, 20144, 201411: grouping by an
integer is faster than by a string), computed in the store from the start date when a row
is copied, and written back as the codes the register's engine gives ("2014", "2014-Q4",
"2014-11") when a figure is read (`figures.py`). Types are logical here and written per
engine (`stores.py`).
"""

# Bumped whenever a table changes: a store of another version is rebuilt (or not used).
SCHEMA_VERSION = "3"

# logical types: id (not null), id? (nullable), code (short text), date, int, count,
# ids (a list of ids)
Column = tuple[str, str]

ACTIVITY: list[Column] = [
    ("activity_id", "id"),
    ("status", "code"),
    ("start_date", "date"),
    ("year", "int"),
    ("quarter", "int"),
    ("month", "int"),
    ("activity_type_id", "id"),
    ("place_id", "id"),
    ("region_id", "id?"),
    ("campaign_id", "id?"),
    ("series_id", "id?"),
    ("project_id", "id?"),
    ("organiser_id", "id?"),
    # The activity's themes, sorted: a theme filter reads this list (facts_theme is for
    # breakdowns by theme), which is faster than a semi-join on every figure.
    ("themes", "ids"),
]

# What is copied from the register for each kind of row: the activity's own columns
# are joined in inside the store.
# Computed in the store when an activity is copied (the same SQL on DuckDB and ClickHouse).
DATE_PARTS = {
    "year": "year({t}.start_date)",
    "quarter": "year({t}.start_date) * 10 + quarter({t}.start_date)",
    "month": "year({t}.start_date) * 100 + month({t}.start_date)",
}

STAGES: dict[str, list[Column]] = {
    "activity": [c for c in ACTIVITY if c[0] not in DATE_PARTS],
    "participation": [
        ("activity_id", "id"),
        ("audience_id", "id"),
        ("sex", "code"),
        ("age_group_id", "id"),
        ("participants", "count"),
    ],
    "attendance": [
        ("activity_id", "id"),
        ("attendee_id", "id"),
        ("sex", "code"),
        ("audience_id", "id?"),
        ("age_group_id", "id?"),
    ],
    "media": [
        ("activity_id", "id"),
        ("medium", "code"),
        ("estimated_audience", "count"),
    ],
    "theme": [("activity_id", "id"), ("theme_id", "id")],
    "partner": [("activity_id", "id"), ("organisation_id", "id")],
}

DENORMALISED = ("participation", "attendance", "media")


def fact_columns(kind: str) -> list[Column]:
    if kind == "activity":
        return ACTIVITY
    if kind in DENORMALISED:
        return ACTIVITY + [c for c in STAGES[kind] if c[0] != "activity_id"]
    return STAGES[kind]


def fact_table(kind: str) -> str:
    return f"facts_{kind}"


def stage_table(kind: str) -> str:
    return f"stage_{kind}"


KINDS = list(STAGES)


def fill_sql(kind: str, fact: str, stage: str, activities: str, *, ordered: bool = False) -> str:
    """The INSERT that copies staged rows of `kind` into its fact table, each with its
    activity's columns (rows of activities that are not staged — deleted ones — drop out).
    The same statement runs on DuckDB and ClickHouse. `ordered`: by start date, so that
    a period's rows lie together (DuckDB skips the blocks outside a period's dates)."""
    columns = [name for name, _type in fact_columns(kind)]
    if kind == "activity":
        select = ", ".join(DATE_PARTS.get(name, "{t}." + name).format(t="s") for name in columns)
        order = " ORDER BY s.start_date" if ordered else ""
        return f"INSERT INTO {fact} ({', '.join(columns)}) SELECT {select} FROM {stage} AS s{order}"
    own = {name for name, _type in STAGES[kind]} - {"activity_id"}
    select = ", ".join(
        f"s.{name}" if name in own else DATE_PARTS.get(name, "{t}." + name).format(t="a")
        for name in columns
    )
    order = " ORDER BY a.start_date" if ordered and kind in DENORMALISED else ""
    return (
        f"INSERT INTO {fact} ({', '.join(columns)}) SELECT {select} FROM {stage} AS s "
        f"JOIN {activities} AS a ON a.activity_id = s.activity_id{order}"
    )
