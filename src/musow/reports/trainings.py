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


TESTS = (("pre", "training-pre-tested"), ("post", "training-post-tested"))


def scores_table(period: Period, scope: Scope) -> "Table | None":
    """The distribution of pre- and post-test scores by sex: trainees by score band (each
    person once per course), one row per sex and test. None without any test score."""
    from musow.reports.builder import Column, Table, TableRow
    from musow.trainings.rules import BANDS

    by = ("sex", "score_band")
    results = {test: compute(code, period, scope, by) for test, code in TESTS}
    if not any(r.total for r in results.values()):
        return None
    bands = [(code, label) for _limit, code, label in BANDS]
    test_labels = {"pre": _("pre-test"), "post": _("post-test")}
    table = Table(
        "trainings_scores",
        _("Trainings: pre- and post-test scores by sex (trainees by score band)"),
        [
            Column("code", _("code"), "#group+code", "code"),
            Column("sex", _("sex"), "#group+sex"),
            Column("test", _("test"), "#indicator+test"),
            *[
                Column(
                    f"band_{code}",
                    label,
                    f"#reached+trainees+score_{code.replace('-', '_')}",
                    "number",
                )
                for code, label in bands
            ],
            Column("tested", _("trainees tested"), "#reached+trainees+tested", "number"),
        ],
        note=_(
            "Scores 0–100, in bands; each person counts once per course and test (a "
            "missing test is no data). Drawn in the chart above."
        ),
    )
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    sexes: dict[str, str] = {}
    for test, result in results.items():
        for row in result.rows:
            member = row.key["sex"]
            sexes[member.code] = member.label
            counts.setdefault((member.code, test), {})[row.key["score_band"].code] = row.value
    by_sex = compute("training-trainees", period, scope, ("sex",))
    order = [r.key["sex"].code for r in by_sex.rows]
    for sex in sorted(sexes, key=lambda s: order.index(s) if s in order else len(order)):
        for test, _code in TESTS:
            cells = counts.get((sex, test), {})
            values = [cells.get(code, 0) for code, _label in bands]
            table.rows.append(
                TableRow(
                    f"{sex}-{test}",
                    [f"{sex}-{test}", sexes[sex], test_labels[test], *values, sum(values)],
                )
            )
    return table


def trainings_tables(period: Period, scope: Scope) -> "list[Table | None]":
    """The report's "Formations / Trainings" tables (the builder's hook)."""
    return [trainings_table(period, scope), scores_table(period, scope)]


def trainings_charts(report: Any) -> dict[str, str]:
    """The pre/post distribution chart by sex, drawn from the scores table (the same
    numbers), with the charts' own drawing (stacked bars: one bar per sex and test,
    one segment per score band)."""
    from musow.lib import charts

    table = report.table("trainings_scores")
    if table is None:
        return {}
    bands = [c.label for c in table.columns[3:-1]]
    rows = [(f"{r.cells[1]} · {r.cells[2]}", r.cells[3:-1]) for r in table.rows]
    svg = charts.stacked_bar_chart_svg(
        rows,
        series=bands,
        title=_("Pre- and post-test scores by sex (trainees by score band, 0–100)"),
        lang=report.lang,
        width=500,
    )
    return {"trainings_scores": svg}
