"""Load benchmark: musow served by gunicorn (DEBUG off, static files by WhiteNoise) on
127.0.0.1 over the benchmark register, browsed by 20 concurrent signed-in users driven by
locust (headless, bounded in time and requests, loopback only).

    python -m bench.load --activities 20000
        builds var/bench/load-n20000-seed1325.sqlite3 (bench/generate.py's register)
        unless it is already there, then serves it and drives it
    python -m bench.load --activities 20000 --pg-url postgres://postgres@127.0.0.1:5432/test
        the same in a PostgreSQL database of its own (musow_load_n20000_seed1325)
    python -m bench.load --activities 1000000 \\
        --database-url sqlite:///var/bench/musow_bench.sqlite3
    python -m bench.load --activities 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/musow_bench
        the databases `make bench` loaded (migrated first if the code has new migrations)

What the users do (bench/locustfile.py): sign in with an account each (8 gender
officers, 8 regional focal points in Gao, Mopti, Tombouctou and Bamako, 4 partner
organisations; two start per second), then browse with 0.5–1.5 s between pages:
the dashboard (default period; this year and last, and their quarters; provisional
on 20 %), the activity list (no filter, then period/region/type/theme/status/search
filters, and next pages), and the pages of activities found in the list.

Reports p50 / p95 / max and errors per page kind and over all browsing requests
(signing in is reported on its own line: Argon2 makes it slow on purpose), and writes
bench/results/load-<date>-n<N>-<database>.json. Targets: p95 < 300 ms, no error (issue
10; it was 500 ms), and each server process under 500 MB resident.

Figures come from the analytics store (DuckDB, a file per benchmark database, built or
brought in step by `musow analytics rebuild --if-needed` before the server starts, and
timed); `--analytics register` serves them from the register instead, as before.
"""

import argparse
import csv
import json
import os
import platform
import resource
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VAR = ROOT / "var" / "bench"
PASSWORD = "load-bench-2014"  # bench accounts only, on the loopback
TARGET_P95_MS = 300
TARGET_RSS_MB = 500
SIGN_IN = {"sign-in page", "sign in"}


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _vendor(url: str) -> str:
    return "sqlite" if urlsplit(url).scheme.startswith("sqlite") else "postgresql"


# --- the database ------------------------------------------------------------------------


def _build_sqlite(n: int, seed: int) -> str:
    """bench/generate.py's register of n activities in its own SQLite file (kept, reused)."""
    from .generate import Catalog
    from .run import _data, _worker

    path = VAR / f"load-n{n}-seed{seed}.sqlite3"
    url = f"sqlite:///{path}"
    done = path.with_suffix(".loaded")
    if path.exists() and done.exists():
        _log(f"reusing {path.relative_to(ROOT)}")
        return url
    done.unlink(missing_ok=True)
    _log(f"building {path.relative_to(ROOT)}: {n:,} activities")
    catalog = _worker("setup", url)["catalog"]
    data, _info = _data(Catalog.from_json(json.dumps(catalog)), n, seed)
    _worker("load", url, "--data", str(data))
    done.write_text("loaded\n", encoding="utf-8")
    return url


def _build_postgres(pg_url: str, n: int, seed: int) -> str:
    """The same register in a PostgreSQL database of its own, `musow_load_n<N>`, on the
    server of `pg_url` (created here; the database `make bench` uses is never touched)."""
    import psycopg

    from .generate import Catalog
    from .run import _data, _worker

    parts = urlsplit(pg_url)
    name = f"musow_load_n{n}_seed{seed}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    done = VAR / f"{name}.loaded"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and done.exists():
            _log(f"reusing PostgreSQL database {name}")
            return url
        done.unlink(missing_ok=True)
        _log(f"building PostgreSQL database {name}: {n:,} activities")
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    out = VAR / "load" / "catalog.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    code = f"""
import django
django.setup()
from django.core.management import call_command
from musow.reference import reference_load
from bench.worker import _bench_reference
call_command("migrate", interactive=False, verbosity=0)
reference_load()
open({str(out)!r}, "w").write(_bench_reference().to_json())
"""
    env = dict(os.environ, MUSOW_DATABASE_URL=url, DJANGO_SETTINGS_MODULE="musow.settings")
    env.pop("MUSOW_EXPECT_DB", None)
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    data, _info = _data(Catalog.from_json(out.read_text(encoding="utf-8")), n, seed)
    _worker("load", url, "--data", str(data))
    done.write_text("loaded\n", encoding="utf-8")
    return url


def _musow(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "musow.cli", *args], env=env, cwd=ROOT, check=True)


def _prepare(env: dict[str, str]) -> dict[str, Any]:
    """Bench accounts and the URLs they browse, in a process of their own."""
    out = VAR / "load" / "prepare.json"
    code = f"""
