"""The report's "Formations / Trainings" table (issue 13): trainees, mean pre- and
post-test scores, gain and pass rate by sex and component, all from the one engine (the
trainings' indicators). None when the period has no trainee."""

from typing import Any

from django.utils.translation import gettext as _

from musow.indicators.engine import Scope, compute
from musow.indicators.periods import Period
from musow.reports.types import Column, Table, TableRow

CODES = (
    "training-trainees",
    "training-mean-pre",
    "training-mean-post",
    "training-mean-gain",
    "training-pass-rate",
)


def _round(value: Any) -> Any:
    return None if value is None else round(float(value), 1)


def trainings_table(period: Period, scope: Scope) -> Table | None:
    by = ("sex", "component")
    results = {code: compute(code, period, scope, by) for code in CODES}
    if not results["training-trainees"].total:
        return None
    table = Table(
        "trainings",
        _("Trainings: learning by sex and component"),
        [
            Column("code", _("code"), "#group+code", "code"),
            Column("sex", _("sex"), "#group+sex"),
            Column("component", _("component"), "#group+component"),
            Column("trainees", _("trainees"), "#reached+trainees+num", "number"),
            Column("pre", _("mean pre-test score"), "#indicator+pre+mean", "number"),
            Column("post", _("mean post-test score"), "#indicator+post+mean", "number"),
            Column("gain", _("mean gain (points)"), "#indicator+gain+mean", "number"),
            Column("pass", _("reaching the pass mark"), "#indicator+pass+pct", "percent"),
        ],
        note=_(
            "Each person counts once per course; means are over the trainees tested (a "
            "missing test is no data, not zero)."
        ),
    )
    values: dict[tuple[str, str], dict[str, Any]] = {}
    labels: dict[tuple[str, str], tuple[str, str]] = {}
    for code, result in results.items():
        for row in result.rows:
            key = (row.key["sex"].code, row.key["component"].code)
            labels[key] = (row.key["sex"].label, row.key["component"].label)
            values.setdefault(key, {})[code] = row.value
    for key in sorted(values):
        cells = [values[key].get(code) for code in CODES]
        table.rows.append(
            TableRow(
                "-".join(key),
                ["-".join(key), *labels[key], cells[0], *map(_round, cells[1:4]), cells[4]],
            )
        )
    totals = [results[code].total for code in CODES]
    table.total = TableRow(
        "total",
        ["total", _("Total"), "", totals[0], *map(_round, totals[1:4]), totals[4]],
    )
    return table
