"""The analytics store at scale (the `store` phase of bench.worker, one process):

1. rebuild: the store built from the whole register (`musow analytics rebuild`);
2. exactness: every figure the benchmark times (the four headline indicators of the year
   by region × audience × sex × age group, every indicator × ten years by year × region ×
   sex) computed on the store and on the register: asserted equal, row for row;
3. timings on the store, warm, median of --repeat: those figures; the four headline
   figures of the year as the dashboard asks for them (no breakdown); every indicator ×
   ten years;
4. a validation reflected: an activity of the year is validated (committed), then the
   next `compute` is timed until it shows it (the copy included); --validations times;
5. memory: the peak RSS (getrusage) of this process (which also rebuilt the store and ran
   the register's figures), and — the figure a server process is held to — of a fresh
   process that only computes the figures above from the store (`phase_store_memory`).
"""

import os
import resource
import statistics
import sys
import time
from typing import Any

TENYEAR = "2015-01-01..2024-12-31"


def _maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


CPU: dict[str, float] = {}  # median CPU seconds of each timing, by the name it is stored under


def _median(fn: Any, repeat: int, name: str = "") -> tuple[float, list[float]]:
    """Wall seconds (median, and each run); the median CPU seconds of this process (every
    thread: DuckDB's included) go to CPU[name] — on a shared machine, wall time waits for
    the other processes, CPU time does not."""
    fn()
    times, cpu = [], []
    for _i in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    if name:
        CPU[name] = statistics.median(cpu)
    return statistics.median(times), times


def _figures(result: Any) -> tuple[Any, dict[Any, Any]]:
    return result.total, {tuple(m.code for m in r.key.values()): r.value for r in result.rows}


def phase_store(year: int, repeat: int, validations: int) -> dict[str, Any]:
    from django.conf import settings
    from django.test import override_settings

    from bench.worker import _headline_jobs, _tenyear_jobs
    from musow.activities.models import Activity
    from musow.activities.services import activity_return, activity_validate
    from musow.analytics import sync
    from musow.indicators.engine import compute, headline
    from musow.indicators.periods import Period

    report: dict[str, Any] = {"engine": settings.ANALYTICS["ENGINE"]}
    t = time.perf_counter()
    rebuilt = sync.rebuild(timeout=3600)
    report["rebuild"] = {**rebuilt, "wall_seconds": time.perf_counter() - t}

    period, tenyear = Period.year(year), Period.parse(TENYEAR)
    jobs = [(period, code, by) for code, by in _headline_jobs()]
    jobs += [(tenyear, code, by) for code, by in _tenyear_jobs()]
    register = {**settings.ANALYTICS, "ENGINE": "register"}
    t = time.perf_counter()
    checked = 0
    for when, code, by in jobs:
        stored = compute(code, when, by=by)
        assert all(c.where.startswith(settings.ANALYTICS["ENGINE"]) for c in stored.computed_by)
        with override_settings(ANALYTICS=register):
            expected = compute(code, when, by=by)
        assert _figures(stored) == _figures(expected), f"{code} {when.code}: store != register"
        checked += len(stored.rows) + 1
    report["exactness"] = {
        "figures": len(jobs),
        "rows_and_totals_equal": checked,
        "seconds": time.perf_counter() - t,
    }

    headline_jobs = [(code, by) for _p, code, by in jobs[: len(_headline_jobs())]]
    report["headline_breakdowns_seconds"], _r = _median(
        lambda: [compute(code, period, by=by) for code, by in headline_jobs], repeat, "breakdowns"
    )
    report["headline_plain_seconds"], _r = _median(lambda: headline(period), repeat, "headline")
    per: dict[str, list[float]] = {}

    def all_tenyear() -> None:
        for code, by in _tenyear_jobs():
            s = time.perf_counter()
            compute(code, tenyear, by=by)
            per.setdefault(code, []).append(time.perf_counter() - s)

    report["tenyear_seconds"], report["tenyear_runs"] = _median(all_tenyear, repeat, "tenyear")
    report["cpu_seconds"] = dict(CPU)
    report["load_average"] = list(os.getloadavg())
    report["tenyear"] = {code: statistics.median(times[1:]) for code, times in per.items()}

    # A validation, then the next figure: how long until it shows.
    candidates = list(
        Activity.objects.filter(
            status=Activity.Status.SUBMITTED,
            start_date__year=year,
            participation__count__gt=0,
        )
        .distinct()
        .order_by("pk")[:validations]
    )
    latencies, copies = [], []
    for activity in candidates:
        contacts = sum(p.count for p in activity.participation.all())
        before = compute("participants-all", period).total
        activity = activity_validate(activity=activity)  # committed (autocommit)
        t = time.perf_counter()
        after = compute("participants-all", period)
        latencies.append(time.perf_counter() - t)
        assert after.total == before + contacts, (after.total, before, contacts)
        # put it back as it was found (a return, then a submission), not timed
        activity = activity_return(activity=activity, comment="bench")
        from musow.activities.services import activity_submit

        activity_submit(activity=activity)
        s = time.perf_counter()
        sync.sync()
        copies.append(time.perf_counter() - s)
    report["validation"] = {
        "count": len(latencies),
        "seconds_to_next_figure": latencies,
        "median_seconds": statistics.median(latencies) if latencies else None,
        "max_seconds": max(latencies) if latencies else None,
        "two_changes_copy_seconds_median": statistics.median(copies) if copies else None,
    }
    report["peak_rss_mb"] = _maxrss_mb()
    return report


