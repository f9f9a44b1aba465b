"""The floor: each headline figure as ONE hand-written SQL query over the same tables.

What the engine must not be much slower than. Each query returns the finest
breakdown the benchmark asks for; the total is the sum of the rows (contacts)
or a second SELECT in the same statement (unique persons, which do not add up).
The same SQL runs on SQLite and PostgreSQL; ids are resolved once, beforehand.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection

from musow.activities.models import ActivityType, AgeGroup, Audience, CampaignSeries, Theme
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.indicators.periods import Period


def _ids(model: Any, codes: list[str]) -> list[int]:
    found = dict(model.objects.filter(code__in=codes).values_list("code", "id"))
    return [found[c] for c in codes]


def _in(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def _contacts_sql(
    types: list[int], theme: int, series: int, female_only: bool, regions: list[int] | None = None
) -> str:
    sex_filter = "AND p.sex = 'f'" if female_only else ""
    region_filter = f"AND pl.region_id IN ({_in(regions)})" if regions else ""
    sex_col = "" if female_only else "p.sex,"
    return f"""
        SELECT pl.region_id, p.audience_id, {sex_col} p.age_group_id, SUM(p.count)
        FROM activities_activity a
        JOIN activities_campaign c ON c.id = a.campaign_id
        JOIN geo_place pl ON pl.id = a.place_id
        JOIN activities_participation p ON p.activity_id = a.id
        WHERE a.status = 'validated' AND a.start_date BETWEEN %s AND %s
          AND a.activity_type_id IN ({_in(types)}) AND c.series_id = {int(series)}
          AND EXISTS (SELECT 1 FROM activities_activity_themes t
                      WHERE t.activity_id = a.id AND t.theme_id = {int(theme)})
          {sex_filter} {region_filter}
        GROUP BY pl.region_id, p.audience_id, {sex_col} p.age_group_id
    """


def _unique_sql(types: list[int], theme: int, audiences: list[int]) -> str:
    where = f"""
        FROM activities_attendance at
        JOIN activities_activity a ON a.id = at.activity_id
        JOIN activities_attendee e ON e.id = at.attendee_id
        JOIN geo_place pl ON pl.id = a.place_id
        WHERE a.status = 'validated' AND a.start_date BETWEEN %s AND %s
          AND a.activity_type_id IN ({_in(types)})
          AND at.audience_id IN ({_in(audiences)})
          AND EXISTS (SELECT 1 FROM activities_activity_themes t
                      WHERE t.activity_id = a.id AND t.theme_id = {int(theme)})
    """
    return f"""
        SELECT 0, pl.region_id, at.audience_id, e.sex, at.age_group_id,
               COUNT(DISTINCT at.attendee_id)
        {where}
        GROUP BY pl.region_id, at.audience_id, e.sex, at.age_group_id
        UNION ALL
        SELECT 1, NULL, NULL, NULL, NULL, COUNT(DISTINCT at.attendee_id)
        {where}
    """


# The dimensions of each floor query's rows, in order (as the engine names them).
HEADLINE_BY = {
    "students-sensitised-gbv": ("region", "audience", "sex", "age_group"),
    "people-sensitised-vawg": ("region", "audience", "sex", "age_group"),
    "women-girls-reached-1325": ("region", "audience", "age_group"),
    "mission-staff-trained-gender": ("region", "audience", "sex", "age_group"),
}

Figure = tuple[dict[tuple[str, ...], int], int]  # (value by member codes, total)


def floor_queries() -> dict[str, Callable[[Period], Figure]]:
    """One function per headline indicator: period -> (rows by member codes, total)."""
    conference_awareness = _ids(ActivityType, ["conference", "awareness-session"])
    gbv, wps, mainstreaming = _ids(Theme, ["gbv", "wps-1325", "gender-mainstreaming"])
    sixteen_days, open_day = _ids(CampaignSeries, ["16-days", "open-day-1325"])
    queries = {
        "students-sensitised-gbv": _unique_sql(
            conference_awareness, gbv, _ids(Audience, ["students"])
        ),
        "people-sensitised-vawg": _contacts_sql(conference_awareness, gbv, sixteen_days, False),
        "women-girls-reached-1325": _contacts_sql(
            _ids(ActivityType, ["conference", "open-day", "awareness-session"]),
            wps,
            open_day,
            True,
            # the four regions the figure's sentence names (Mopti, Tombouctou, Gao, Bamako)
            list(
                Place.objects.filter(
                    gazetteer__code=SHIPPED_GAZETTEER,
                    level=1,
                    pcode__in=["ML05", "ML06", "ML07", "ML09"],
                ).values_list("pk", flat=True)
            ),
        ),
        "mission-staff-trained-gender": _unique_sql(
            _ids(ActivityType, ["training"]),
            mainstreaming,
            _ids(
                Audience,
                ["mission-personnel", "mission-civilian", "mission-military", "mission-police"],
            ),
        ),
    }
    codes = {
        "region": dict(Place.objects.values_list("id", "pcode")),
        "audience": dict(Audience.objects.values_list("id", "code")),
        "age_group": dict(AgeGroup.objects.values_list("id", "code")),
    }

    def decode(dims: tuple[str, ...], values: tuple[Any, ...]) -> tuple[str, ...]:
        return tuple(
            "" if v is None else codes[d][v] if d in codes else str(v)
            for d, v in zip(dims, values, strict=True)
        )

    def make(code: str, sql: str) -> Callable[[Period], Figure]:
        dims = HEADLINE_BY[code]
        unique = code in ("students-sensitised-gbv", "mission-staff-trained-gender")

        def run(period: Period) -> Figure:
            params = [period.start, period.end] * (2 if unique else 1)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                fetched = cursor.fetchall()
            if unique:
                rows = {decode(dims, r[1:-1]): int(r[-1]) for r in fetched if r[0] == 0}
                total = sum(int(r[-1]) for r in fetched if r[0] == 1)
            else:
                rows = {decode(dims, r[:-1]): int(r[-1]) for r in fetched}
                total = sum(rows.values())
            return rows, total

        return run

    return {code: make(code, sql) for code, sql in queries.items()}


def engine_figure(result: Any) -> Figure:
    """The engine's Result in the floor's shape, to compare them exactly."""
    rows = {
        tuple(row.key[dim].code for dim in result.by): int(row.value or 0) for row in result.rows
    }
    return rows, int(result.total or 0)
