"""Women at the table at scale: N bodies with M compositions each over 2015–2024, and the
share of women by year × kind of body × role for ten years (year-end stocks), through the
engine and through hand-written SQL (the floor), on the database MUSOW_DATABASE_URL names.

    MUSOW_DATABASE_URL=sqlite:///var/bench/table.sqlite3 .venv/bin/python -m bench.table \\
        --bodies 1000 --compositions 20
    MUSOW_DATABASE_URL=postgres://postgres@127.0.0.1:5432/musow_bench_table \\
        .venv/bin/python -m bench.table --bodies 1000 --compositions 20

The database is emptied of bodies first (SQLite: the file is made anew; PostgreSQL: the
database must be called musow_bench_table, and is dropped and made anew). Prints JSON.
"""

import argparse
import json
import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
PERIOD = "2015-01-01..2024-12-31"
KINDS = ["delegation", "follow-up-committee", "government", "regional-council", "other"]
ROLES = ["member", "president", "negotiator", "observer", "adviser"]


def _fresh(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path.lstrip("/"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    if parts.path.lstrip("/") != "musow_bench_table":
        raise SystemExit("the PostgreSQL database must be musow_bench_table")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS musow_bench_table WITH (FORCE)")
        c.execute("CREATE DATABASE musow_bench_table")


def _generate(bodies: int, per_body: int, seed: int) -> dict[str, int]:
    from musow.representation.models import Body, Composition, Role, Seat

    rng = random.Random(seed)
    roles = list(Role.objects.filter(code__in=ROLES))
    Body.objects.bulk_create(
        Body(
            code=f"b{i}",
            name_fr=f"Instance {i}",
            name_en=f"Body {i}",
            kind=KINDS[i % len(KINDS)],
            level="national",
        )
        for i in range(bodies)
    )
    ids = list(Body.objects.values_list("id", flat=True))
    start = date(2015, 1, 1)
    compositions = [
        Composition(
            body_id=body,
            as_of=start + timedelta(days=rng.randrange(3650)),
            source_document="bench",
            status="validated" if rng.random() < 0.9 else "draft",
        )
        for body in ids
        for _ in range(per_body)
    ]
    Composition.objects.bulk_create(compositions, batch_size=5000)
    seats = 0
    batch: list[Seat] = []
    for c in list(Composition.objects.values_list("id", flat=True)):
        for role in rng.sample(roles, 2):
            batch += [
                Seat(composition_id=c, role=role, sex=sex, count=rng.randrange(0, 20))
                for sex in ("f", "m")
            ]
        if len(batch) >= 40000:
            Seat.objects.bulk_create(batch, batch_size=10000)
            seats, batch = seats + len(batch), []
    Seat.objects.bulk_create(batch, batch_size=10000)
    seats += len(batch)
    return {"bodies": bodies, "compositions": len(compositions), "seats": seats}


FLOOR = """
SELECT b.kind, r.code, SUM(CASE WHEN s.sex = 'f' THEN s.count ELSE 0 END), SUM(s.count)
FROM representation_body b
JOIN representation_seat s ON s.composition_id = (
    SELECT c.id FROM representation_composition c
    WHERE c.body_id = b.id AND c.status = 'validated' AND c.as_of <= %s
    ORDER BY c.as_of DESC, c.id DESC LIMIT 1)
JOIN representation_role r ON r.id = s.role_id
WHERE (b.valid_from IS NULL OR b.valid_from <= %s) AND (b.valid_to IS NULL OR b.valid_to >= %s)
GROUP BY b.kind, r.code
"""


def _floor() -> dict[tuple[str, str, str], float]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for year in range(2015, 2025):
            end, first = date(year, 12, 31), date(year, 1, 1)
            cursor.execute(FLOOR, [end, end, first])
            for kind, role, women, total in cursor.fetchall():
                out[(str(year), kind, role)] = women / total if total else None
    return out


def _engine() -> dict[tuple[str, str, str], float]:
    from musow.indicators.engine import compute

    result = compute("share-women-seats", PERIOD, by=["year", "body_kind", "role"])
    return {
        (r.key["year"].code, r.key["body_kind"].code, r.key["role"].code): r.value
        for r in result.rows
    }


def _median(fn: Any, repeat: int) -> tuple[float, Any]:
    fn()  # warm
    times, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--compositions", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1325)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="time the database loaded before (no reload)"
    )
    args = parser.parse_args()
    url = os.environ["MUSOW_DATABASE_URL"]
    if not args.reuse:
        _fresh(url)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from musow.reference import reference_load
    from musow.representation.models import Body, Composition, Seat

    load = None
    if args.reuse:
        sizes = {
            "bodies": Body.objects.count(),
            "compositions": Composition.objects.count(),
            "seats": Seat.objects.count(),
        }
    else:
        call_command("migrate", verbosity=0)
        reference_load()
        t = time.perf_counter()
        sizes = _generate(args.bodies, args.compositions, args.seed)
        load = time.perf_counter() - t
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    engine_s, engine = _median(_engine, args.repeat)
    floor_s, floor = _median(_floor, args.repeat)
    same = engine.keys() == floor.keys() and all(
        abs((engine[k] or 0) - (floor[k] or 0)) < 1e-9 for k in floor
    )
    print(
        json.dumps(
            {
                "database": connection.vendor,
                **sizes,
                "load_s": None if load is None else round(load, 2),
                "engine_s": round(engine_s, 3),
                "floor_s": round(floor_s, 3),
                "ratio": round(engine_s / floor_s, 2) if floor_s else None,
                "rows": len(floor),
                "same_figures": same,
            }
        )
    )


if __name__ == "__main__":
    main()
