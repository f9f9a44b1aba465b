"""Benchmark the unit's yearly report: every format, time and peak memory, and the report's
figure computation against the hand-written SQL floor (bench/floor.py).

    python -m bench.reports --activities 20000                 # own small SQLite database
    python -m bench.reports --activities 1000000 \\
        --url sqlite:///var/bench/musow_bench.sqlite3          # the database `make bench` loaded
    python -m bench.reports --activities 1000000 \\
        --url postgres://postgres@127.0.0.1:5432/musow_bench

Without --url, a database of its own is made once (var/bench/reports-n<N>-seed<S>.sqlite3:
setup, generated data, bulk load, as bench.run does) and reused afterwards; with --url,
the database is only read. Each format runs in a fresh process (`--child FORMAT`): it
builds the report for the largest year (computing every figure) and renders it to a
file; the process's peak RSS (getrusage) is its peak memory. The `figures` child times
the report's headline figures (as the report computes them, and with the floor's
breakdown) against the floor's hand-written queries, warm, median of --repeat runs.

Targets: every format under 15 s, peak memory under 500 MB, the figures within 1.5x of
the floor.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VAR = ROOT / "var" / "bench"
FORMATS = ("html", "pdf", "xlsx", "csv", "json")
# format_seconds: 5 s since issue 10 (figures from the analytics store); it was 15 s.
TARGETS = {"format_seconds": 5.0, "peak_rss_mb": 500.0, "figures_over_floor": 1.5}
YEAR = 2024  # the largest year of the generated register


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


def _run(args: list[str], url: str) -> dict[str, Any]:
    """A child process with MUSOW_DATABASE_URL set; its JSON report."""
    out = VAR / f"reports-child-{os.getpid()}.json"
    out.unlink(missing_ok=True)
    import tempfile

    from .run import analytics_env

    env = dict(os.environ, MUSOW_DATABASE_URL=url, MUSOW_VAR_DIR=str(VAR))
    env.update(analytics_env(url, os.environ.get("MUSOW_ANALYTICS", "duckdb")))
    # each child builds the report cold: a cache of its own, empty
    env["MUSOW_CACHE_DIR"] = tempfile.mkdtemp(prefix="musow-bench-cache-")
    env.pop("MUSOW_EXPECT_DB", None)
    subprocess.run([sys.executable, *args, "--out", str(out)], env=env, cwd=ROOT, check=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return report


# --- the database -----------------------------------------------------------------------


def _own_database(n: int, seed: int) -> str:
    """A SQLite database of n generated activities for this benchmark (made once)."""
    from .generate import Catalog
    from .run import _data

    path = VAR / f"reports-n{n}-seed{seed}.sqlite3"
    marker = path.with_suffix(".loaded")
    url = f"sqlite:///{path}"
    if path.exists() and marker.exists() and marker.read_text().strip() == str(n):
        _log(f"reusing {path.relative_to(ROOT)}")
        return url
    _log(f"setting up {path.relative_to(ROOT)}")
    marker.unlink(missing_ok=True)
    catalog = _run(["-m", "bench.worker", "setup"], url)["catalog"]
    data, _info = _data(Catalog.from_json(json.dumps(catalog)), n, seed)
    _log("loading")
    load = _run(["-m", "bench.worker", "load", "--data", str(data)], url)
    _log(f"loaded in {load['load_seconds']:.1f} s")
    marker.write_text(str(n))
    return url


# --- children ---------------------------------------------------------------------------


def child_format(fmt: str, year: int) -> dict[str, Any]:
    import django

    django.setup()
    from musow.indicators.models import Indicator
    from musow.indicators.periods import Period
    from musow.reports.builder import build_report
    from musow.reports.renderers import render
    from musow.reports.types import ReportScope

    Indicator.objects.count()  # connection open, models imported
    before = _maxrss_mb()
    target = VAR / f"report-{year}.{fmt}"
    t0 = time.perf_counter()
    report = build_report(period=Period.year(year), scope=ReportScope.everything(), lang="fr")
    t1 = time.perf_counter()
    with open(target, "wb") as out:
        render(report, fmt, out)
    t2 = time.perf_counter()
    return {
        "format": fmt,
        "build_seconds": t1 - t0,
        "render_seconds": t2 - t1,
        "seconds": t2 - t0,
        "maxrss_before_mb": before,
        "peak_rss_mb": _maxrss_mb(),
        "bytes": target.stat().st_size,
        "activities": report.annex_count,
        "file": str(target.relative_to(ROOT)),
    }


def _median(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _i in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def child_figures(year: int, repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from musow.indicators.engine import FILTER_FIELDS, compute, headline
    from musow.indicators.models import Indicator
    from musow.indicators.periods import Period
    from musow.reports.builder import build_report
    from musow.reports.types import ReportScope

    from .floor import HEADLINE_BY, engine_figure, floor_queries

    period = Period.year(year)
    floors = floor_queries()
    # Exactness: the report's headline figures are the floor's totals.
    report = build_report(period=period, scope=ReportScope.everything(), lang="fr")
    for h in report.headline:
        assert int(h.value or 0) == floors[h.code](period)[1], h.code
        rows, total = engine_figure(compute(h.code, period, by=HEADLINE_BY[h.code]))
        assert (rows, total) == floors[h.code](period), h.code

    def report_headline() -> None:
        headline(period)

    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=HEADLINE_BY).prefetch_related(*FILTER_FIELDS)
    }

    def same_breakdown() -> None:
        for code, by in HEADLINE_BY.items():
            compute(indicators[code], period, by=by)

    def floor() -> None:
        for code in HEADLINE_BY:
            floors[code](period)

    def whole_report() -> None:
        # every figure computed again: the shared cache (analytics.cache) left out
        from django.test import override_settings

        dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        with override_settings(CACHES=dummy):
            build_report(period=period, scope=ReportScope.everything(), lang="fr")

    out = {
        "year": year,
        "repeat": repeat,
        "vendor": connection.vendor,
        "headline_as_reported_seconds": _median(report_headline, repeat),
        "headline_by_floor_breakdown_seconds": _median(same_breakdown, repeat),
        "floor_seconds": _median(floor, repeat),
        "whole_report_figures_seconds": _median(whole_report, repeat),
    }
    out["ratio"] = out["headline_as_reported_seconds"] / out["floor_seconds"]
    out["ratio_same_breakdown"] = out["headline_by_floor_breakdown_seconds"] / out["floor_seconds"]
    return out


# --- the run ------------------------------------------------------------------------------


def _verdicts(report: dict[str, Any]) -> dict[str, Any]:
    formats = report["formats"]
    figures = report["figures"]
    return {
        "every_format_under_15_s": all(
            f["seconds"] < TARGETS["format_seconds"] for f in formats.values()
        ),
        "peak_memory_under_500_mb": all(
            f["peak_rss_mb"] < TARGETS["peak_rss_mb"] for f in formats.values()
        ),
        "figures_within_1_5x_floor": max(figures["ratio"], figures["ratio_same_breakdown"])
        <= TARGETS["figures_over_floor"],
    }


def _table(report: dict[str, Any]) -> str:
    lines = [
        f"yearly report {report['year']}, {report['activities']:,} activities "
        f"({report['vendor']}), "
        f"{next(iter(report['formats'].values()))['activities']:,} in the year",
        f"{'format':<6} {'build s':>8} {'render s':>9} {'total s':>8} {'peak MB':>8} {'size':>10}",
    ]
    for fmt, f in report["formats"].items():
        lines.append(
            f"{fmt:<6} {f['build_seconds']:8.2f} {f['render_seconds']:9.2f} "
            f"{f['seconds']:8.2f} {f['peak_rss_mb']:8.0f} {f['bytes']:10,}"
        )
    g = report["figures"]
    lines += [
        f"headline figures as reported {g['headline_as_reported_seconds']:.3f} s, "
        f"with the floor's breakdown {g['headline_by_floor_breakdown_seconds']:.3f} s, "
        f"floor {g['floor_seconds']:.3f} s: {g['ratio']:.2f}x / {g['ratio_same_breakdown']:.2f}x",
        f"every figure of the report: {g['whole_report_figures_seconds']:.2f} s",
        "targets: "
        + ", ".join(f"{k} {'pass' if v else 'FAIL'}" for k, v in report["targets"].items()),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1325)
    parser.add_argument("--url", default="", help="a loaded database (read only)")
    parser.add_argument("--year", type=int, default=YEAR)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)

    if args.child:
        sys.path.insert(0, str(ROOT / "src"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
        if args.child == "figures":
            result = child_figures(args.year, args.repeat)
        else:
            result = child_format(args.child, args.year)
        Path(args.out).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
        return

    url = args.url or _own_database(args.activities, args.seed)
    common = ["-m", "bench.reports", "--year", str(args.year), "--repeat", str(args.repeat)]
    report: dict[str, Any] = {
        "date": date.today().isoformat(),  # noqa: DTZ011 (the machine's own day)
        "activities": args.activities,
        "year": args.year,
        "database": url.split("@")[-1],
        "formats": {},
    }
    from .run import analytics_env

    engine = os.environ.get("MUSOW_ANALYTICS", "duckdb")
    report["analytics"] = engine
    if engine != "register":
        _log("analytics store: rebuild if needed (else copy what changed)")
        env = dict(os.environ, MUSOW_DATABASE_URL=url, MUSOW_VAR_DIR=str(VAR))
        env.update(analytics_env(url, engine))
        env.pop("MUSOW_EXPECT_DB", None)
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "musow.cli", "analytics", "rebuild", "--if-needed"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        report["analytics_rebuild_if_needed_seconds"] = round(time.perf_counter() - t, 1)
    for fmt in args.formats.split(","):
        _log(f"{fmt}: build and render in a fresh process")
        report["formats"][fmt] = _run([*common, "--child", fmt], url)
    _log("figures against the floor")
    report["figures"] = _run([*common, "--child", "figures"], url)
    report["vendor"] = report["figures"]["vendor"]
    report["targets"] = _verdicts(report)
    suffix = "" if args.activities == 1_000_000 else f"-n{args.activities}"
    if args.formats != ",".join(FORMATS):
        suffix += "-partial"  # a subset of formats never replaces a full run's results
    out = HERE / "results" / f"reports-{report['date']}-{report['vendor']}{suffix}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print()
    print(_table(report))
    print(f"\nresults: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
