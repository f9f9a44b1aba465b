"""API load benchmark: musow served by gunicorn on 127.0.0.1 over the benchmark register,
called by 20 concurrent API clients with personal tokens, driven by locust (headless,
bounded in time and requests, loopback only).

    python -m bench.api_load --activities 20000
    python -m bench.api_load --activities 20000 --pg-url postgres://postgres@127.0.0.1:5432/test
    python -m bench.api_load --activities 1000000 --database-url …   (a database already loaded)

The register is bench/load.py's (bench/generate.py, reused when already built). The
clients (bench/api_locustfile.py) are 8 gender officers, 8 regional focal points and 4
partner organisations, a token each; they page through the activity list (no filter,
then the web list's filters, following `next` cursors) and ask the figures endpoint for
headline indicators by period, breakdown and region. Think time 0.5-1.5 s.

Reports p50 / p95 / max and errors per endpoint, and writes
bench/results/api-load-<date>-n<N>-<database>.json. Target: p95 < 300 ms, no error.
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

from bench.load import (
    ROOT,
    VAR,
    _build_postgres,
    _build_sqlite,
    _children_cpu,
    _failures,
    _free_port,
    _log,
    _musow,
    _stats,
    _vendor,
    _wait_for,
)

HERE = Path(__file__).resolve().parent
TARGET_P95_MS = 300


def prepare() -> dict[str, Any]:
    """bench/load.py's accounts, each with a fresh API token (run inside Django)."""
    from bench.load import prepare as accounts
    from musow.accounts.models import User
    from musow.api.models import Token
    from musow.api.services import token_create

    prepared = accounts()
    Token.objects.filter(name="bench").delete()
    clients = []
    for username, role, region in prepared["accounts"]:
        _token, secret = token_create(user=User.objects.get(username=username), name="bench")
        clients.append([username, role, region, secret])
    return {"clients": clients, "activities": prepared["activities"]}


def _prepare(env: dict[str, str]) -> dict[str, Any]:
    out = VAR / "api-load" / "prepare.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    code = f"""
import json, django
django.setup()
from bench.api_load import prepare
open({str(out)!r}, "w").write(json.dumps(prepare()))
"""
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def drive(args: argparse.Namespace, url: str) -> dict[str, Any]:
    out_dir = VAR / "api-load"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("MUSOW_EXPECT_DB", None)
    env.update(
        MUSOW_DATABASE_URL=url,
        MUSOW_VAR_DIR=str(out_dir),
        MUSOW_DEBUG="0",
        MUSOW_SECURE_COOKIES="0",
        MUSOW_ALLOWED_HOSTS="127.0.0.1",
        MUSOW_DB_CONN_MAX_AGE=str(args.conn_max_age),
        MUSOW_API_RATE="100000/minute",  # the clients are many on one address, not abusive
        DJANGO_SETTINGS_MODULE="musow.settings",
    )
    _log("migrate (nothing to do unless the code has new migrations)")
    _musow(env, "migrate", "--verbosity", "0")
    prepared = _prepare(env)
    _log(f"{prepared['activities']:,} activities; {len(prepared['clients'])} API clients")
    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = out_dir / "server.log"
    with server_log.open("w") as log:
        server = subprocess.Popen(
            [*[sys.executable, "-m", "musow.cli", "serve"], "--addr", f"127.0.0.1:{port}"]
            + ["--workers", str(args.workers)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(base + "/api/v1/schema", server, server_log)
            _log(f"served at {base}; {args.users} clients for {args.run_time} s")
            prefix = out_dir / "locust"
            locust_env = dict(
                env,
                LOAD_CLIENTS=json.dumps(prepared["clients"]),
                LOAD_MAX_REQUESTS=str(args.max_requests),
                LOAD_WAIT=args.wait,
                LOAD_SEED=str(args.seed),
            )
            started = time.monotonic()
            load_before = os.getloadavg()
            cpu_before = _children_cpu()
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(HERE / "api_locustfile.py")]
                + ["--headless", "--host", base, "--users", str(args.users)]
                + ["--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.run_time}s"]
                + ["--stop-timeout", "10", "--csv", str(prefix), "--only-summary"]
                + ["--loglevel", "WARNING"],
                env=locust_env,
                cwd=ROOT,
                check=False,
            )
            seconds = time.monotonic() - started
            load_after = os.getloadavg()
            locust_cpu = _children_cpu() - cpu_before
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    server_cpu = _children_cpu() - cpu_before - locust_cpu
    stats = _stats(Path(f"{prefix}_stats.csv"))
    return {
        "users": args.users,
        "workers": args.workers,
        "run_seconds": round(seconds, 1),
        "activities": prepared["activities"],
        "endpoints": {name: s for name, s in stats.items() if name != "Aggregated"},
        "all_requests": stats.get("Aggregated", {}),
        "failures": _failures(Path(f"{prefix}_failures.csv")),
        "load_average_1min": {"before": load_before[0], "after": load_after[0]},
        "cpu_seconds": {"server": round(server_cpu, 1), "locust": round(locust_cpu, 1)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.api_load", description=__doc__)
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1325)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--pg-url", default="")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=2.0)
    parser.add_argument("--run-time", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--wait", default="0.5,1.5")
    parser.add_argument("--conn-max-age", type=int, default=60)
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
    worst = max((v["p95_ms"] or 0 for v in result["endpoints"].values()), default=0)
    errors = sum(v["failures"] for v in result["endpoints"].values())
    report = {
        "date": date.today().isoformat(),  # noqa: DTZ011 (the machine's own day)
        "database": _vendor(url),
        "command": " ".join(["python -m bench.api_load", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "server": f"gunicorn, {args.workers} sync workers, DEBUG off",
        **result,
        "targets": {
            "p95_ms_below": TARGET_P95_MS,
            "worst_endpoint_p95_ms": worst,
            "p95_pass": worst < TARGET_P95_MS,
            "errors": errors,
            "errors_pass": errors == 0,
        },
    }
    name = f"api-load-{report['date']}-n{args.activities}-{report['database']}.json"
    out = HERE / "results" / name
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{report['activities']:,} activities, {report['database']}, {report['server']}")
    print(f"{'endpoint':<26}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    rows = [*result["endpoints"].items(), ("all requests", result["all_requests"])]
    for endpoint, s in rows:
        print(
            f"{endpoint:<26}{s.get('requests', 0):>9}{s.get('failures', 0):>8}"
            f"{s.get('p50_ms') or 0:>9}{s.get('p95_ms') or 0:>9}{s.get('max_ms') or 0:>9}"
        )
    print(f"results: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
