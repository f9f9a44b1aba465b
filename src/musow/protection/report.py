"""The programme's section of the periodic report: its tables, always PROTECTED (the
report is one document for everyone who reads it, cached and exported in every format:
HTML, PDF, XLSX, CSV with HXL, JSON), each with its footnote. No section when no
provider report counts for the period and scope."""

from typing import Any

from musow.indicators.periods import Period
from musow.protection.release import release_build, release_show
from musow.reports.types import Column, Table, TableRow


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
