"""One report, five formats: HTML, PDF (WeasyPrint, from the same HTML), XLSX, CSV with an
HXL hashtag row, and JSON (documented by `schema/report.schema.json`).

Each renderer writes to a binary stream. The annex (every contributing activity) is
streamed from the database in the XLSX, CSV-free JSON and the HTML/PDF, so memory does
not grow with the register; the HTML and PDF list its first `ANNEX_PRINT_LIMIT`
activities and say where the full list is.
"""

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from musow.geo.shapes import map_shapes
from musow.lib import charts
from musow.lib.i18n import number, percent
from musow.reports.trainings import trainings_charts
from musow.reports.types import ANNEX_PRINT_LIMIT, Column, Report, Table

FORMATS = ("html", "pdf", "xlsx", "csv", "csv-sheet", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "csv-sheet": "text/csv; charset=utf-8",
    "json": "application/json",
}
STATIC_CSS = Path(__file__).resolve().parent / "static" / "reports" / "report.css"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "report.schema.json"
SCHEMA_ID = "https://musow.example.org/schema/report/1"
SCHEMA_VERSION = 1


def render(report: Report, fmt: str, out: IO[bytes]) -> None:
    renderer: dict[str, Callable[[Report, IO[bytes]], None]] = {
        "html": render_html,
        "pdf": render_pdf,
        "xlsx": render_xlsx,
        "csv": render_csv,
        "csv-sheet": render_sheet_csv,
        "json": render_json,
    }
    with translation.override(report.lang):
        renderer[fmt](report, out)


def filename(report: Report, fmt: str) -> str:
    scope = f"-{report.scope.code}" if report.scope.code else ""
    stem = "rapport" if report.lang == "fr" else "report"
    period = report.period.code.replace("..", "_")
    if fmt == "csv-sheet":
        return f"musow-{stem}-{period}{scope}-{report.lang}-{_('spreadsheet')}.csv"
    return f"musow-{stem}-{period}{scope}-{report.lang}.{fmt}"


# --- values as text -------------------------------------------------------------------------


def cell_text(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "date":  # YYYY-MM-DD, kept on one line (non-breaking hyphens)
        return str(value).replace("-", "\u2011")
    if isinstance(value, str):  # a hidden count ("< 5", "×": musow.protection)
        return value
    if kind == "percent":
        return percent(float(value))
    if kind == "number":
        if isinstance(value, float) and not value.is_integer():
            return number(value, 1)
        return number(int(value))
    return str(value)


STATUS_MARKS = {"met": "✓", "close": "≈", "behind": "✗"}


def status_label(status: str) -> str:
    return {
        "met": _("target met"),
        "close": _("close to target"),
        "behind": _("behind target"),
    }.get(status, "")


# --- HTML and PDF ---------------------------------------------------------------------------


def _view_table(table: Table) -> dict[str, Any]:
    shown = [i for i, c in enumerate(table.columns) if c.kind != "code"]

    def row(cells: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "text": cell_text(cells[i], table.columns[i].kind),
                "numeric": _numeric(table.columns[i]),
            }
            for i in shown
        ]

    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "headers": [
            {"text": table.columns[i].label, "numeric": _numeric(table.columns[i])} for i in shown
        ],
        "rows": [row(r.cells) for r in table.rows],
        "total": row(table.total.cells) if table.total else None,
    }


def _numeric(column: Column) -> bool:
    return column.kind in ("number", "percent")


def _charts(report: Report) -> dict[str, str]:
    data = report.chart_data
    if not report.has_data:
        return _participation_chart(report)
    out = {
        "months": charts.bar_chart_svg(
            data.get("months", []), title=_("Activities per month"), lang=report.lang, width=500
        ),
        "age_sex": charts.stacked_bar_chart_svg(
            data.get("age_sex", []),
            series=data.get("sexes", []),
            title=_("Participants by age group and sex"),
            lang=report.lang,
            width=500,
        ),
        "regions": charts.bar_chart_svg(
            data.get("regions", []), title=_("Participants by region"), lang=report.lang, width=500
        ),
        "map": charts.choropleth_svg(
            data.get("map", {}),
            shapes=map_shapes(report.lang),
            title=_("Participants by region (map)"),
            lang=report.lang,
            width=500,
            outside=data.get("outside", ()),
            outside_label=_("outside the report's scope"),
            unit=_("Participants (contacts)"),
        ),
        **trainings_charts(report),
    }
    return {**out, **_participation_chart(report)}


def _participation_chart(report: Report) -> dict[str, str]:
    from musow.representation.report import chart_svg

    series = report.table("participation_by_year")
    return {"participation": chart_svg(series, report.lang)} if series and series.rows else {}


def _sgbv_charts(report: Report) -> dict[str, str]:
    from musow.protection.report import report_charts

    return report_charts(report)