import json, django
django.setup()
from bench.load import prepare
open({str(out)!r}, "w").write(json.dumps(prepare()))
"""
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def prepare() -> dict[str, Any]:
    """Create (or reset) the bench accounts; return them with the pages' URLs (French)."""
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse
    from django.utils import translation

    from musow.accounts.models import User
    from musow.activities.models import Activity, Organisation
    from musow.geo.models import Place

    hashed = make_password(PASSWORD)
    regions = ["ML07", "ML05", "ML06", "ML09"]
    organisations = list(Organisation.objects.order_by("pk")[:4])
    accounts: list[list[str]] = []

    def account(username: str, role: str, region: str = "", org: Any = None) -> None:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "password": hashed, "is_active": True, "organisation": org},
        )
        if region:
            user.regions.set(Place.objects.filter(level=Place.Level.REGION, pcode=region))
        accounts.append([username, role, region])

    for i in range(8):
        account(f"load-officer-{i + 1}", User.Role.OFFICER)
        account(f"load-focal-{i + 1}", User.Role.FOCAL_POINT, region=regions[i % len(regions)])
    for i, org in enumerate(organisations):
        account(f"load-partner-{i + 1}", User.Role.PARTNER, org=org)
    with translation.override("fr"):
        urls = {
            "login": reverse("web:login"),
            "dashboard": reverse("web:dashboard"),
            "activities": reverse("web:activities"),
        }
    return {"accounts": accounts, "urls": urls, "activities": Activity.objects.count()}


# --- serving and driving -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer within 120 s:\n{log.read_text()[-3000:]}")


def _stats(path: Path) -> dict[str, dict[str, Any]]:
    """locust's CSV statistics: count, failures, p50 / p95 / max (ms) by page kind."""
    out: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": _ms(row["50%"]),
                "p95_ms": _ms(row["95%"]),
                "max_ms": _ms(row["Max Response Time"]),
                "mean_ms": _ms(row["Average Response Time"]),
                "requests_per_s": float(row["Requests/s"] or 0),
            }
    return out


def _ms(text: str) -> float | None:
    try:
        return round(float(text), 1)
    except ValueError:
        return None