def phase_store_memory(year: int) -> dict[str, Any]:
    """A fresh process that computes, from the store only, what a server process would:
    the headline of the year, the four figures by region × audience × sex × age group,
    every indicator × ten years. Its peak RSS is what the issue's 500 MB is about."""
    from bench.worker import _headline_jobs, _tenyear_jobs
    from musow.indicators.engine import compute, headline
    from musow.indicators.models import Indicator
    from musow.indicators.periods import Period

    Indicator.objects.count()  # connection open, models and engine imported
    before = _maxrss_mb()
    period, tenyear = Period.year(year), Period.parse(TENYEAR)
    t = time.perf_counter()
    headline(period)
    for code, by in _headline_jobs():
        compute(code, period, by=by)
    for code, by in _tenyear_jobs():
        result = compute(code, tenyear, by=by)
        assert all(not c.where.startswith("register") for c in result.computed_by)
    return {
        "maxrss_before_mb": before,
        "peak_rss_mb": _maxrss_mb(),
        "cold_seconds": time.perf_counter() - t,
    }


def phase_dashboard(year: int, repeat: int) -> dict[str, Any]:
    """What a dashboard costs the server, apart from the load benchmark's queueing: each
    board (headline figures, activities per month, reach by region × age × sex) built cold
    — the cache empty, as after a change — then read from the shared cache (warm)."""
    import tempfile

    from django.core.cache import caches
    from django.test import override_settings

    from musow.indicators.engine import EVERYTHING
    from musow.indicators.periods import Period
    from musow.web.dashboard_data import Choice, board

    choices = {
        f"{year}": Choice(Period.year(year), EVERYTHING),
        f"{year - 1}": Choice(Period.year(year - 1), EVERYTHING),
        f"{year}-Q2": Choice(Period.parse(f"{year}-Q2"), EVERYTHING),
        f"{year} provisional": Choice(Period.year(year), EVERYTHING, provisional=True),
    }
    out: dict[str, Any] = {}
    for name, choice in choices.items():
        cold, cold_cpu, warm = [], [], []
        for _i in range(repeat):
            location = tempfile.mkdtemp(prefix="musow-bench-cache-")
            backend = "django.core.cache.backends.filebased.FileBasedCache"
            with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": location}}):
                caches["default"].clear()
                t, c = time.perf_counter(), time.process_time()
                board(choice)
                cold.append(time.perf_counter() - t)
                cold_cpu.append(time.process_time() - c)
                t = time.perf_counter()
                board(choice)
                warm.append(time.perf_counter() - t)
        out[name] = {
            "cold_seconds": statistics.median(cold),
            "cold_cpu_seconds": statistics.median(cold_cpu),
            "warm_seconds": statistics.median(warm),
        }
    out["load_average"] = list(os.getloadavg())
    return out
