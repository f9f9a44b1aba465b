"""The SGBV programme at scale: providers × regions × years of monthly reports, then the
protected quarterly section of one year (build, suppression apart, audit).

    MUSOW_DATABASE_URL=sqlite:///var/bench/protection.sqlite3 \\
        .venv/bin/python -m bench.protection [--providers 50] [--regions 10] [--years 10]
    MUSOW_DATABASE_URL=postgres://postgres@127.0.0.1:5432/musow_bench_protection …

The database is emptied of provider reports first (its other tables are kept). The audit
is the audit test's adversary (tests/protection_attack.py) over what each release shows.
Sparse data, where suppression has work to do: --providers 3 --regions 10 --years 1."""

import argparse
import datetime
import os
import random
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--providers", type=int, default=50)
    parser.add_argument("--regions", type=int, default=10)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1325)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
    os.environ.setdefault("MUSOW_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from tests.protection_attack import disclosed

    from musow.activities.models import Organisation
    from musow.geo.models import Place
    from musow.indicators.periods import Period
    from musow.protection import disclosure
    from musow.protection.models import (
        TABLE_CODES,
        AgeBand,
        Agreement,
        DelayCount,
        IncidentCount,
        IncidentType,
        ProviderReport,
        ServiceCount,
    )
    from musow.protection.release import release_build, release_show
    from musow.reference import reference_load

    call_command("migrate", verbosity=0)
    reference_load()
    rng = random.Random(args.seed)
    regions = list(Place.objects.filter(level=1).order_by("pcode")[: args.regions])
    bands = list(AgeBand.objects.all())
    first = 2025 - args.years + 1
    started = time.perf_counter()
    with transaction.atomic():
        ProviderReport.objects.all().delete()
        providers = []
        for i in range(args.providers):
            org, _c = Organisation.objects.get_or_create(
                code=f"bench-provider-{i}", defaults={"name": f"Bench provider {i}", "kind": "ngo"}
            )
            agreement, _c = Agreement.objects.get_or_create(
                provider=org,
                defaults={
                    "tables": list(TABLE_CODES),
                    "valid_from": datetime.date(first, 1, 1),
                    "signed_on": datetime.date(first - 1, 12, 1),
                    "signed_by_role": "director",
                    "document_reference": f"BENCH-{i}",
                },
            )
            providers.append((org, agreement))
        n_reports = n_rows = 0
        for year in range(first, 2026):
            reports, counts = [], []
            for org, agreement in providers:
                for region in regions:
                    for month in range(1, 13):
                        stages = sorted((rng.randint(0, 4) for _ in range(5)), reverse=True)
                        reports.append(
                            ProviderReport(
                                provider=org,
                                agreement=agreement,
                                place=region,
                                region=region,
                                month=datetime.date(year, month, 1),
                                status="validated",
                                complaints=stages[0],
                                investigations=stages[1],
                                sent_to_court=stages[2],
                                judgments=stages[3],
                                convictions=stages[4],
                                legal_aid=rng.randint(0, 2),
                            )
                        )
            ProviderReport.objects.bulk_create(reports, batch_size=5000)
            for report in ProviderReport.objects.filter(month__year=year).only("pk"):
                total = 0
                for _ in range(rng.randint(0, 4)):
                    n = rng.randint(1, 6)
                    total += n
                    counts.append(
                        IncidentCount(
                            report_id=report.pk,
                            incident_type=rng.choice(IncidentType.values),
                            sex=rng.choice("ffffm"),
                            age_band=rng.choice(bands),
                            count=n,
                        )
                    )
                if total:
                    counts.append(DelayCount(report_id=report.pk, delay="0-72h", count=total))
                    counts.append(
                        ServiceCount(
                            report_id=report.pk, kind="service", sector="health", count=total
                        )
                    )
            IncidentCount.objects.bulk_create(
                [c for c in counts if isinstance(c, IncidentCount)],
                batch_size=5000,
                ignore_conflicts=True,
            )
            DelayCount.objects.bulk_create(
                [c for c in counts if isinstance(c, DelayCount)], batch_size=5000
            )
            ServiceCount.objects.bulk_create(
                [c for c in counts if isinstance(c, ServiceCount)], batch_size=5000
            )
            n_reports += len(reports)
            n_rows += len(counts)
    # incidents must equal the breakdown (the generator wrote counts after the reports)
    from django.db.models import OuterRef, Subquery, Sum
    from django.db.models.functions import Coalesce

    sums = (
        IncidentCount.objects.filter(report=OuterRef("pk"))
        .values("report")
        .annotate(s=Sum("count"))
        .values("s")
    )
    ProviderReport.objects.update(incidents=Coalesce(Subquery(sums), 0))
    load = time.perf_counter() - started
    print(f"{connection.vendor}: {n_reports} reports, {n_rows} count rows loaded in {load:.1f} s")

    year = Period.parse("2025")
    timings = []
    cpu = 0.0
    for period in [Period.parse(f"2025-Q{q}") for q in range(1, 5)] + [year]:
        c0, t0 = time.process_time(), time.perf_counter()
        release = release_build(period)
        t1 = time.perf_counter()
        status = disclosure.suppress(release)
        t2 = time.perf_counter()
        shown = release_show(release, whole=False, status=status)
        t3 = time.perf_counter()
        cpu += time.process_time() - c0
        # the audit test's own adversary (tests/protection_attack.py), not the module's
        failures = disclosed(release, shown, disclosure.threshold())
        t4 = time.perf_counter()
        primary = sum(1 for s in status.values() if s == disclosure.PRIMARY)
        secondary = len(status) - primary
        timings.append(
            (period.code, t1 - t0, t2 - t1, t3 - t2, t4 - t3, primary, secondary, len(failures))
        )
    print("period     build_s  suppress_s  show_s  audit_s  primary  secondary  disclosed")
    for row in timings:
        print("{:9}  {:7.2f}  {:10.2f}  {:6.2f}  {:7.2f}  {:7}  {:9}  {:9}".format(*row))
    section = sum(r[1] + r[2] + r[3] for r in timings)
    audit = sum(r[4] for r in timings)
    print(
        f"protected quarterly section of one year (4 quarters + the year): {section:.2f} s "
        f"(suppression {sum(r[2] for r in timings):.2f} s); CPU {cpu:.2f} s (load "
        f"{os.getloadavg()[0]:.1f}); the audit: {audit:.2f} s"
    )


if __name__ == "__main__":
    main()