def drive(args: argparse.Namespace, url: str) -> dict[str, Any]:
    out_dir = VAR / "load"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("MUSOW_EXPECT_DB", None)
    from .run import analytics_env

    env.update(analytics_env(url, args.analytics))
    env.update(
        MUSOW_DATABASE_URL=url,
        MUSOW_VAR_DIR=str(out_dir),
        MUSOW_DEBUG="0",
        MUSOW_SECURE_COOKIES="0",
        MUSOW_ALLOWED_HOSTS="127.0.0.1",
        MUSOW_DB_CONN_MAX_AGE=str(args.conn_max_age),
        DJANGO_SETTINGS_MODULE="musow.settings",
    )
    _log("migrate (nothing to do unless the code has new migrations)")
    _musow(env, "migrate", "--verbosity", "0")
    prepared = _prepare(env)
    _log(f"{prepared['activities']:,} activities; {len(prepared['accounts'])} accounts")
    store_seconds = None
    if args.analytics != "register":
        _log("analytics store: rebuild if needed (else copy what changed)")
        t = time.monotonic()
        _musow(env, "analytics", "rebuild", "--if-needed", "--lang", "en")
        store_seconds = round(time.monotonic() - t, 1)
    # the shared cache starts empty: every board is computed once, during the run
    import shutil

    shutil.rmtree(out_dir / "cache", ignore_errors=True)

    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = out_dir / "server.log"
    with server_log.open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "musow.cli",
                "serve",
                "--addr",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(base + prepared["urls"]["login"], server, server_log)
            _log(
                f"served at {base} by gunicorn ({args.workers} workers); {args.users} users "
                f"for {args.run_time} s or {args.max_requests} requests"
            )
            prefix = out_dir / "locust"
            locust_env = dict(
                env,
                LOAD_URLS=json.dumps(prepared["urls"]),
                LOAD_ACCOUNTS=json.dumps(prepared["accounts"]),
                LOAD_PASSWORD=PASSWORD,
                LOAD_MAX_REQUESTS=str(args.max_requests),
                LOAD_WAIT=args.wait,
                LOAD_SEED=str(args.seed),
            )
            started = time.monotonic()
            load_before = os.getloadavg()
            cpu_before = _children_cpu()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(HERE / "locustfile.py"),
                    "--headless",
                    "--host",
                    base,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.run_time}s",
                    "--stop-timeout",
                    "10",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=locust_env,
                cwd=ROOT,
                check=False,  # a run with failures exits 1: the report says which
            )
            seconds = time.monotonic() - started
            load_after = os.getloadavg()
            locust_cpu = _children_cpu() - cpu_before
            rss = _workers_peak_rss_mb(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    # gunicorn's workers are reaped by its master, the master by us: their CPU time is ours
    server_cpu = _children_cpu() - cpu_before - locust_cpu
    stats = _stats(Path(f"{prefix}_stats.csv"))
    failures = _failures(Path(f"{prefix}_failures.csv"))
    return {
        "base_url": base,
        "workers": args.workers,
        "users": args.users,
        "wait_seconds": args.wait,
        "run_seconds": round(seconds, 1),
        "activities": prepared["activities"],
        "pages": {name: s for name, s in stats.items() if name != "Aggregated"},
        "all_requests": stats.get("Aggregated", {}),
        "failures": failures,
        # the machine is shared: what else ran shows in its load average
        "load_average_1min": {"before": load_before[0], "after": load_after[0]},
        "cpu_seconds": {"server": round(server_cpu, 1), "locust": round(locust_cpu, 1)},
        "analytics": args.analytics,
        "analytics_rebuild_if_needed_seconds": store_seconds,
        "server_processes_peak_rss_mb": rss,
    }


def _workers_peak_rss_mb(master: int) -> dict[str, float]:
    """Peak resident memory (VmHWM) of gunicorn's master and each of its workers."""
    out: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            if pid != master and int(fields[1]) != master:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    name = "master" if pid == master else f"worker {pid}"
                    out[name] = round(int(line.split()[1]) / 1024, 1)
        except (OSError, ValueError, IndexError):
            continue
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _failures(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            {"page": row["Name"], "error": row["Error"], "occurrences": int(row["Occurrences"])}
            for row in csv.DictReader(fh)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1325)
    parser.add_argument(
        "--database-url",
        default="",
        help="a database already loaded by the benchmark (default: build one for the size)",
    )
    parser.add_argument(
        "--pg-url",
        default="",
        help="build the register in PostgreSQL (database musow_load_n<N>_seed<S> on this "
        "server) instead of SQLite",
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2.0,
        help="users starting per second (default 2: everyone is in after 10 s)",
    )
    parser.add_argument("--run-time", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--analytics",
        default="duckdb",
        choices=["duckdb", "register"],
        help="where figures are computed (default: the DuckDB analytics store)",
    )
    parser.add_argument("--wait", default="0.5,1.5", help="think time min,max in seconds")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="MUSOW_DB_CONN_MAX_AGE for the server: seconds a worker keeps its database "
        "connection (default 60; 0 opens one per request)",
    )
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if not 1 <= args.users <= 200 or not 1 <= args.run_time <= 1800:
        raise SystemExit("--users 1..200 and --run-time 1..1800 s: a bounded run")
    VAR.mkdir(parents=True, exist_ok=True)

    if args.database_url:
        url = args.database_url
    elif args.pg_url:
        url = _build_postgres(args.pg_url, args.activities, args.seed)
    else:
        url = _build_sqlite(args.activities, args.seed)
    result = drive(args, url)
    report = _report(args, url, result)
    name = f"load-{report['date']}-n{args.activities}-{report['database']}.json"
    out = HERE / "results" / name
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print()
    print(_table(report))
    print(f"\nresults: {out.relative_to(ROOT)}")


