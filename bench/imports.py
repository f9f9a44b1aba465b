"""Benchmark of `musow import`: a validated import against the floor, a plain bulk insert.

    python -m bench.imports --rows 1000000 --pg-url postgres://postgres@127.0.0.1:5432/test
    python -m bench.imports --rows 20000                       # SQLite only, small

The file is the import template's Activities sheet, one activity per row with its
participation in the count columns (four cells: women, men, girls, boys), as a field
officer fills it in; CSV and XLSX. Each measured phase runs in a fresh process on a
fresh database (SQLite file, or a database `musow_bench_import` on the server of
--pg-url, dropped and recreated; the database named in --pg-url is never touched):

- import: `import_files` — every row parsed, resolved, validated by the write path,
  scope-checked, written through `activity_upsert_batch` with its audit entry, in one
  transaction;
- floor: the same rows read from the same file and written with multi-row INSERTs
  (activity, themes, participation), codes resolved by a dictionary, nothing validated,
  no audit.

Reported: rows/s, seconds, peak resident memory of the process (ru_maxrss, Django
included), and import time / floor time. Targets: ratio <= 3, CSV >= 20 000 rows/s,
peak memory < 400 MB.
"""

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VAR = ROOT / "var" / "bench" / "imports"
TARGETS = {"ratio": 3.0, "csv_rows_per_second": 20_000, "peak_mb": 400}
REGIONS = ["Gao", "Tombouctou", "Timbuktu", "Mopti", "Ségou", "Segou", "Kayes", "Sikasso", "ML09"]
TYPES = ["conference", "awareness-session", "training", "workshop", "open-day"]
THEMES = ["gbv", "wps-1325", "political-participation", "gender-mainstreaming"]
AUDIENCES = ["general-public", "students", "women-leaders", "community-leaders"]
HEADER = [
    "Identifiant",
    "Type d'activité",
    "Titre",
    "Date de début",
    "Région",
    "Thèmes",
    "Public",
    "Femmes (18 ans et plus)",
    "Hommes (18 ans et plus)",
    "Filles (moins de 18 ans)",
    "Garçons (moins de 18 ans)",
    "Total des participants",
    "Statut",
]
TAGS = [
    "#activity+id",
    "#activity+type",
    "#activity+name",
    "#date+start",
    "#adm1+name",
    "#sector+theme",
    "#reached+audience",
    "#reached+f+adults",
    "#reached+m+adults",
    "#reached+f+children",
    "#reached+m+children",
    "#reached+total",
    "#status",
]


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- data -------------------------------------------------------------------------------


def rows(n: int, seed: int = 1325) -> Any:
    rng = random.Random(seed)
    start = date(2015, 1, 1)
    for i in range(n):
        day = start + timedelta(days=rng.randrange(3650))
        counts = [rng.randrange(60), rng.randrange(60), rng.randrange(10), rng.randrange(10)]
        yield [
            f"B-{i:07d}",
            rng.choice(TYPES),
            f"Séance de sensibilisation n° {i}",
            day.isoformat() if i % 2 else day.strftime("%d/%m/%Y"),
            rng.choice(REGIONS),
            ", ".join(rng.sample(THEMES, rng.randrange(1, 3))),
            rng.choice(AUDIENCES),
            *counts,
            sum(counts),
            "validated",
        ]


