"""Run the benchmark: generate, load into SQLite and PostgreSQL, time, measure memory.

    python -m bench.run --activities 1000000 --pg-url postgres://postgres@127.0.0.1:5432/test
    python -m bench.run --activities 1000000 --pg-url ... --reuse   # time the loaded databases

Each database phase runs in its own process (bench.worker) with MUSOW_DATABASE_URL
set, so that memory is measured on a process that did nothing but that phase.
PostgreSQL uses a database `musow_bench` on the server of --pg-url (dropped and
recreated); the database named in --pg-url itself is never touched.

--reuse skips the fresh databases, generation and load: the databases must exist and
hold the row counts of the latest full results file for this size and seed, whose
load figures are reported again, marked `reused_from`.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .generate import TABLES, Catalog, generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VAR = ROOT / "var" / "bench"
DEFAULT_SEED = 1325
HEADLINE_YEAR = 2024  # the largest year
SMALL_YEAR = 2015  # the smallest year (memory at two sizes)

TARGETS = {
    # issue 10, on the analytics store (both deployments)
    "store_tenyear_seconds": 3.0,
    "store_headline_seconds": 0.2,
    "store_validation_seconds": 1.0,
    "store_rebuild_seconds": 60.0,
    "store_peak_rss_mb": 500.0,
    # issue 2, on the register
    "engine_over_floor": 1.5,
    "headline_year_sqlite_seconds": 2.0,
    "tenyear_all_sqlite_seconds": 10.0,
    "memory_growth_factor": 1.25,  # heap peak, largest year / smallest year
}


def analytics_env(url: str, engine: str = "duckdb") -> dict[str, str]:
    """The analytics store of this benchmark database: a DuckDB file of its own (a store
    mirrors one register)."""
    parts = urlsplit(url)
    name = Path(parts.path).stem if parts.scheme.startswith("sqlite") else parts.path.strip("/")
    return {
        "MUSOW_ANALYTICS": engine,
        "MUSOW_ANALYTICS_PATH": str(VAR / f"analytics-{_vendor(url)}-{name}.duckdb"),
    }


def _vendor(url: str) -> str:
    return "sqlite" if urlsplit(url).scheme.startswith("sqlite") else "postgresql"


def _worker(phase: str, url: str, *extra: str, engine: str = "duckdb") -> dict[str, Any]:
    out = VAR / f"{phase}.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ, MUSOW_DATABASE_URL=url, MUSOW_VAR_DIR=str(VAR))
    env.update(analytics_env(url, engine))
    env.pop("MUSOW_EXPECT_DB", None)
    cmd = [sys.executable, "-m", "bench.worker", phase, "--out", str(out), *extra]
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _data(catalog: Catalog, n: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The generated TSV files for (catalog, n, seed), generated once and reused."""
    directory = VAR / f"data-n{n}-seed{seed}"
    manifest = directory / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if saved["catalog"] == json.loads(catalog.to_json()):
            _log(f"reusing generated data in {directory}")
            return directory, saved
    _log(f"generating {n:,} activities (seed {seed}) into {directory}")
    t = time.perf_counter()
    counts = generate(catalog, n, seed, directory)
    info = {
        "catalog": json.loads(catalog.to_json()),
        "rows": counts,
        "generate_seconds": time.perf_counter() - t,
    }
    manifest.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return directory, info


def _previous_run(n: int, seed: int) -> tuple[str, dict[str, Any]]:
    """The latest results file for (n, seed): what --reuse expects and reports."""
    runs = []
    for path in (HERE / "results").glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        if report.get("activities") == n and report.get("seed") == seed:
            runs.append((report["date"], path.name, report))
    if not runs:
        raise SystemExit(f"--reuse: no results file for {n:,} activities, seed {seed}")
    _date, name, report = max(runs, key=lambda r: r[:2])
    return name, report


def _row_counts(url: str) -> dict[str, int]:
    """Rows of each generated table, read directly (Django would create a missing SQLite file)."""
    tables = [table for table, _columns in TABLES.values()]
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        import sqlite3

        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        if not path.exists():
            raise SystemExit(f"--reuse: {path} does not exist. Run without --reuse.")
        connect, error = (lambda: sqlite3.connect(path)), sqlite3.Error
    else:
        import psycopg

        connect, error = (lambda: psycopg.connect(url)), psycopg.Error
    try:
        with connect() as conn:
            return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    except error as exc:
        raise SystemExit(
            f"--reuse: cannot count rows in {url}: {exc}. Run without --reuse."
        ) from exc


