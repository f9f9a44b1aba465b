"""Benchmark the trainings' mean learning gain (issue 13): N trainees with pre/post tests
over ten years (2014–2023), mean gain by year × sex × component through the one engine,
against one hand-written SQL query with the same rule (each person once per course: their
latest session with both tests). Target: within 1.5x of the floor.

    python -m bench.trainings --trainees 200000                    # own SQLite database
    python -m bench.trainings --trainees 200000 \\
        --url postgres://postgres@127.0.0.1:5432/musow_bench_trainings

The database is made once (setup, then generated rows bulk-inserted: the register's
write path is not what is measured) and reused. Warm timings, median of --repeat runs;
the results must agree. Writes bench/results/trainings-<date>-n<N>-<vendor>.json.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VAR = ROOT / "var" / "bench"
TARGET = 1.5
PER_SESSION = 50
YEARS = (2014, 2023)


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _setup(url: str) -> None:
    os.environ["MUSOW_DATABASE_URL"] = url
    os.environ.setdefault(
        "MUSOW_SECRET_KEY", "musow-bench-only-secret-key-not-for-real-data-0123456789"
    )
    os.environ.setdefault(
        "MUSOW_ATTENDEE_KEY", "musow-bench-only-attendee-key-not-for-real-data-0123"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
    os.environ["MUSOW_ANALYTICS"] = "register"  # programme rules run on the register
    import django

    django.setup()


def _generate(n: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from musow.activities.models import Activity, ActivityType, Attendance, Attendee
    from musow.geo.models import Place
    from musow.trainings.models import Course, TestResult, Trainee, TrainingSession

    call_command("setup", verbosity=0)
    if Trainee.objects.filter(session__activity__source="bench-trainings").exists():
        return
    rng = random.Random(seed)
    kind = ActivityType.objects.get(code="training")
    regions = list(Place.objects.filter(level=Place.Level.REGION))
    courses = [
        Course.objects.get_or_create(
            code=f"bench-{i}", defaults={"title_fr": f"Cours {i}", "title_en": f"Course {i}"}
        )[0]
        for i in range(3)
    ]
    components = ["civilian", "military", "police", "fds", "other"]
    people = max(1, int(n * 0.9))  # one in ten trainees is a person trained again
    with transaction.atomic():
        Attendee.objects.bulk_create(
            (Attendee(key=f"bench-{i:08d}", sex=rng.choice("fmmu")) for i in range(people)),
            batch_size=5000,
        )
        attendees = list(
            Attendee.objects.filter(key__startswith="bench-").values_list("id", flat=True)
        )
        start, days = date(YEARS[0], 1, 1), (date(YEARS[1], 12, 31) - date(YEARS[0], 1, 1)).days
        sessions = n // PER_SESSION
        activities = [
            Activity(
                activity_type=kind,
                title=f"Bench training {i}",
                start_date=(d := start + timedelta(days=rng.randrange(days))),
                end_date=d,
                place=rng.choice(regions),
                status=Activity.Status.VALIDATED,
                source="bench-trainings",
                source_key=str(i),
            )
            for i in range(sessions)
        ]
        Activity.objects.bulk_create(activities, batch_size=2000)
        ids = list(Activity.objects.filter(source="bench-trainings").values_list("id", flat=True))
        TrainingSession.objects.bulk_create(
            (TrainingSession(activity_id=a, course=rng.choice(courses)) for a in ids),
            batch_size=2000,
        )
        session_ids = list(
            TrainingSession.objects.filter(activity__source="bench-trainings").values_list(
                "id", "activity_id"
            )
        )
        next_person = 0
        for sid, aid in session_ids:
            chosen = set()
            for _ in range(PER_SESSION):
                if next_person < people and rng.random() > 0.1:
                    chosen.add(attendees[next_person])
                    next_person += 1
                else:
                    chosen.add(rng.choice(attendees))
            Attendance.objects.bulk_create(
                [Attendance(activity_id=aid, attendee_id=p) for p in chosen]
            )
            Trainee.objects.bulk_create(
                [
                    Trainee(
                        session_id=sid,
                        attendee_id=p,
                        component=rng.choice(components),
                        completed=True,
                    )
                    for p in chosen
                ]
            )
        tests = []
        for tid in (
            Trainee.objects.filter(session__activity__source="bench-trainings")
            .values_list("id", flat=True)
            .iterator()
        ):
            pre = rng.randrange(20, 70)
            if rng.random() < 0.9:
                tests.append(TestResult(trainee_id=tid, kind="pre", score=pre))
            if rng.random() < 0.9:
                tests.append(
                    TestResult(
                        trainee_id=tid, kind="post", score=min(100, pre + rng.randrange(0, 40))
                    )
                )
            if len(tests) >= 20000:
                TestResult.objects.bulk_create(tests)
                tests = []
        TestResult.objects.bulk_create(tests)


FLOOR = """
WITH tested AS (
  SELECT t.id, t.attendee_id, t.component, a.start_date,
         post.score - pre.score AS gain,
         ROW_NUMBER() OVER (PARTITION BY t.attendee_id, s.course_id
                            ORDER BY a.start_date DESC, t.id DESC) AS rank
  FROM trainings_trainee t
  JOIN trainings_trainingsession s ON s.id = t.session_id
  JOIN activities_activity a ON a.id = s.activity_id
  JOIN trainings_testresult pre ON pre.trainee_id = t.id AND pre.kind = 'pre'
  JOIN trainings_testresult post ON post.trainee_id = t.id AND post.kind = 'post'
  WHERE a.status = 'validated' AND a.start_date BETWEEN %s AND %s
)
SELECT {year} AS y, at.sex, x.component, AVG(x.gain)
FROM tested x JOIN activities_attendee at ON at.id = x.attendee_id
WHERE x.rank = 1
GROUP BY 1, 2, 3
"""


def _floor() -> dict[tuple[str, str, str], float]:
    from django.db import connection

    year = (
        "strftime('%%Y', x.start_date)"
        if connection.vendor == "sqlite"
        else "CAST(EXTRACT(YEAR FROM x.start_date) AS INTEGER)"
    )
    bounds = [date(YEARS[0], 1, 1), date(YEARS[1], 12, 31)]
    with connection.cursor() as cursor:
        cursor.execute(FLOOR.format(year=year), bounds)
        return {(str(int(y)), s, c): float(v) for y, s, c, v in cursor.fetchall()}


def _engine() -> dict[tuple[str, str, str], float]:
    from musow.indicators.engine import compute

    result = compute(
        "training-mean-gain", f"{YEARS[0]}-01-01..{YEARS[1]}-12-31", by=["year", "sex", "component"]
    )
    return {
        (r.key["year"].code, r.key["sex"].code, r.key["component"].code): float(r.value)
        for r in result.rows
    }


def _median(fn: Any, repeat: int) -> tuple[float, Any]:
    fn()  # warm
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainees", type=int, default=200_000)
    parser.add_argument("--url")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    VAR.mkdir(parents=True, exist_ok=True)
    url = args.url or f"sqlite:///{VAR / f'trainings-n{args.trainees}-seed{args.seed}.sqlite3'}"
    _setup(url)
    from django.db import connection

    t0 = time.perf_counter()
    _generate(args.trainees, args.seed)
    if connection.vendor == "postgresql":  # what autovacuum does after a load (as bench.worker)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _log(f"data ready in {time.perf_counter() - t0:.1f} s ({connection.vendor})")
    floor_s, floor = _median(_floor, args.repeat)
    engine_s, engine = _median(_engine, args.repeat)
    agree = set(floor) == set(engine) and all(abs(floor[k] - engine[k]) < 1e-6 for k in floor)
    result = {
        "benchmark": "trainings mean gain by year x sex x component",
        "date": date.today().isoformat(),  # noqa: DTZ011 (the machine's own day)
        "database": connection.vendor,
        "trainees": args.trainees,
        "cells": len(engine),
        "floor_seconds": round(floor_s, 4),
        "engine_seconds": round(engine_s, 4),
        "ratio": round(engine_s / floor_s, 3) if floor_s else None,
        "target_ratio": TARGET,
        "results_agree": agree,
    }
    print(json.dumps(result, indent=2))
    out = HERE / "results" / f"trainings-{result['date']}-n{args.trainees}-{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
