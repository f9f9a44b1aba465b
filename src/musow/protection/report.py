"""The programme's section of the periodic report: its tables, always PROTECTED (the
report is one document for everyone who reads it, cached and exported in every format:
HTML, PDF, XLSX, CSV with HXL, JSON), each with its footnote. No section when no
provider report counts for the period and scope."""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from musow.indicators.periods import Period
from musow.lib.i18n import number
from musow.protection.charts import funnel_svg, trend_svg
from musow.protection.models import JUSTICE_FIELDS
from musow.protection.release import release_build, release_show
from musow.reports.types import Column, Report, Table, TableRow


def report_tables(period: Period, scope: Any) -> list[Table]:
    release = release_build(period, tuple(scope.regions))
    if not any(release.micro.values()):
        return []
    tables = []
    for shown in release_show(release, whole=False):
        columns = [Column("label", shown.header[0] or shown.title, "#indicator+category")]
        columns += [
            Column(code, label, "#affected+num", kind="number")
            for code, label in zip(shown.col_codes, shown.header[1:], strict=True)
        ]
        # Shown counts as numbers; hidden ones as their mark ("< 5", "×"), in every format.
        rows = [
            TableRow(code, [row[0], *_cells(row[1:], values)])
            for code, row, values in zip(shown.row_codes, shown.rows, shown.values, strict=True)
        ]
        total = (
            TableRow("total", [shown.footer[0], *_cells(shown.footer[1:], shown.footer_values)])
            if shown.footer
            else None
        )
        tables.append(
            Table(
                f"sgbv_{shown.code.replace('-', '_')}",
                shown.title,
                columns,
                rows,
                shown.footnote,
                total,
            )
        )
    return tables


def _cells(texts: list[str], values: list[int | None]) -> list[Any]:
    return [text if value is None else value for text, value in zip(texts, values, strict=True)]


def report_charts(report: "Report") -> dict[str, str]:
    """The section's charts, from its protected tables (the numbers the tables show):
    the justice chain's funnel and the trend by quarter (periods of several quarters)."""
    with translation.override(report.lang):
        return _charts(report)


def _charts(report: "Report") -> dict[str, str]:
    out: dict[str, str] = {}
    justice = report.table("sgbv_justice")
    if justice is not None:
        stages = [_shown(r.cells[0], r.cells[1]) for r in justice.rows if r.code in JUSTICE_FIELDS]
        out["funnel"] = funnel_svg(
            stages, title=_("The justice chain: from complaint to conviction"), lang=report.lang
        )
    trend = report.table("sgbv_trend")
    if trend is not None:
        wanted = ["incidents", "complaints", "convictions"]
        at = [next(i for i, c in enumerate(trend.columns) if c.key == k) for k in wanted]
        out["trend"] = trend_svg(
            [(r.cells[0], [_shown("", r.cells[i])[1:] for i in at]) for r in trend.rows],
            series=[trend.columns[i].label for i in at],
            title=_("Incidents, complaints and convictions by quarter"),
            lang=report.lang,
        )
    return out


def _shown(label: str, cell: Any) -> tuple[str, int | None, str]:
    """A table cell as the charts draw it: a shown count, or a hidden one's mark."""
    if isinstance(cell, str):
        return (label, None, cell)
    return (label, int(cell or 0), number(int(cell or 0)))