def _reused_load(name: str, url: str, source: str, previous: dict[str, Any]) -> dict[str, Any]:
    """The load figures of `previous`, once the database is checked to hold the same rows."""
    if name not in previous["databases"]:
        raise SystemExit(f"--reuse: results/{source} has no {name} figures")
    load = previous["databases"][name]["load"]
    expected = {t: v["rows"] for t, v in load["tables"].items()}
    _log(f"{name}: counting rows to reuse the loaded database")
    found = _row_counts(url)
    wrong = [f"{t} {found[t]:,} (expected {n:,})" for t, n in expected.items() if found[t] != n]
    if wrong:
        raise SystemExit(
            f"--reuse: the {name} database does not hold the rows of results/{source}: "
            + "; ".join(wrong)
            + ". Run without --reuse to reload it."
        )
    # A chain of reuses keeps naming the run that actually loaded.
    return {"reused_from": source, **load}


def _database(
    name: str, url: str, load: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    timings: dict[str, Any] = {}
    memory: dict[str, Any] = {}
    if not args.store_only:
        _log(f"{name}: timing the register (warm, median of {args.repeat})")
        timings = _worker(
            "time",
            url,
            "--year",
            str(HEADLINE_YEAR),
            "--repeat",
            str(args.repeat),
            engine="register",
        )
        for what in (f"headline:{SMALL_YEAR}", f"headline:{HEADLINE_YEAR}", "tenyear"):
            _log(f"{name}: memory of {what} in a fresh process")
            memory[what] = _worker("memory", url, "--what", what, engine="register")
    _log(f"{name}: analytics store: rebuild, exactness, timings, validations")
    store = _worker(
        "store", url, "--year", str(HEADLINE_YEAR), "--repeat", str(args.repeat), engine="duckdb"
    )
    _log(f"{name}: analytics store: memory of a process that only reads figures")
    store["reader_memory"] = _worker("store_memory", url, "--year", str(HEADLINE_YEAR))
    _log(f"{name}: dashboards built cold and read warm")
    store["dashboard"] = _worker(
        "dashboard", url, "--year", str(HEADLINE_YEAR), "--repeat", str(args.repeat)
    )
    participation = load["tables"]["activities_participation"]["rows"]
    total_rows = sum(t["rows"] for t in load["tables"].values())
    return {
        "load": load,
        "load_participation_rows_per_second": participation / load["load_seconds"],
        "load_total_rows_per_second": total_rows / load["load_seconds"],
        "timings": timings,
        "memory": memory,
        "store": store,
    }


def _machine(pg_url: str | None) -> dict[str, Any]:
    import sqlite3

    import django

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except OSError:
        mem_kb = 0
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    if pg_url:
        import psycopg

        with psycopg.connect(pg_url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            info["postgresql"] = row[0] if row else "?"
    return info


def _bench_pg_url(pg_url: str) -> str:
    return urlunsplit(urlsplit(pg_url)._replace(path="/musow_bench"))


def _verdicts(report: dict[str, Any]) -> dict[str, Any]:
    verdicts: dict[str, Any] = {}
    for name, db in report["databases"].items():
        store = db["store"]
        for label, value, target in (
            ("store: all indicators x 10 years", store["tenyear_seconds"], "tenyear"),
            ("store: headline figures of a year", store["headline_plain_seconds"], "headline"),
            (
                "store: validation to next figure (max)",
                store["validation"]["max_seconds"],
                "validation",
            ),
            ("store: full rebuild", store["rebuild"]["wall_seconds"], "rebuild"),
            (
                "store: peak RSS MB of a process computing figures",
                store["reader_memory"]["peak_rss_mb"],
                "peak_rss_mb",
            ),
        ):
            limit = TARGETS[f"store_{target}" + ("" if target == "peak_rss_mb" else "_seconds")]
            verdicts[f"{name}: {label} under {limit}"] = {
                "value": None if value is None else round(value, 3),
                "pass": value is not None and value < limit,
            }
        if not db["timings"]:
            continue
        t = db["timings"]
        ratio = t["headline_ratio"]
        verdicts[f"{name}: engine within {TARGETS['engine_over_floor']}x of floor"] = {
            "value": round(ratio, 3),
            "pass": ratio <= TARGETS["engine_over_floor"],
        }
        mem = db["memory"]
        small = mem[f"headline:{SMALL_YEAR}"]["python_heap_peak_mb"]
        large = mem[f"headline:{HEADLINE_YEAR}"]["python_heap_peak_mb"]
        verdicts[f"{name}: memory flat from {SMALL_YEAR} to {HEADLINE_YEAR} (heap peak ratio)"] = {
            "value": round(large / small, 3),
            "pass": large / small <= TARGETS["memory_growth_factor"],
        }
    if "sqlite" in report["databases"] and report["databases"]["sqlite"]["timings"]:
        t = report["databases"]["sqlite"]["timings"]
        verdicts[f"sqlite: headline year under {TARGETS['headline_year_sqlite_seconds']} s"] = {
            "value": round(t["headline_engine_seconds"], 3),
            "pass": t["headline_engine_seconds"] < TARGETS["headline_year_sqlite_seconds"],
        }
        verdicts[
            f"sqlite: all indicators x 10 years under {TARGETS['tenyear_all_sqlite_seconds']} s"
        ] = {
            "value": round(t["tenyear_seconds"], 3),
            "pass": t["tenyear_seconds"] < TARGETS["tenyear_all_sqlite_seconds"],
        }
    return verdicts


def _table(report: dict[str, Any]) -> str:
    dbs = report["databases"]
    names = list(dbs)
    lines = [
        f"musow bench — {report['activities']:,} activities, "
        f"{report['rows']['participation']:,} participation rows, seed {report['seed']}, "
        f"{report['date']}",
        f"timings: warm, median of {report['repeat']} runs after one warm-up",
        *(
            f"{n}: database reused, load figures from results/{dbs[n]['load']['reused_from']}"
            for n in names
            if "reused_from" in dbs[n]["load"]
        ),
        "",
        f"{'':44}" + "".join(f"{n:>16}" for n in names),
    ]

    def line(label: str, values: list[str]) -> None:
        lines.append(f"{label:44}" + "".join(f"{v:>16}" for v in values))

    line(
        "load: participation rows/s",
        [f"{dbs[n]['load_participation_rows_per_second']:,.0f}" for n in names],
    )
    line("load: all rows/s", [f"{dbs[n]['load_total_rows_per_second']:,.0f}" for n in names])
    line(
        "load: seconds (insert+index+constraints)",
        [f"{dbs[n]['load']['load_seconds']:.1f}" for n in names],
    )
    year = HEADLINE_YEAR
    stores = {n: dbs[n]["store"] for n in names}
    line("store: rebuild s", [f"{stores[n]['rebuild']['wall_seconds']:.1f}" for n in names])
    line(
        "store: figures checked equal to register",
        [f"{stores[n]['exactness']['rows_and_totals_equal']:,}" for n in names],
    )
    line(
        f"store: headline {year} (4 figures) s",
        [f"{stores[n]['headline_plain_seconds']:.3f}" for n in names],
    )
    line(
        f"store: headline {year} by region,aud,sex,age s",
        [f"{stores[n]['headline_breakdowns_seconds']:.3f}" for n in names],
    )
    line(
        "store: all indicators x 10 years s", [f"{stores[n]['tenyear_seconds']:.3f}" for n in names]
    )
    line(
        "store: CPU s, headline / x 10 years",
        ["{headline:.2f} / {tenyear:.2f}".format(**stores[n]["cpu_seconds"]) for n in names],
    )
    line(
        f"dashboard {year}: cold / warm s",
        [
            "{cold_seconds:.3f} / {warm_seconds:.3f}".format(**stores[n]["dashboard"][str(year)])
            for n in names
        ],
    )
    line(
        "store: machine load average (1, 5, 15 min)",
        ["/".join(f"{v:.0f}" for v in stores[n]["load_average"]) for n in names],
    )
    line(
        "store: validation -> next figure max s",
        [f"{stores[n]['validation']['max_seconds'] or 0:.3f}" for n in names],
    )
    line(
        "store: peak RSS MB, reader / rebuilder",
        [
            f"{stores[n]['reader_memory']['peak_rss_mb']:.0f} / {stores[n]['peak_rss_mb']:.0f}"
            for n in names
        ],
    )
    if not all(dbs[n]["timings"] for n in names):
        lines.append("")
        for label, verdict in report["targets"].items():
            lines.append(f"{'PASS' if verdict['pass'] else 'FAIL'}  {label}: {verdict['value']}")
        return "\n".join(lines)
    line(
        f"headline {year}: engine s",
        [f"{dbs[n]['timings']['headline_engine_seconds']:.3f}" for n in names],
    )
    line(
        f"headline {year}: floor s",
        [f"{dbs[n]['timings']['headline_floor_seconds']:.3f}" for n in names],
    )
    line(
        f"headline {year}: engine/floor",
        [f"{dbs[n]['timings']['headline_ratio']:.2f}x" for n in names],
    )
    codes = list(dbs[names[0]]["timings"]["headline"])
    for code in codes:
        line(
            f"  {code[:30]} e/f",
            [
                f"{dbs[n]['timings']['headline'][code]['engine_seconds']:.3f}/"
                f"{dbs[n]['timings']['headline'][code]['floor_seconds']:.3f}"
                for n in names
            ],
        )
    line(
        "all indicators x 10 y by year,region,sex s",
        [f"{dbs[n]['timings']['tenyear_seconds']:.2f}" for n in names],
    )
    for code in dbs[names[0]]["timings"]["tenyear"]:
        line(
            f"  {code[:40]}",
            [f"{dbs[n]['timings']['tenyear'][code]['seconds']:.3f}" for n in names],
        )
    for what in dbs[names[0]]["memory"]:
        line(
            f"memory {what}: heap peak / RSS growth MB",
            [
                f"{dbs[n]['memory'][what]['python_heap_peak_mb']:.1f}/"
                f"{dbs[n]['memory'][what]['maxrss_growth_mb']:.1f}"
                for n in names
            ],
        )
    lines.append("")
    for label, verdict in report["targets"].items():
        lines.append(f"{'PASS' if verdict['pass'] else 'FAIL'}  {label}: {verdict['value']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--pg-url", default="", help="a PostgreSQL server (musow_bench is used)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--store-only",
        action="store_true",
        help="time the analytics store only (not the register's engine, not memory phases)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the databases already loaded (row counts checked); report the last load",
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    urls: dict[str, str] = {}
    if not args.skip_sqlite:
        urls["sqlite"] = f"sqlite:///{VAR / 'musow_bench.sqlite3'}"
    if args.pg_url:
        urls["postgresql"] = _bench_pg_url(args.pg_url)
    if not urls:
        raise SystemExit("nothing to do: give --pg-url or drop --skip-sqlite")

    if args.reuse:
        source, previous = _previous_run(args.activities, args.seed)
        loads = {name: _reused_load(name, url, source, previous) for name, url in urls.items()}
        data, info = None, previous
    else:
        catalogs = {}
        for name, url in urls.items():
            _log(f"{name}: fresh database, migrate, reference_load")
            catalogs[name] = _worker("setup", url)["catalog"]
        first = next(iter(catalogs.values()))
        assert all(c == first for c in catalogs.values()), "reference ids differ between databases"
        data, info = _data(Catalog.from_json(json.dumps(first)), args.activities, args.seed)

    report: dict[str, Any] = {
        "date": date.today().isoformat(),  # noqa: DTZ011 (the machine's own day)
        "activities": args.activities,
        "seed": args.seed,
        "repeat": args.repeat,
        "timing_method": f"warm: one warm-up run, then the median of {args.repeat} runs",
        "headline_year": HEADLINE_YEAR,
        "machine": _machine(args.pg_url or None),
        "rows": info["rows"],
        "generate_seconds": info["generate_seconds"],
        "databases": {},
    }
    for name, url in urls.items():
        if data is None:
            load = loads[name]
        else:
            _log(f"{name}: loading")
            load = _worker("load", url, "--data", str(data))
            _log(f"{name}: loaded in {load['load_seconds']:.1f} s")
        report["databases"][name] = _database(name, url, load, args)
    report["targets"] = _verdicts(report)
    report["total_seconds"] = time.perf_counter() - started

    suffix = "" if args.activities == 1_000_000 else f"-n{args.activities}"
    out = HERE / "results" / f"{report['date']}{suffix}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print()
    print(_table(report))
    print(f"\nresults: {out.relative_to(ROOT)}  (total {report['total_seconds'] / 60:.1f} min)")


if __name__ == "__main__":
    main()