def _report(args: argparse.Namespace, url: str, result: dict[str, Any]) -> dict[str, Any]:
    browsing = {k: v for k, v in result["pages"].items() if k not in SIGN_IN}
    worst_p95 = max((v["p95_ms"] or 0 for v in browsing.values()), default=0)
    errors = sum(v["failures"] for v in result["pages"].values())
    return {
        "date": date.today().isoformat(),  # noqa: DTZ011 (the machine's own day)
        "database": _vendor(url),
        "activities": result["activities"],
        "command": " ".join(["python -m bench.load", *sys.argv[1:]]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "server": (
            f"gunicorn, {result['workers']} sync workers, DEBUG off, WhiteNoise, "
            f"database connections kept {args.conn_max_age} s"
        ),
        "load": {
            "tool": "locust (headless)",
            "users": result["users"],
            "spawn_rate_per_s": args.spawn_rate,
            "think_time_seconds": result["wait_seconds"],
            "run_seconds": result["run_seconds"],
            "max_requests": args.max_requests,
            "machine_load_average_1min": result["load_average_1min"],
            # CPU the server used over the run (with its start-up), out of 2 cores x run time
            "cpu_seconds": result["cpu_seconds"],
        },
        "pages": result["pages"],
        "all_requests": result["all_requests"],
        "failures": result["failures"],
        "analytics": result["analytics"],
        "analytics_rebuild_if_needed_seconds": result["analytics_rebuild_if_needed_seconds"],
        "server_processes_peak_rss_mb": result["server_processes_peak_rss_mb"],
        "targets": {
            "p95_ms_below": TARGET_P95_MS,
            "worst_page_p95_ms": worst_p95,
            "p95_pass": worst_p95 < TARGET_P95_MS,
            "errors": errors,
            "errors_pass": errors == 0,
            "rss_mb_below": TARGET_RSS_MB,
            "largest_process_rss_mb": max(
                result["server_processes_peak_rss_mb"].values(), default=None
            ),
            "rss_pass": all(
                v < TARGET_RSS_MB for v in result["server_processes_peak_rss_mb"].values()
            ),
        },
    }


def _table(report: dict[str, Any]) -> str:
    lines = [
        f"{report['activities']:,} activities, {report['database']}, {report['server']}; "
        f"{report['load']['users']} users for {report['load']['run_seconds']} s "
        f"(machine load average {report['load']['machine_load_average_1min']['before']:.1f} "
        f"before, {report['load']['machine_load_average_1min']['after']:.1f} after; CPU "
        f"seconds: server {report['load']['cpu_seconds']['server']}, "
        f"locust {report['load']['cpu_seconds']['locust']})",
        f"{'page':<22}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    rows = [*report["pages"].items(), ("all requests", report["all_requests"])]
    for name, s in rows:
        lines.append(
            f"{name:<22}{s.get('requests', 0):>10}{s.get('failures', 0):>8}"
            f"{_num(s.get('p50_ms')):>9}{_num(s.get('p95_ms')):>9}{_num(s.get('max_ms')):>9}"
        )
    t = report["targets"]
    verdict = "pass" if t["p95_pass"] else "FAIL"
    lines.append(
        f"target p95 < {t['p95_ms_below']} ms on every page: {verdict} "
        f"(worst {_num(t['worst_page_p95_ms'])} ms); errors: {t['errors']} "
        f"({'pass' if t['errors_pass'] else 'FAIL'})"
    )
    lines.append(
        f"figures from: {report['analytics']} (store brought in step in "
        f"{report['analytics_rebuild_if_needed_seconds']} s before the run); server processes' "
        f"peak RSS MB: {report['server_processes_peak_rss_mb']} — under {t['rss_mb_below']}: "
        f"{'pass' if t['rss_pass'] else 'FAIL'}"
    )
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    main()
