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

from musow.lib import charts
from musow.lib.i18n import number, percent
from musow.reports.builder import ANNEX_PRINT_LIMIT, Column, Report, Table

FORMATS = ("html", "pdf", "xlsx", "csv", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
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
        "json": render_json,
    }
    with translation.override(report.lang):
        renderer[fmt](report, out)


def filename(report: Report, fmt: str) -> str:
    scope = f"-{report.scope.code}" if report.scope.code else ""
    stem = "rapport" if report.lang == "fr" else "report"
    return f"musow-{stem}-{report.period.code.replace('..', '_')}{scope}-{report.lang}.{fmt}"


# --- values as text -------------------------------------------------------------------------


def cell_text(value: Any, kind: str) -> str:
    if value is None:
        return "–"
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
        return {}
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
            title=_("Participants by region (map)"),
            lang=report.lang,
            width=500,
            outside=data.get("outside", ()),
            outside_label=_("outside the report's scope"),
        ),
    }
    return out


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
        "campaigns": [{"section": c, "table": _view_table(c.regions)} for c in report.campaigns],
        "charts": _charts(report),
        "annex_columns": [c.label for c in annex_columns],
        "annex_keys": [c.key for c in annex_columns],
        "annex": annex,
        "annex_truncated": annex_limit is not None and report.annex_count > len(annex),
        "annex_count": number(report.annex_count),
        "annex_shown": number(len(annex)),
        "generated": report.generated_at,
        "running_head": f"{report.period_label} · {report.scope_label}",
    }


def _value_text(value: Any, ratio: bool) -> str:
    if value is None:
        return "–"
    return percent(float(value)) if ratio else cell_text(value, "number")


def _change_text(value: Any, ratio: bool) -> str:
    if value is None:
        return "–"
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


def _csv_value(value: Any) -> Any:
    if isinstance(value, float):
        return repr(round(value, 6))
    return value


# --- XLSX ----------------------------------------------------------------------------------

_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel refuses a sheet name that starts or ends with an apostrophe ("survivor's" cut
    # at 31 characters).
    base = " ".join(title.translate(_BAD_SHEET_CHARS).split())[:31].strip(" '") or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def render_xlsx(report: Report, out: IO[bytes]) -> None:
    """XlsxWriter in constant-memory mode: rows go to disk as they are written, so the annex
    of a large year costs neither memory nor much time. Text is always written as text
    (never as a formula, whatever it starts with)."""
    import tempfile

    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="musow-xlsx-") as tmp:
        options = {
            "constant_memory": True,
            "tmpdir": tmp,
            # text stays text: a title starting with "=" is not a formula, nor a URL
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        }
        book = xlsxwriter.Workbook(out, options)
        _XlsxReport(book, report).write()
        book.close()


class _XlsxReport:
    def __init__(self, book: Any, report: Report) -> None:
        self.book = book
        self.report = report
        self.used: set[str] = set()
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.formats = {
            "percent": book.add_format({"num_format": "0.0%"}),
            "number": book.add_format({"num_format": "#,##0"}),
            "decimal": book.add_format({"num_format": "#,##0.0"}),
        }

    def sheet(self, title: str) -> Any:
        return self.book.add_worksheet(_sheet_title(title, self.used))

    def cell(self, sheet: Any, row: int, col: int, value: Any, kind: str = "text") -> None:
        value = _plain_num(value)
        if value is None or value == "":
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            sheet.write_string(row, col, str(value))
        elif kind == "percent":
            sheet.write_number(row, col, value, self.formats["percent"])
        elif kind == "number":
            integral = isinstance(value, int) or float(value).is_integer()
            sheet.write_number(row, col, value, self.formats["number" if integral else "decimal"])
        else:
            sheet.write_number(row, col, value)

    def header(self, sheet: Any, row: int, labels: list[str]) -> None:
        for col, label in enumerate(labels):
            sheet.write_string(row, col, label, self.bold)

    def write(self) -> None:
        self.summary()
        self.framework()
        for table in [*self.report.tables, *(c.regions for c in self.report.campaigns)]:
            self.table(table)
        self.annex()
        self.data()

    def summary(self) -> None:
        report = self.report
        sheet = self.sheet(_("Summary"))
        sheet.set_column(0, 0, 110)
        lines: list[tuple[str, Any]] = [
            (report.title, self.title),
            (
                f"{_('Period')}: {report.period_label} "
                f"({report.period.start} – {report.period.end})",
                None,
            ),
            (f"{_('Scope')}: {report.scope_label}", None),
            (f"{_('Generated')}: {report.generated_at.isoformat(timespec='seconds')}", None),
            ("", None),
            (_("Headline figures"), self.bold),
            *((h.sentence, self.wrap) for h in report.headline),
            ("", None),
            (_("In brief"), self.bold),
            *((sentence, self.wrap) for sentence in report.narrative),
        ]
        for row, (text, fmt) in enumerate(lines):
            if text:
                sheet.write_string(row, 0, text, fmt)

    def framework(self) -> None:
        sheet = self.sheet(_("Results framework"))
        for col, width in enumerate((14, 60, 12, 12, 12, 12, 12, 12, 28, 18)):
            sheet.set_column(col, col, width)
        self.header(
            sheet,
            0,
            [
                _("mandate line"),
                _("indicator"),
                _("baseline"),
                _("target"),
                _("actual"),
                _("share achieved"),
                _("previous period"),
                _("change"),
                _("code"),
                _("status"),
            ],
        )
        row = 1
        for m in self.report.framework:
            for line in m.lines:
                kind = "percent" if line.ratio else "number"
                values = [
                    (m.code, "text"),
                    (line.name, "text"),
                    (line.baseline, kind),
                    (line.target, kind),
                    (line.actual, kind),
                    (line.achieved, "percent"),
                    (line.previous, kind),
                    (line.change, kind),
                    (line.code, "text"),
                    (status_label(line.status), "text"),
                ]
                for col, (value, k) in enumerate(values):
                    self.cell(sheet, row, col, value, k)
                row += 1

    def table(self, table: Table) -> None:
        sheet = self.sheet(table.title)
        for col, column in enumerate(table.columns):
            sheet.set_column(col, col, 40 if column.kind == "text" else 16)
        self.header(sheet, 0, [c.label for c in table.columns])
        rows = [*table.rows, *([table.total] if table.total else [])]
        for r, row in enumerate(rows, start=1):
            for col, (value, column) in enumerate(zip(row.cells, table.columns, strict=True)):
                self.cell(sheet, r, col, value, column.kind)
        if table.note:
            sheet.write_string(len(rows) + 2, 0, table.note)

    def annex(self) -> None:
        sheet = self.sheet(_("Annex: activities"))
        columns = self.report.annex_columns()
        for col, column in enumerate(columns):
            sheet.set_column(col, col, 50 if column.kind == "text" else 14)
        self.header(sheet, 0, [c.label for c in columns])
        keys = [c.key for c in columns]
        for r, activity in enumerate(self.report.annex(), start=1):
            sheet.write_row(r, 0, [activity[k] for k in keys])  # plain values: fast

    def data(self) -> None:
        """The underlying data in long form, with its HXL hashtags (as in the CSV)."""
        sheet = self.sheet(_("Data"))
        columns = data_columns()
        self.header(sheet, 0, [c.label for c in columns])
        for col, column in enumerate(columns):
            sheet.write_string(1, col, column.hxl)
        for r, values in enumerate(data_rows(self.report), start=2):
            for col, (value, column) in enumerate(zip(values, columns, strict=True)):
                self.cell(sheet, r, col, value, "text" if column.kind != "number" else "raw")


def _plain_num(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    return value


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