def make_files(n: int) -> dict[str, Path]:
    VAR.mkdir(parents=True, exist_ok=True)
    files = {"csv": VAR / f"activites-{n}.csv", "xlsx": VAR / f"activites-{n}.xlsx"}
    if not files["csv"].exists():
        _log(f"writing {files['csv']}")
        with open(files["csv"], "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow(HEADER)
            writer.writerow(TAGS)
            writer.writerows(rows(n))
    if not files["xlsx"].exists():
        from openpyxl import Workbook

        _log(f"writing {files['xlsx']}")
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Activités")
        sheet.append(HEADER)
        sheet.append(TAGS)
        for r in rows(n):
            sheet.append(r)
        book.save(files["xlsx"])
    return files


# -- worker (one phase, one process) ----------------------------------------------------


def _setup_database() -> None:
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    if connection.vendor == "sqlite":
        connection.close()
    call_command("migrate", verbosity=0)
    from musow.reference import reference_load

    reference_load()


def _floor(path: Path) -> int:
    """A plain bulk insert of the same rows: multi-row INSERTs of the activity, its themes
    and its participation, codes resolved by a dictionary; no validation, no audit."""
    from django.db import connection, transaction
    from django.utils import timezone

    from musow.activities.models import Activity, ActivityType, AgeGroup, Audience, Theme
    from musow.geo.models import Place
    from musow.intake.columns import fold
    from musow.intake.readers import cell_date, open_workbook

    types = dict(ActivityType.objects.values_list("code", "pk"))
    themes = dict(Theme.objects.values_list("code", "pk"))
    audiences = dict(Audience.objects.values_list("code", "pk"))
    ages = dict(AgeGroup.objects.values_list("code", "pk"))
    places = {}
    for pk, pcode, fr, en in Place.objects.filter(level=1).values_list(
        "pk", "pcode", "name_fr", "name_en"
    ):
        places.update({pcode.lower(): pk, fold(fr): pk, fold(en): pk})
    cells = [("f", "18-plus"), ("m", "18-plus"), ("f", "under-18"), ("m", "under-18")]
    book = open_workbook(path)
    table = book.tables[0]
    count = 0
    with transaction.atomic():
        chunk: list[list[Any]] = []

        def insert(table: str, columns: list[str], values: list[tuple[Any, ...]]) -> None:
            # As the write path does (activities/services.py, _insert): on SQLite many rows
            # per statement (one statement per row makes its full-text index flush its
            # terms after every row), on PostgreSQL executemany (psycopg pipelines it).
            marks = "({})".format(", ".join(["%s"] * len(columns)))
            head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
            per = min(1000, 30_000 // len(columns))
            with connection.cursor() as cursor:
                if connection.vendor != "sqlite":
                    cursor.executemany(head + marks, values)
                    return
                for start in range(0, len(values), per):
                    batch = values[start : start + per]
                    cursor.execute(
                        head + ", ".join([marks] * len(batch)), [v for r in batch for v in r]
                    )

        def flush() -> None:
            stamp = connection.ops.adapt_datetimefield_value(timezone.now())
            rows = []
            for r in chunk:
                day = connection.ops.adapt_datefield_value(cell_date(r[3]))
                rows.append(
                    (
                        types[r[1]],
                        r[2],
                        "",
                        day,
                        day,
                        places[fold(r[4])],
                        r[12],
                        "floor",
                        r[0],
                        "",
                        stamp,
                        stamp,
                        "",
                        "",
                        1,
                        "",
                    )
                )
            insert(
                "activities_activity",
                [
                    "activity_type_id",
                    "title",
                    "description",
                    "start_date",
                    "end_date",
                    "place_id",
                    "status",
                    "source",
                    "source_key",
                    "source_hash",
                    "created_at",
                    "updated_at",
                    "origin",
                    "review_comment",
                    "version",
                    "status_before_deletion",
                ],
                rows,
            )
            # The unique index on (source, source_key) is partial (non-empty keys): the
            # query repeats its condition so that it is used rather than a table scan.
            ids = dict(
                Activity.objects.filter(source="floor", source_key__in=[r[0] for r in chunk])
                .exclude(source_key="")
                .order_by()
                .values_list("source_key", "pk")
            )
            insert(
                "activities_activity_themes",
                ["activity_id", "theme_id"],
                [(ids[r[0]], themes[t.strip()]) for r in chunk for t in r[5].split(",")],
            )
            insert(
                "activities_participation",
                ["activity_id", "audience_id", "sex", "age_group_id", "count"],
                [
                    (ids[r[0]], audiences[r[6]], sex, ages[age], int(r[7 + i]))
                    for r in chunk
                    for i, (sex, age) in enumerate(cells)
                ],
            )

        for _number, r in table.rows:
            chunk.append(r)
            count += 1
            if len(chunk) >= 1000:
                flush()
                chunk = []
        if chunk:
            flush()
    book.close()
    return count


def worker(phase: str, path: Path, out: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
    _setup_database()
    from django.db import connection

    from musow.activities.models import Activity, Participation

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    cpu = time.process_time()
    if phase == "import":
        from musow.intake.importer import import_files

        report = import_files([path])
        if not report.ok:
            raise SystemExit("\n".join(str(p) for p in report.problems[:10]))
        n = report.rows
    else:
        n = _floor(path)
    seconds = time.perf_counter() - t
    cpu_seconds = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "phase": phase,
        "database": connection.vendor,
        "file": path.name,
        "rows": n,
        "seconds": round(seconds, 2),
        "rows_per_second": round(n / seconds),
        # The machine is shared: CPU time of this process (all of SQLite's work, none of
        # PostgreSQL's server) is steadier than wall time when others load it.
        "cpu_seconds": round(cpu_seconds, 2),
        "rows_per_cpu_second": round(n / cpu_seconds),
        "load_average": os.getloadavg()[0],
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_before_mb": round(before / 1024, 1),
        "activities": Activity.objects.count(),
        "participation": Participation.objects.count(),
    }
    out.write_text(json.dumps(result), encoding="utf-8")


# -- runner -----------------------------------------------------------------------------


def _databases(pg_url: str | None) -> dict[str, str]:
    urls = {"sqlite": f"sqlite:///{VAR / 'bench-import.sqlite3'}"}
    if pg_url:
        parts = urlsplit(pg_url)
        urls["postgresql"] = urlunsplit(parts._replace(path="/musow_bench_import"))
    return urls


def _fresh(name: str, url: str, pg_url: str | None) -> None:
    if name == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(VAR / "bench-import.sqlite3") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    assert pg_url
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS musow_bench_import")
        conn.execute("CREATE DATABASE musow_bench_import")


def _phase(phase: str, name: str, url: str, path: Path, pg_url: str | None) -> dict[str, Any]:
    _fresh(name, url, pg_url)
    out = VAR / f"{phase}-{name}-{path.suffix[1:]}.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ, MUSOW_DATABASE_URL=url, MUSOW_VAR_DIR=str(VAR))
    env.pop("MUSOW_EXPECT_DB", None)
    cmd = [sys.executable, "-m", "bench.imports", "worker", phase, str(path), str(out)]
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--pg-url")
    parser.add_argument("--formats", default="csv,xlsx")
    args = parser.parse_args()
    files = make_files(args.rows)
    results = []
    for name, url in _databases(args.pg_url).items():
        for fmt in args.formats.split(","):
            runs = {}
            for phase in ("floor", "import"):
                _log(f"{name} {fmt} {phase} ({args.rows:,} rows)")
                runs[phase] = _phase(phase, name, url, files[fmt], args.pg_url)
            ratio = runs["import"]["seconds"] / runs["floor"]["seconds"]
            cpu_ratio = runs["import"]["cpu_seconds"] / runs["floor"]["cpu_seconds"]
            results.append(
                {
                    "database": name,
                    "format": fmt,
                    "ratio": round(ratio, 2),
                    "cpu_ratio": round(cpu_ratio, 2),
                    **runs,
                }
            )
    if args.pg_url:  # the last phase's database goes (re-creating it left an empty one)
        import psycopg

        with psycopg.connect(args.pg_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS musow_bench_import")
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "rows": args.rows,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "targets": TARGETS,
        "results": results,
    }
    target = HERE / "results" / f"imports-{args.rows}-{report['date']}.json"
    target.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(
        f"\n{'database':<11}{'format':<7}{'import rows/s':>15}{'floor rows/s':>14}"
        f"{'ratio':>7}{'rows/cpu-s':>12}{'cpu ratio':>10}{'peak MB':>9}"
    )
    for r in results:
        print(
            f"{r['database']:<11}{r['format']:<7}{r['import']['rows_per_second']:>15,}"
            f"{r['floor']['rows_per_second']:>14,}{r['ratio']:>7}"
            f"{r['import']['rows_per_cpu_second']:>12,}{r['cpu_ratio']:>10}"
            f"{r['import']['peak_rss_mb']:>9}"
        )
    print(f"\nresults: {target}")


if __name__ == "__main__":
    main()