def context(report: Report, *, annex_limit: int | None = ANNEX_PRINT_LIMIT) -> dict[str, Any]:
    """What the report templates show, with every number already formatted."""
    framework = [
        {
            "code": m.code,
            "name": m.name,
            "text": m.text,
            "lines": [
                {
                    "code": line.code,
                    "name": line.name,
                    "baseline": _value_text(line.baseline, line.ratio),
                    "target": _value_text(line.target, line.ratio),
                    "actual": _value_text(line.actual, line.ratio),
                    "previous": _value_text(line.previous, line.ratio),
                    "change": _change_text(line.change, line.ratio),
                    "achieved": percent(line.achieved) if line.achieved is not None else "–",
                    "mark": STATUS_MARKS.get(line.status, ""),
                    "status": line.status,
                    "status_label": status_label(line.status),
                }
                for line in m.lines
            ],
        }
        for m in report.framework
    ]
    annex_columns = report.annex_columns()
    annex = [
        [cell_text(row[c.key], c.kind) for c in annex_columns]
        for row in report.annex(limit=annex_limit)
    ]
    return {
        "report": report,
        "lang": report.lang,
        "framework": framework,
        "tables": {t.key: _view_table(t) for t in report.tables},
        "sgbv_tables": [_view_table(t) for t in report.tables if t.key.startswith("sgbv_")],
        "participation_tables": [
            _view_table(t) for t in report.tables if t.key.startswith("participation_")
        ],
        "sgbv_charts": _sgbv_charts(report),
        "campaigns": [{"section": c, "table": _view_table(c.regions)} for c in report.campaigns],
        "charts": _charts(report),
        "annex_columns": [c.label for c in annex_columns],
        "annex_keys": [c.key for c in annex_columns],
        "annex": annex,
        "annex_truncated": annex_limit is not None and report.annex_count > len(annex),
        "annex_count": number(report.annex_count),
        "annex_shown": number(len(annex)),
        "generated": report.generated_at,
        "unit_text": unit_text(report),
        "has_unit_text": bool(unit_text(report)),
        "running_head": f"{report.period_label} · {report.scope_label}",
    }


def unit_text(report: Report) -> list[dict[str, Any]]:
    """The unit's own words in the report's language: titled parts, in paragraphs."""
    titles = {
        "highlights": _("Highlights"),
        "challenges": _("Challenges"),
        "recommendations": _("Recommendations"),
    }
    parts = []
    for key, title in titles.items():
        text = (report.texts or {}).get(key, "")
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        if paragraphs:
            parts.append({"key": key, "title": title, "paragraphs": paragraphs})
    return parts


def _value_text(value: Any, ratio: bool) -> str:
    if value is None:
        return "–"
    return percent(float(value)) if ratio else cell_text(value, "number")


def _change_text(value: Any, ratio: bool) -> str:
    if value is None:
        return _("n/a")
    if ratio:
        text = number(float(value) * 100, 1)
    else:
        text = cell_text(abs(value), "number") if value else "0"
        return ("+" if value > 0 else "−" if value < 0 else "") + text
    return ("+" if value > 0 else "") + text


