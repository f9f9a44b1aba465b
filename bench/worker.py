"""The Django side of the benchmark, one phase per process (run by bench.run).

    python -m bench.worker setup  --out F      fresh database, migrate, reference_load, places
    python -m bench.worker load   --data DIR --out F
    python -m bench.worker time   --year Y --repeat R --out F
    python -m bench.worker memory --what headline:2015|tenyear --out F
    python -m bench.worker store  --year Y --repeat R --out F   (bench/analytics.py)

The database is the one of MUSOW_DATABASE_URL (set by bench.run). A phase
prints nothing but errors and writes its JSON report to --out.
"""

import argparse
import csv
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")

BIG_TABLES = [
    "activities_activity",
    "activities_activity_themes",
    "activities_participation",
    "activities_attendee",
    "activities_attendance",
    "activities_mediareach",
]
HEADLINE_DIMS = ("region", "audience", "sex", "age_group")
TENYEAR_DIMS = ("year", "region", "sex")
TENYEAR_PERIOD = "2015-01-01..2024-12-31"


def _fresh_database(url: str) -> None:
    """Delete the SQLite file, or drop and recreate the PostgreSQL database `musow_bench`."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    if name != "musow_bench":  # never touch another database
        raise SystemExit(f"refusing to recreate database {name!r}: the bench uses musow_bench")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS musow_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE musow_bench")


# --- setup -----------------------------------------------------------------------


def phase_setup(args: argparse.Namespace) -> dict[str, Any]:
    _fresh_database(os.environ["MUSOW_DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    from musow.reference import reference_load

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    reference_load()
    catalog = _bench_reference()
    return {"seconds": time.perf_counter() - t0, "catalog": json.loads(catalog.to_json())}


def _bench_reference() -> Any:
    """Cercles under the 9 regions of the 2013 frame, campaigns 2015-2024, projects, partners."""
    from musow.activities.models import (
        ActivityType,
        AgeGroup,
        Audience,
        Campaign,
        CampaignSeries,
        Organisation,
        Project,
        Theme,
    )
    from musow.geo.models import Place

    from .generate import YEARS, Catalog

    regions = list(Place.objects.filter(level=1, pcode__regex=r"^ML0[1-9]$").order_by("pcode"))
    assert len(regions) == 9, regions
    places = [r.id for r in regions]
    for region in regions:
        for k in range(1, 4):
            cercle = Place.objects.create(
                gazetteer=region.gazetteer,
                level=Place.Level.CERCLE,
                parent=region,
                pcode=f"{region.pcode}{k:02d}",
                name_fr=f"Cercle {k} ({region.name_fr})",
                name_en=f"Cercle {k} ({region.name_en})",
                kind_fr="cercle",
                kind_en="cercle",
            )
            places.append(cercle.id)
    windows = {
        "16-days": ((11, 25), (12, 10), "16 jours d'activisme", "16 Days of Activism"),
        "open-day-1325": ((10, 20), (11, 10), "Journée portes ouvertes 1325", "1325 open day"),
        "8-march": ((3, 1), (3, 15), "8 mars", "8 March"),
    }
    campaigns = []
    for year in YEARS:
        for series_code, (start, end, fr, en) in windows.items():
            campaign = Campaign.objects.create(
                code=f"{series_code}-{year}",
                series=CampaignSeries.objects.get(code=series_code),
                name_fr=f"{fr} {year}",
                name_en=f"{en} {year}",
                start_date=date(year, *start),
                end_date=date(year, *end),
            )
            campaigns.append(
                (series_code, campaign.id, str(campaign.start_date), str(campaign.end_date))
            )
    projects = [
        Project.objects.create(code=f"bench-p{i}", name_fr=f"Projet {i}", name_en=f"Project {i}").id
        for i in range(1, 6)
    ]
    organisations = [
        Organisation.objects.create(code=f"bench-o{i}", name=f"Organisation {i}", kind="cso").id
        for i in range(1, 21)
    ]

    def codes(model: Any) -> dict[str, int]:
        return dict(model.objects.values_list("code", "id"))

    return Catalog(
        types=codes(ActivityType),
        themes=codes(Theme),
        audiences=codes(Audience),
        age_groups=codes(AgeGroup),
        places=places,
        campaigns=campaigns,
        projects=projects,
        organisations=organisations,
    )


# --- load ------------------------------------------------------------------------


def _tsv(path: Path, nullable: bool) -> Iterator[list[Any]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if nullable:
            for row in reader:
                yield [None if v == "\\N" else v for v in row]
        else:
            yield from reader


def phase_load(args: argparse.Namespace) -> dict[str, Any]:
    django.setup()
    from django.db import connection

    connection.ensure_connection()
    data = Path(args.data)
    if connection.vendor == "sqlite":
        return _load_sqlite(connection.connection, data)
    return _load_postgres(connection.connection, data)


def _load_sqlite(raw: Any, data: Path) -> dict[str, Any]:
    """executemany inside one transaction; secondary indexes dropped and rebuilt identically."""
    from .generate import LOAD_ORDER, TABLES

    def schema() -> list[tuple[str, str]]:
        return raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()

    before = schema()
    marks = ", ".join("?" * len(BIG_TABLES))
    indexes = raw.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        BIG_TABLES,
    ).fetchall()
    # The analytics store's triggers (musow/analytics/triggers.py) are dropped during the
    # load like the indexes, and put back after: the store is then rebuilt in one go.
    triggers = raw.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'analytics_%'"
    ).fetchall()
    for name, _sql in triggers:
        raw.execute(f'DROP TRIGGER "{name}"')
    raw.execute("PRAGMA foreign_keys = OFF")  # checked once at the end instead
    # A rollback journal instead of WAL while the tables fill: WAL would write
    # every page twice (log, then checkpoint). WAL is restored after the load.
    raw.execute("PRAGMA journal_mode = DELETE")
    for name, _sql in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    report: dict[str, Any] = {"tables": {}}
    t0 = time.perf_counter()
    raw.execute("BEGIN")
    for stem in LOAD_ORDER:
        table, columns = TABLES[stem]
        t = time.perf_counter()
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        cursor = raw.executemany(
            sql, _tsv(data / f"{stem}.tsv", stem in ("activity", "attendance"))
        )
        report["tables"][table] = {"rows": cursor.rowcount, "seconds": time.perf_counter() - t}
    raw.execute("COMMIT")
    report["insert_seconds"] = time.perf_counter() - t0
    t = time.perf_counter()
    for _name, sql in indexes:
        raw.execute(sql)
    for _name, sql in triggers:
        raw.execute(sql)
    report["index_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    broken = raw.execute("PRAGMA foreign_key_check").fetchall()
    raw.execute("PRAGMA foreign_keys = ON")
    report["constraint_seconds"] = time.perf_counter() - t
    assert not broken, broken[:5]
    report["load_seconds"] = time.perf_counter() - t0
    report["schema_equals_migrations"] = schema() == before
    assert report["schema_equals_migrations"]
    raw.execute("PRAGMA journal_mode = WAL")
    report["analyze"] = "none (SQLite as deployed: no sqlite_stat1)"
    return report


def _load_postgres(raw: Any, data: Path) -> dict[str, Any]:
    """COPY via psycopg 3; foreign keys, unique constraints and indexes rebuilt identically."""
    from .generate import LOAD_ORDER, TABLES

    def schema() -> tuple[list[Any], list[Any]]:
        constraints = raw.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [BIG_TABLES],
        ).fetchall()
        indexes = raw.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' AND tablename = ANY(%s) ORDER BY 1, 2",
            [BIG_TABLES],
        ).fetchall()
        return constraints, indexes

    before = schema()
    constraints, indexes = before
    dropped_constraints = [c for c in constraints if c[2] in ("f", "u")]
    constraint_names = {c[1] for c in constraints}
    dropped_indexes = [i for i in indexes if i[1] not in constraint_names]
    raw.execute("SET maintenance_work_mem = '1GB'")
    raw.execute("SET TIME ZONE 'UTC'")
    for table, name, _type, _definition in dropped_constraints:
        raw.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _table, name, _definition in dropped_indexes:
        raw.execute(f'DROP INDEX "{name}"')
    # The analytics store's triggers are off during the load (the store is rebuilt after).
    for table in BIG_TABLES:
        raw.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    report: dict[str, Any] = {"tables": {}}
    t0 = time.perf_counter()
    with raw.transaction():
        for stem in LOAD_ORDER:
            table, columns = TABLES[stem]
            t = time.perf_counter()
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
                open(data / f"{stem}.tsv", "rb") as fh,
            ):
                rows = 0
                while block := fh.read(1 << 20):
                    copy.write(block)
                    rows += block.count(b"\n")
            report["tables"][table] = {"rows": rows, "seconds": time.perf_counter() - t}
    report["insert_seconds"] = time.perf_counter() - t0
    t = time.perf_counter()
    for _table, _name, definition in dropped_indexes:
        raw.execute(definition)
    report["index_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    # Unique constraints first (foreign keys need nothing from them, but they are indexes).
    for table, name, _type, definition in sorted(dropped_constraints, key=lambda c: c[2] != "u"):
        raw.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    report["constraint_seconds"] = time.perf_counter() - t
    for table in BIG_TABLES:
        raw.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    for table in BIG_TABLES:
        raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )
    report["load_seconds"] = time.perf_counter() - t0
    report["schema_equals_migrations"] = schema() == before
    assert report["schema_equals_migrations"]
    t = time.perf_counter()
    raw.execute("VACUUM (ANALYZE)")
    report["analyze_seconds"] = time.perf_counter() - t
    report["analyze"] = "VACUUM (ANALYZE) after the load (what autovacuum would do)"
    return report


# --- timings ---------------------------------------------------------------------


def _median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, list[float]]:
    fn()  # warm-up: caches filled, imports done
    times = []
    for _i in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def _allowed(indicator: Any, wanted: tuple[str, ...]) -> tuple[str, ...]:
    from musow.indicators.engine import dimensions_for

    allowed = set(indicator.disaggregations or ()) & set(dimensions_for(indicator.rule))
    return tuple(d for d in wanted if d in allowed)


def _headline_jobs() -> list[tuple[str, tuple[str, ...]]]:
    from musow.indicators.models import Indicator

    return [
        (i.code, _allowed(i, HEADLINE_DIMS))
        for i in Indicator.objects.filter(is_headline=True).order_by("order", "code")
    ]


def _tenyear_jobs() -> list[tuple[str, tuple[str, ...]]]:
    from musow.indicators.models import Indicator

    return [
        (i.code, _allowed(i, TENYEAR_DIMS)) for i in Indicator.objects.order_by("order", "code")
    ]


def phase_time(args: argparse.Namespace) -> dict[str, Any]:
    django.setup()
    from django.db import connection

    from musow.indicators.engine import compute
    from musow.indicators.periods import Period

    from .floor import HEADLINE_BY, engine_figure, floor_queries

    period = Period.year(args.year)
    jobs = _headline_jobs()
    floors = floor_queries()
    report: dict[str, Any] = {"year": args.year, "repeat": args.repeat, "headline": {}}

    # Exactness first: the engine and the floor give the same numbers.
    for code, by in jobs:
        assert by == HEADLINE_BY[code], (code, by)
        engine_rows, engine_total = engine_figure(compute(code, period, by=by))
        floor_rows, floor_total = floors[code](period)
        assert engine_rows == floor_rows, f"{code}: engine and floor rows differ"
        assert engine_total == floor_total, f"{code}: {engine_total} != {floor_total}"
        report["headline"][code] = {
            "by": list(by),
            "total": engine_total,
            "rows": len(engine_rows),
            "same_as_floor": True,
        }

    for code, by in jobs:
        entry = report["headline"][code]
        entry["engine_seconds"], _t = _median_time(
            lambda code=code, by=by: compute(code, period, by=by), args.repeat
        )
        entry["floor_seconds"], _t = _median_time(
            lambda code=code: floors[code](period), args.repeat
        )
        entry["ratio"] = entry["engine_seconds"] / entry["floor_seconds"]

    def all_engine() -> None:
        for code, by in jobs:
            compute(code, period, by=by)

    def all_floor() -> None:
        for code, _by in jobs:
            floors[code](period)

    report["headline_engine_seconds"], report["headline_engine_runs"] = _median_time(
        all_engine, args.repeat
    )
    report["headline_floor_seconds"], report["headline_floor_runs"] = _median_time(
        all_floor, args.repeat
    )
    report["headline_ratio"] = report["headline_engine_seconds"] / report["headline_floor_seconds"]

    # Every indicator, ten years, by year x region x sex (what each allows).
    tenyear = Period.parse(TENYEAR_PERIOD)
    tenyear_jobs = _tenyear_jobs()
    per_indicator: dict[str, list[float]] = {code: [] for code, _by in tenyear_jobs}
    results: dict[str, Any] = {}

    def all_tenyear() -> None:
        for code, by in tenyear_jobs:
            t = time.perf_counter()
            results[code] = compute(code, tenyear, by=by)
            per_indicator[code].append(time.perf_counter() - t)

    report["tenyear_seconds"], report["tenyear_runs"] = _median_time(all_tenyear, args.repeat)
    report["tenyear"] = {
        code: {
            "by": list(by),
            "seconds": statistics.median(per_indicator[code][1:]),
            "rows": len(results[code].rows),
            "total": None if results[code].total is None else float(results[code].total),
        }
        for code, by in tenyear_jobs
    }
    report["vendor"] = connection.vendor
    return report


# --- memory ----------------------------------------------------------------------


def phase_memory(args: argparse.Namespace) -> dict[str, Any]:
    """Peak memory of one computation, in a fresh process that did nothing else before."""
    django.setup()
    from musow.indicators.engine import compute
    from musow.indicators.models import Indicator
    from musow.indicators.periods import Period

    kind, _sep, year = args.what.partition(":")
    if kind == "headline":
        period = Period.year(int(year))
        jobs = _headline_jobs()
    else:
        period = Period.parse(TENYEAR_PERIOD)
        jobs = _tenyear_jobs()
    Indicator.objects.count()  # connection open, models and engine imported

    def run() -> int:
        return sum(len(compute(code, period, by=by).rows) for code, by in jobs)

    def maxrss_mb() -> float:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return rss / 1024 / (1024 if sys.platform == "darwin" else 1)

    baseline = maxrss_mb()
    t = time.perf_counter()
    rows = run()
    seconds = time.perf_counter() - t
    peak = maxrss_mb()
    tracemalloc.start()
    run()
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "what": args.what,
        "result_rows": rows,
        "cold_seconds": seconds,
        "maxrss_before_mb": baseline,
        "maxrss_peak_mb": peak,
        "maxrss_growth_mb": peak - baseline,
        "python_heap_peak_mb": traced_peak / 1024 / 1024,
    }


def phase_store(args: argparse.Namespace) -> dict[str, Any]:
    django.setup()
    from .analytics import phase_store as run

    return run(args.year, args.repeat, args.validations)


def phase_dashboard(args: argparse.Namespace) -> dict[str, Any]:
    django.setup()
    from .analytics import phase_dashboard as run

    return run(args.year, args.repeat)


def phase_store_memory(args: argparse.Namespace) -> dict[str, Any]:
    django.setup()
    from .analytics import phase_store_memory as run

    return run(args.year)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument(
        "phase",
        choices=["setup", "load", "time", "memory", "store", "store_memory", "dashboard"],
    )
    parser.add_argument("--out", required=True)
    parser.add_argument("--data")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--what", default="tenyear")
    parser.add_argument("--validations", type=int, default=5)
    args = parser.parse_args()
    phase = {
        "setup": phase_setup,
        "load": phase_load,
        "time": phase_time,
        "memory": phase_memory,
        "store": phase_store,
        "store_memory": phase_store_memory,
        "dashboard": phase_dashboard,
    }[args.phase]
    report = phase(args)
    Path(args.out).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
