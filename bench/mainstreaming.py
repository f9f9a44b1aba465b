"""Gender mainstreaming figures at scale: reviews and recommendations over ten years,
through the one engine against one hand-written SQL query each.

    MUSOW_DEBUG=1 MUSOW_DATABASE_URL=sqlite:///var/bench/mainstreaming.sqlite3 \\
        .venv/bin/python -m bench.mainstreaming --reviews 100000
    MUSOW_DEBUG=1 MUSOW_DATABASE_URL=postgres://postgres@127.0.0.1:5432/musow_bench_gem \\
        .venv/bin/python -m bench.mainstreaming --reviews 100000

The database named must be a scratch one: it is migrated, and its reviews are replaced
by N generated ones (seeded) with 0–3 recommendations each. Then, warm, the median of
`--repeat` runs of: documents reviewed by year × document kind × marker over
2015–2024, and recommendations overdue at the end of 2024 by section — by
`engine.compute` and by the floor's SQL; their rows must be equal (asserted). The
figures go to bench/results/mainstreaming-<date>-n<N>-<vendor>.json.
"""

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import django

RESULTS = Path(__file__).resolve().parent / "results"
PERIOD = "2015-01-01..2024-12-31"


def _setup(reviews: int, seed: int) -> None:
    from django.core.management import call_command

    from musow.accounts.models import User
    from musow.geo.models import Place
    from musow.mainstreaming.models import (
        DocumentKind,
        Recommendation,
        Review,
        Section,
    )
    from musow.reference import reference_load

    call_command("migrate", verbosity=0)
    reference_load()
    if Review.objects.count() == reviews:
        return
    Recommendation.objects.all().delete()
    Review.objects.all().delete()
    user, _created = User.objects.get_or_create(
        username="bench-reviewer", defaults={"role": User.Role.OFFICER}
    )
    rng = random.Random(seed)
    kinds = list(DocumentKind.objects.all())
    sections = list(Section.objects.all())
    regions = [None, *Place.objects.filter(level=1).values_list("pk", flat=True)]
    codes = ["0", "1", "2", "2a", "2b", "3"]
    start = date(2015, 1, 1)
    batch: list[Review] = []

    def flush() -> None:
        made = Review.objects.bulk_create(batch)
        recs = []
        for review in made:
            for _i in range(rng.randint(0, 3)):
                made_on = review.reviewed_on + timedelta(days=rng.randint(0, 30))
                status = rng.choice(["open", "accepted", "implemented", "not_accepted"])
                fields: dict[str, Any] = {}
                if status in ("accepted", "implemented"):
                    fields["accepted_on"] = made_on + timedelta(days=rng.randint(0, 60))
                if status == "implemented":
                    fields["implemented_on"] = fields["accepted_on"] + timedelta(
                        days=rng.randint(0, 200)
                    )
                if status == "not_accepted":
                    fields["not_accepted_on"] = made_on + timedelta(days=rng.randint(0, 60))
                recs.append(
                    Recommendation(
                        review=review,
                        text="R",
                        section=rng.choice(sections),
                        made_on=made_on,
                        due_date=made_on + timedelta(days=rng.randint(0, 300)),
                        status=status,
                        **fields,
                    )
                )
        Recommendation.objects.bulk_create(recs, batch_size=5000)
        batch.clear()

    for _n in range(reviews):
        code = rng.choice(codes)
        batch.append(
            Review(
                kind=rng.choice(kinds),
                title="Bench review",
                section=rng.choice(sections),
                reviewer=user,
                reviewed_on=start + timedelta(days=rng.randint(0, 3651)),
                region_id=rng.choice(regions),
                marker=int(code[0]),
                marker_code=code,
                justification="J",
            )
        )
        if len(batch) == 5000:
            flush()
    if batch:
        flush()


def _floor_reviews() -> dict[tuple[str, str, str], int]:
    from django.db import connection

    year = (
        "to_char(r.reviewed_on, 'YYYY')"
        if connection.vendor == "postgresql"
        else "substr(r.reviewed_on, 1, 4)"
    )
    sql = f"""
        SELECT {year}, k.code, r.marker, COUNT(*)
        FROM mainstreaming_review r JOIN mainstreaming_documentkind k ON k.id = r.kind_id
        WHERE r.reviewed_on BETWEEN '2015-01-01' AND '2024-12-31'
        GROUP BY 1, 2, 3"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {(str(y), k, str(m)): n for y, k, m, n in cursor.fetchall()}


def _floor_overdue() -> dict[str, int]:
    from django.db import connection

    end = "'2024-12-31'"
    sql = f"""
        SELECT s.code, COUNT(*)
        FROM mainstreaming_recommendation c JOIN mainstreaming_section s ON s.id = c.section_id
        WHERE c.made_on <= {end} AND c.due_date < {end}
          AND (c.implemented_on IS NULL OR c.implemented_on > {end})
          AND (c.not_accepted_on IS NULL OR c.not_accepted_on > {end})
        GROUP BY s.code"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _engine_reviews() -> dict[tuple[str, str, str], int]:
    from musow.indicators.engine import compute

    result = compute("gem-documents-reviewed", PERIOD, by=["year", "document_kind", "marker"])
    return {
        (r.key["year"].code, r.key["document_kind"].code, r.key["marker"].code): int(r.value or 0)
        for r in result.rows
    }


def _engine_overdue() -> dict[str, int]:
    from musow.indicators.engine import compute

    result = compute("gem-recommendations-overdue", "2024", by=["section"])
    return {r.key["section"].code: int(r.value or 0) for r in result.rows}


def _median(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    value = run()  # warm-up
    times = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1325)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from musow.mainstreaming.models import Recommendation

    t0 = time.perf_counter()
    _setup(args.reviews, args.seed)
    load = time.perf_counter() - t0
    figures: dict[str, Any] = {}
    for name, engine, floor in (
        ("reviews by year x kind x marker, 2015-2024", _engine_reviews, _floor_reviews),
        ("recommendations overdue at the end of 2024 by section", _engine_overdue, _floor_overdue),
    ):
        engine_s, engine_rows = _median(engine, args.repeat)
        floor_s, floor_rows = _median(floor, args.repeat)
        assert engine_rows == floor_rows, name
        figures[name] = {
            "engine_s": round(engine_s, 4),
            "floor_s": round(floor_s, 4),
            "ratio": round(engine_s / floor_s, 2) if floor_s else None,
            "rows": len(engine_rows),
        }
        print(f"{name}: engine {engine_s:.3f} s, floor {floor_s:.3f} s, ×{engine_s / floor_s:.2f}")
    out = {
        "vendor": connection.vendor,
        "reviews": args.reviews,
        "recommendations": Recommendation.objects.count(),
        "seed": args.seed,
        "setup_s": round(load, 1),
        "figures": figures,
    }
    RESULTS.mkdir(exist_ok=True)
    today = timezone.localdate()
    path = RESULTS / f"mainstreaming-{today}-n{args.reviews}-{connection.vendor}.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
