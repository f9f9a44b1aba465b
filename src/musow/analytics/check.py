"""`musow analytics check`: the store compared with the register, row for row.

The register is copied as for a rebuild, into scratch tables beside the store's (DuckDB:
an in-memory database with the store attached read-only; ClickHouse: `…__check` tables),
and each fact table is compared with its copy, counting duplicates: the activities whose
rows differ are listed. `repair` puts them in the outbox, so the next sync copies them
again.
"""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from musow.analytics import extract, sync
from musow.analytics.models import Change
from musow.analytics.schema import KINDS, fact_columns, fact_table
from musow.analytics.stores import StoreMissing

SHOWN = 20


@dataclass
class Difference:
    kind: str
    register_rows: int
    store_rows: int
    activities: list[int] = field(default_factory=list)  # all the differing ones


@dataclass
class CheckReport:
    store: str
    in_step: bool
    identity: bool  # built from this register, this schema
    pending: int  # changes not copied yet (they are not counted as differences)
    tables: list[Difference] = field(default_factory=list)

    @property
    def differing(self) -> list[int]:
        return sorted({a for t in self.tables for a in t.activities})


def check(*, timeout: float = 600.0) -> CheckReport:
    store = sync.current_store()
    if store is None:
        raise StoreMissing("MUSOW_ANALYTICS=register: there is no store to check")
    try:
        sync.sync(timeout=timeout)
    except sync.StoreStale:
        pass
    identity = sync.in_step(store, timeout)
    report = CheckReport(store.describe(), False, identity, Change.objects.count())
    with tempfile.TemporaryDirectory(prefix="musow-analytics-check-") as tmp:
        files = extract.write(Path(tmp))
        with store.comparing(timeout) as (session, scratch, current):
            stages = {kind: scratch(f"stage_{kind}") for kind in KINDS}
            sync.fill(session, files, stage=stages.__getitem__, table=scratch, store=store)
            for kind in KINDS:
                columns = ", ".join(name for name, _type in fact_columns(kind))
                ours, theirs = scratch(fact_table(kind)), current(fact_table(kind))
                grouped = f"SELECT {columns}, COUNT(*) AS copies FROM {{}} GROUP BY {columns}"
                differing: set[int] = set()
                for left, right in ((ours, theirs), (theirs, ours)):
                    rows = session.rows(
                        f"SELECT DISTINCT activity_id FROM ({grouped.format(left)} EXCEPT "
                        f"{grouped.format(right)}) AS d{store.join_settings}"
                    )
                    differing.update(int(row[0]) for row in rows)
                stored = session.rows(f"SELECT COUNT(*) FROM {theirs}{store.join_settings}")
                report.tables.append(
                    Difference(
                        kind,
                        files[kind][1],
                        int(stored[0][0]),
                        sorted(differing),
                    )
                )
    report.in_step = identity and not report.differing
    return report


def repair(report: CheckReport) -> int:
    """Put the differing activities in the outbox and copy them again."""
    ids = report.differing
    existing = set(
        Change.objects.filter(claimed=False, activity_id__in=ids).values_list(
            "activity_id", flat=True
        )
    )
    Change.objects.bulk_create([Change(activity_id=i) for i in ids if i not in existing])
    sync.sync()
    return len(ids)
