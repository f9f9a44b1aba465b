"""The periodic report's "Intégration du genre / Gender mainstreaming" section: tables of
the reviews by Gender Equality Marker code and document kind, the recommendations and
their follow-up at the period's end, and the project budget by marker code — every
figure from the one engine (mainstreaming indicators), in the report's period and scope.
The report builder asks for them (`tables`); no table when the period has no review,
no recommendation and no coded budget."""

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from musow.indicators.engine import Result
from musow.lib.i18n import percent
from musow.mainstreaming.models import Marker
from musow.reports.types import Column, Table, TableRow

Compute = Callable[..., Result]
MARKERS = [str(m.value) for m in Marker]


def _share(part: Any, whole: Any) -> float | None:
    return float(part) / float(whole) if whole else None


def tables(compute: Compute) -> list[Table]:
    """The section's tables, computed with the report's `compute(code, by)`."""
    reviews = compute("gem-documents-reviewed", ("document_kind", "marker"))
    made = compute("gem-recommendations-made")
    budget = compute("gem-project-budget", ("marker",))
    if not (reviews.total or made.total or budget.total):
        return []
    return [
        _by_marker(reviews),
        _by_kind(reviews, compute),
        _recommendations(made, compute),
        _budget(budget, compute),
    ]


def _marker_label(code: str) -> str:
    return str(Marker(int(code)).label)


def _by_marker(reviews: Result) -> Table:
    counts: dict[str, Any] = dict.fromkeys(MARKERS, 0)
    for row in reviews.rows:
        counts[row.key["marker"].code] = counts.get(row.key["marker"].code, 0) + (row.value or 0)
    table = Table(
        "gem_reviews_by_marker",
        _("Documents reviewed by Gender Equality Marker code"),
        [
            Column("code", _("code"), "#indicator+marker+code", "code"),
            Column("marker", _("Gender Equality Marker"), "#indicator+marker+name"),
            Column("reviews", _("documents reviewed"), "#indicator+reviews+num", "number"),
            Column("share", _("share of the documents"), "#indicator+reviews+pct", "percent"),
        ],
    )
    total = reviews.total or 0
    for code in MARKERS:
        table.rows.append(
            TableRow(code, [code, _marker_label(code), counts[code], _share(counts[code], total)])
        )
    table.total = TableRow("total", ["total", _("Total"), total, 1.0 if total else None])
    table.note = _("Codes 2a and 2b are counted as 2.")
    return table


def _by_kind(reviews: Result, compute: Compute) -> Table:
    columns = [
        Column("code", _("code"), "#meta+kind+code", "code"),
        Column("kind", _("document kind"), "#meta+kind+name"),
        *(
            Column(
                f"marker_{m}",
                _("code %(code)s") % {"code": m},
                f"#indicator+marker{m}+num",
                "number",
            )
            for m in MARKERS
        ),
        Column("reviews", _("documents reviewed"), "#indicator+reviews+num", "number"),
    ]
    table = Table("gem_reviews_by_kind", _("Documents reviewed by kind and marker code"), columns)
    kinds: dict[str, tuple[str, dict[str, Any]]] = {}
    for row in reviews.rows:
        kind = row.key["document_kind"]
        kinds.setdefault(kind.code, (kind.label, {}))[1][row.key["marker"].code] = row.value or 0
    for code, (label, counts) in sorted(kinds.items(), key=lambda kv: kv[1][0]):
        cells = [counts.get(m, 0) for m in MARKERS]
        table.rows.append(TableRow(code, [code, label, *cells, sum(cells)]))
    reports = compute("gem-sc-reports-reviewed").total or 0
    analysed = compute("gem-sc-reports-with-analysis").total or 0
    if reports:
        table.note = _(
            "Reports to the Security Council with a gender analysis: %(analysed)s of "
            "%(reports)s reviewed (%(share)s)."
        ) % {
            "analysed": analysed,
            "reports": reports,
            "share": percent(_share(analysed, reports)),
        }
    return table


def _recommendations(made: Result, compute: Compute) -> Table:
    table = Table(
        "gem_recommendations",
        _("Recommendations of the reviews at the period's end"),
        [
            Column("code", _("code"), "#meta+status+code", "code"),
            Column("status", _("follow-up"), "#meta+status+name"),
            Column(
                "recommendations", _("recommendations"), "#indicator+recommendations+num", "number"
            ),
            Column("share", _("share of those made"), "#indicator+recommendations+pct", "percent"),
        ],
    )
    total = made.total or 0
    lines: Sequence[tuple[str, str, str]] = (
        ("made", "gem-recommendations-made", _("made (up to the period's end)")),
        ("accepted", "gem-recommendations-accepted", _("accepted")),
        ("implemented", "gem-recommendations-implemented", _("implemented")),
        ("overdue", "gem-recommendations-overdue", _("overdue")),
    )
    for code, indicator, label in lines:
        value = total if code == "made" else compute(indicator).total or 0
        table.rows.append(TableRow(code, [code, label, value, _share(value, total)]))
    table.note = _(
        "Accepted ones include those implemented since; overdue: past their due date, "
        "neither implemented nor declined at the period's end."
    )
    return table


def _budget(budget: Result, compute: Compute) -> Table:
    amounts: dict[str, Any] = dict.fromkeys(MARKERS, 0)
    for row in budget.rows:
        amounts[row.key["marker"].code] = row.value or 0
    total = budget.total or 0
    table = Table(
        "gem_budget_by_marker",
        _("Project budgets by Gender Equality Marker code (USD)"),
        [
            Column("code", _("code"), "#indicator+marker+code", "code"),
            Column("marker", _("Gender Equality Marker"), "#indicator+marker+name"),
            Column("budget", _("budget (USD)"), "#value+budget+usd", "number"),
            Column("share", _("share of the budget"), "#value+budget+pct", "percent"),
        ],
    )
    for code in MARKERS:
        table.rows.append(
            TableRow(code, [code, _marker_label(code), amounts[code], _share(amounts[code], total)])
        )
    table.total = TableRow("total", ["total", _("Total"), total, 1.0 if total else None])
    share = compute("gem-budget-share-significant").total
    table.note = _("Share coded 2 or 3 (UN-SWAP financial benchmark): %(share)s.") % {
        "share": percent(None if share is None else float(share))
    }
    return table