def css_string(text: str) -> str:
    """A CSS string literal (for @page margin boxes)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def html_document(report: Report, *, for_print: bool = False) -> str:
    ctx = context(report)
    ctx["css"] = STATIC_CSS.read_text(encoding="utf-8")
    ctx["for_print"] = for_print
    ctx["page_head"] = css_string(ctx["running_head"])
    ctx["page_title"] = css_string(f"musow · {report.title}")
    with translation.override(report.lang):
        return render_to_string("reports/document.html", ctx)


def render_html(report: Report, out: IO[bytes]) -> None:
    out.write(html_document(report).encode("utf-8"))


def render_pdf(report: Report, out: IO[bytes]) -> None:
    from weasyprint import HTML

    HTML(string=html_document(report, for_print=True), base_url=str(STATIC_CSS.parent)).write_pdf(
        out
    )


# --- the underlying data, in long form (CSV, XLSX "data" sheet) -----------------------------


def data_columns() -> list[Column]:
    return [
        Column("period", _("period"), "#date+period", "code"),
        Column("scope", _("scope"), "#meta+scope", "code"),
        Column("table", _("table"), "#meta+table", "code"),
        Column("table_name", _("table name"), "#meta+table+name"),
        Column("category", _("category code"), "#meta+category+code", "code"),
        Column("category_name", _("category"), "#meta+category+name"),
        Column("measure", _("measure"), "#indicator+code", "code"),
        Column("measure_name", _("measure name"), "#indicator+name"),
        Column("value", _("value"), "#indicator+value+num", "number"),
    ]


def data_rows(report: Report) -> Iterator[list[Any]]:
    scope = report.scope.code or "all"
    head = [report.period.code, scope]
    for h in report.headline:
        yield [
            *head,
            "headline",
            _("Headline figures"),
            h.code,
            h.sentence,
            "value",
            _("value"),
            h.value,
        ]
    for m in report.framework:
        for line in m.lines:
            for key, label, value in (
                ("baseline", _("baseline"), line.baseline),
                ("target", _("target"), line.target),
                ("actual", _("actual"), line.actual),
            ):
                if value is not None:
                    yield [
                        *head,
                        "framework",
                        _("Results framework"),
                        line.code,
                        line.name,
                        key,
                        label,
                        value,
                    ]
    tables = [*report.tables, *(c.regions for c in report.campaigns)]
    for table in tables:
        label_index = next((i for i, c in enumerate(table.columns) if c.kind == "text"), None)
        rows = [*table.rows, *([table.total] if table.total else [])]
        for row in rows:
            label = row.cells[label_index] if label_index is not None else row.code
            for i, column in enumerate(table.columns):
                if column.kind in ("number", "percent") and row.cells[i] is not None:
                    yield [
                        *head,
                        table.key,
                        table.title,
                        row.code,
                        label,
                        column.key,
                        column.label,
                        row.cells[i],
                    ]


def render_csv(report: Report, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    columns = data_columns()
    writer.writerow([c.label for c in columns])
    writer.writerow([c.hxl for c in columns])
    for row in data_rows(report):
        writer.writerow([_csv_value(v) for v in row])
    text.flush()
    text.detach()


def render_sheet_csv(report: Report, out: IO[bytes]) -> None:
    """The same data as a CSV that the reader's spreadsheet opens as a table of numbers:
    in French `;` between cells and a decimal comma, as French Excel and LibreOffice expect;
    UTF-8 with a byte order mark (so that Excel reads the accents), CRLF line ends; the
    period as its first and last days (dates); no HXL row (the HXL CSV has it)."""
    french = report.lang == "fr"
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, delimiter=";" if french else ",", lineterminator="\r\n")
    columns = data_columns()
    writer.writerow([_("from"), _("to"), *(c.label for c in columns[1:])])
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    for row in data_rows(report):
        writer.writerow([start, end, *(_sheet_value(v, french) for v in row[1:])])
    text.flush()
    text.detach()


def _sheet_value(value: Any, french: bool) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        value = int(value) if value.is_integer() else round(value, 6)
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if french else text
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, float):
        return repr(round(value, 6))
    return value


# --- XLSX (reports/xlsx.py) ------------------------------------------------------------


def render_xlsx(report: Report, out: IO[bytes]) -> None:
    from musow.reports.xlsx import render_xlsx as write

    write(report, out)


# --- JSON ------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _table_json(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "columns": [
            {"key": c.key, "label": c.label, "hxl": c.hxl, "kind": c.kind} for c in table.columns
        ],
        "rows": [{"code": r.code, "cells": [_jsonable(v) for v in r.cells]} for r in table.rows],
        "total": (
            {"code": table.total.code, "cells": [_jsonable(v) for v in table.total.cells]}
            if table.total
            else None
        ),
    }


def report_json(report: Report, *, with_annex: bool = False) -> dict[str, Any]:
    """The report as JSON-ready data (without the annex's activities unless asked)."""
    data: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "title": report.title,
        "lang": report.lang,
        "period": {
            "code": report.period.code,
            "label": report.period_label,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "previous": report.previous.code,
        },
        "scope": {**report.scope.as_dict(), "label": report.scope_label},
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "has_data": report.has_data,
        "headline": [
            {"code": h.code, "sentence": h.sentence, "value": _jsonable(h.value)}
            for h in report.headline
        ],
        "narrative": report.narrative,
        "framework": [
            {
                "code": m.code,
                "name": m.name,
                "text": m.text,
                "indicators": [
                    {
                        "code": line.code,
                        "name": line.name,
                        "rule": line.rule,
                        "baseline": _jsonable(line.baseline),
                        "target": _jsonable(line.target),
                        "actual": _jsonable(line.actual),
                        "previous": _jsonable(line.previous),
                        "change": _jsonable(line.change),
                        "achieved": line.achieved,
                        "status": line.status or None,
                    }
                    for line in m.lines
                ],
            }
            for m in report.framework
        ],
        "tables": [_table_json(t) for t in report.tables],
        "campaigns": [
            {
                "code": c.code,
                "name": c.name,
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
                "activities": c.activities,
                "participants": c.participants,
                "women": c.women,
                "sentence": c.sentence,
                "regions": _table_json(c.regions),
            }
            for c in report.campaigns
        ],
        "totals": {k: _jsonable(v) for k, v in report.totals.items()},
        "figures": report.figures(),
        "attribution": report.attribution,
        "annex": {
            "count": report.annex_count,
            "hidden": report.annex_hidden,
            "columns": [
                {"key": c.key, "label": c.label, "hxl": c.hxl, "kind": c.kind}
                for c in report.annex_columns()
            ],
            "activities": [],
        },
    }
    if with_annex:
        data["annex"]["activities"] = list(report.annex())
    return data


def render_json(report: Report, out: IO[bytes]) -> None:
    """The report as JSON; the annex's activities are streamed into the document."""
    data = report_json(report)
    head = json.dumps(data, ensure_ascii=False, indent=1)
    marker = '"activities": []'
    before, _sep, after = head.rpartition(marker)
    out.write(before.encode("utf-8"))
    out.write(b'"activities": [')
    first = True
    for row in report.annex():
        out.write((b"\n  " if first else b",\n  ") + json.dumps(row, ensure_ascii=False).encode())
        first = False
    out.write(b"]")
    out.write(after.encode("utf-8"))
