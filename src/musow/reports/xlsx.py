"""The report as a workbook that reads, filters and prints in French Excel and LibreOffice.

Each sheet has a short unique name (at most 31 characters, never cut mid-word) and its
full title in its first row, then the period, the scope and when it was produced; a
frozen header row with a filter; numbers, shares and dates stored as numbers and dates
(never as text); columns as wide as their content, long texts wrapped in rows high
enough; and an A4 page setup (landscape where wide, fitted to the page's width, the
header row repeated on every page, page numbers in the footer).

XlsxWriter in constant-memory mode: rows go to disk as they are written, so the annex of
a large year costs neither memory nor much time. Text is always written as text (never
as a formula, whatever it starts with).
"""

import math
import re
import tempfile
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from musow.reports.types import Column, Report, Table

MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})
FONT = "Calibri"
WRAP_AT = 100  # the summary's text column, in characters
FIRST_ROW = 4  # title, period and scope, produced, (blank), then the header


def short_names() -> dict[str, str]:
    """Sheet names by table key, in the active language."""
    return {
        "summary": pgettext("sheet", "Summary"),
        "framework": pgettext("sheet", "Results framework"),
        "activities_by_type": pgettext("sheet", "By type"),
        "activities_by_theme": pgettext("sheet", "By theme"),
        "activities_by_organiser": pgettext("sheet", "By organiser"),
        "by_region": pgettext("sheet", "By region"),
        "by_month": pgettext("sheet", "By month"),
        "reach_by_sex": pgettext("sheet", "By sex"),
        "reach_by_age_sex": pgettext("sheet", "By age and sex"),
        "reach_by_audience": pgettext("sheet", "By audience"),
        "unique_persons": pgettext("sheet", "Unique persons"),
        "media_reach": pgettext("sheet", "Media"),
        "participation_bodies": pgettext("sheet", "Women in bodies"),
        "participation_by_kind": pgettext("sheet", "Bodies by kind"),
        "participation_by_role": pgettext("sheet", "Bodies by role"),
        "participation_by_year": pgettext("sheet", "Bodies by year"),
        "participation_sittings": pgettext("sheet", "Sittings"),
        "participation_sources": pgettext("sheet", "Bodies sources"),
        "annex": pgettext("sheet", "Annex"),
        "data": pgettext("sheet", "Data"),
    }


def sheet_name(wanted: str, used: set[str]) -> str:
    """A valid sheet name: at most 31 characters, cut only between words, brackets
    balanced, unique in the workbook (case-insensitive)."""
    text = " ".join(wanted.translate(_BAD_SHEET_CHARS).split()).strip("'") or "Sheet"
    if len(text) > MAX_SHEET_NAME:
        cut = text[: MAX_SHEET_NAME + 1]
        stops = [m.start() for m in re.finditer(r"[ \-_(]", cut)]
        text = text[: stops[-1]] if stops and stops[-1] > 8 else text[:MAX_SHEET_NAME]
        if text.count("(") > text.count(")"):
            text = text[: text.rfind("(")]
        text = text.rstrip(" -_(,;.")
    name, i = text, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name, i = text[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix, i + 1
    used.add(name.lower())
    return name


def render_xlsx(report: Report, out: IO[bytes]) -> None:
    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="musow-xlsx-") as tmp:
        options = {
            "constant_memory": True,
            "tmpdir": tmp,
            # text stays text: a title starting with "=" is not a formula, nor a URL
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        }
        book = xlsxwriter.Workbook(out, options)
        book.set_properties({"title": report.title, "author": "musow"})
        XlsxReport(book, report).write()
        book.close()


def produced(report: Report) -> str:
    """When the report was produced, in the reader's language and the server's time zone
    (“30 novembre 2026, 07:44”)."""
    moment = report.generated_at
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "j F Y, H:i")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _text_lines(text: str, width: float) -> int:
    """The lines a text takes in a column `width` characters wide, wrapped at spaces."""
    lines, used = 1, 0
    room = max(1.0, width * 0.95)
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
        if used > room:  # a word longer than the column
            lines += math.ceil(used / room) - 1
            used = int(used % room)
    return lines


def _quick_lines(text: str, width: float) -> int:
    """`_text_lines` estimated without splitting words (the annex: a row per activity)."""
    room = width * 0.95
    return 1 if len(text) <= room else math.ceil(len(text) / (room * 0.85))


class XlsxReport:
    def __init__(self, book: Any, report: Report) -> None:
        self.book = book
        self.report = report
        self.used: set[str] = set()
        self.names = short_names()
        base = {"font_name": FONT, "font_size": 11, "valign": "top"}

        def fmt(**extra: Any) -> Any:
            return book.add_format({**base, **extra})

        self.plain = fmt()
        self.title = fmt(bold=True, font_size=14)
        self.bold = fmt(bold=True)
        self.head = fmt(bold=True, text_wrap=True, bg_color="#DDE7F0", border=1)
        self.wrap = fmt(text_wrap=True)
        self.muted = fmt(font_color="#555555", font_size=10)
        self.datetime = fmt(
            num_format="dd/mm/yyyy hh:mm" if report.lang == "fr" else "d mmm yyyy hh:mm",
            align="left",
        )
        self.date = fmt(
            num_format="dd/mm/yyyy" if report.lang == "fr" else "d mmm yyyy", align="left"
        )
        self.formats = {
            "percent": fmt(num_format="0.0%"),
            "number": fmt(num_format="#,##0"),
            "decimal": fmt(num_format="#,##0.0"),
        }

    # -- sheets ------------------------------------------------------------------------

    def sheet(self, key: str, title: str, widths: list[float], header_row: int | None) -> Any:
        """A sheet named short, its full title and the report's period and scope on top,
        laid out and set up for printing."""
        sheet = self.book.add_worksheet(sheet_name(self.names.get(key, key), self.used))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width, self.plain)
        sheet.write_string(0, 0, title, self.title)
        report = self.report
        sheet.write_string(1, 0, f"{report.period_label} · {report.scope_label}", self.muted)
        sheet.write_string(2, 0, f"{_('Generated')} {produced(report)}", self.muted)
        total = sum(widths)
        sheet.set_paper(9)  # A4
        if total > 110:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
        sheet.set_footer(f"&L&8{self._footer_text(title)}&R&8&P / &N")
        if header_row is not None:
            sheet.repeat_rows(header_row)
            sheet.freeze_panes(header_row + 1, 0)
        sheet.hide_gridlines(0)
        return sheet

    def _footer_text(self, title: str) -> str:
        text = f"{self.report.title} · {self.report.period_label} · {title}"
        return text.replace("&", "&&")[:200]

    def cell(self, sheet: Any, row: int, col: int, value: Any, kind: str = "text") -> None:
        value = _plain(value)
        if value is None or value == "":
            return
        if kind == "date" and isinstance(value, str):
            value = date.fromisoformat(value)
        if isinstance(value, datetime):
            sheet.write_datetime(row, col, value, self.datetime)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, self.date)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            sheet.write_string(row, col, str(value), self.wrap if kind == "wrap" else self.plain)
        elif kind == "percent":
            sheet.write_number(row, col, value, self.formats["percent"])
        elif kind == "number":
            integral = isinstance(value, int) or float(value).is_integer()
            sheet.write_number(row, col, value, self.formats["number" if integral else "decimal"])
        else:
            sheet.write_number(row, col, value, self.plain)

    def header(self, sheet: Any, row: int, labels: list[str], widths: list[float]) -> None:
        lines = max(_text_lines(label, w) for label, w in zip(labels, widths, strict=True))
        sheet.set_row(row, 15 * lines + 3)
        for col, label in enumerate(labels):
            sheet.write_string(row, col, label, self.head)

    def write(self) -> None:
        self.summary()
        self.framework()
        for table in self.report.tables:
            self.table(table, table.key)
        word = pgettext("sheet", "Campaign")
        for campaign in self.report.campaigns:
            self.table(campaign.regions, f"{word} {campaign.code}")
        self.annex()
        self.data()

    def summary(self) -> None:
        report = self.report
        sheet = self.sheet("summary", report.title, [22, WRAP_AT], None)
        rows: list[tuple[Any, Any, str]] = [
            (_("Period"), report.period_label, ""),
            (_("From"), report.period.start, ""),
            (_("To"), report.period.end, ""),
            (_("Scope"), report.scope_label, ""),
            (_("Generated"), self._produced_at(), ""),
            ("", "", ""),
            (_("Headline figures"), "", "bold"),
            *((h.value, h.sentence, "headline") for h in report.headline),
            ("", "", ""),
            (_("In brief"), "", "bold"),
            *(("", sentence, "wrap") for sentence in report.narrative),
        ]
        for row, (label, value, style) in enumerate(rows, start=FIRST_ROW):
            if style == "bold":
                sheet.write_string(row, 0, str(label), self.bold)
                continue
            if isinstance(value, str) and len(value) > WRAP_AT:
                sheet.set_row(row, 15 * _text_lines(value, WRAP_AT) + 2)
            if style == "headline":
                self.cell(sheet, row, 0, label, "number")
            else:
                self.cell(sheet, row, 0, label)
            self.cell(sheet, row, 1, value, "wrap")

    def _produced_at(self) -> datetime:
        moment = self.report.generated_at
        if timezone.is_aware(moment):
            moment = timezone.make_naive(timezone.localtime(moment))
        return moment.replace(microsecond=0)

    def framework(self) -> None:
        labels = [
            _("mandate line"),
            _("indicator"),
            _("baseline"),
            _("target"),
            _("actual"),
            _("share achieved"),
            _("previous period"),
            _("change"),
            _("status"),
            _("indicator code"),
        ]
        widths = [14.0, 50.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 18.0, 26.0]
        sheet = self.sheet("framework", _("Results framework"), widths, FIRST_ROW)
        self.header(sheet, FIRST_ROW, labels, widths)
        row = FIRST_ROW + 1
        for m in self.report.framework:
            for line in m.lines:
                kind = "percent" if line.ratio else "number"
                values = [
                    (m.code, "text"),
                    (line.name, "wrap"),
                    (line.baseline, kind),
                    (line.target, kind),
                    (line.actual, kind),
                    (line.achieved, "percent"),
                    (line.previous, kind),
                    (line.change if line.previous is not None else _("n/a"), kind),
                    (_status(line.status), "text"),
                    (line.code, "text"),
                ]
                sheet.set_row(row, 15 * _text_lines(line.name, widths[1]) + 2)
                for col, (value, k) in enumerate(values):
                    self.cell(sheet, row, col, value, k)
                row += 1
        sheet.autofilter(FIRST_ROW, 0, max(row - 1, FIRST_ROW), len(labels) - 1)

    def table(self, table: Table, key: str) -> None:
        labels = _labels(table.columns)
        widths = [_width(c, label) for c, label in zip(table.columns, labels, strict=True)]
        sheet = self.sheet(key, table.title, widths, FIRST_ROW)
        self.header(sheet, FIRST_ROW, labels, widths)
        rows = [*table.rows, *([table.total] if table.total else [])]
        for r, row in enumerate(rows, start=FIRST_ROW + 1):
            for col, (value, column) in enumerate(zip(row.cells, table.columns, strict=True)):
                self.cell(sheet, r, col, value, column.kind)
        last = FIRST_ROW + len(table.rows)
        sheet.autofilter(FIRST_ROW, 0, max(last, FIRST_ROW), len(labels) - 1)
        if table.note:
            sheet.write_string(FIRST_ROW + len(rows) + 2, 0, table.note, self.muted)

    def annex(self) -> None:
        columns = self.report.annex_columns()
        widths = [_annex_width(c) for c in columns]
        sheet = self.sheet("annex", _("Annex: activities"), widths, FIRST_ROW)
        labels = [c.label for c in columns]
        self.header(sheet, FIRST_ROW, labels, widths)
        keys = [c.key for c in columns]
        row = FIRST_ROW
        wrapped = [i for i, w in enumerate(widths) if w >= 26]
        for row, activity in enumerate(self.report.annex(), start=FIRST_ROW + 1):
            lines = max(_quick_lines(str(activity[keys[i]] or ""), widths[i]) for i in wrapped)
            if lines > 1:  # no spreadsheet sizes a row to its wrapped text when it opens
                sheet.set_row(row, 15 * lines + 1)
            for col, k in enumerate(keys):
                value = activity[k]
                if k == "date" and isinstance(value, str) and value:
                    sheet.write_datetime(row, col, date.fromisoformat(value), self.date)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(row, col, value, self.plain)
                elif value not in (None, ""):
                    style = self.wrap if widths[col] >= 26 else self.plain
                    sheet.write_string(row, col, str(value), style)
        if self.report.annex_hidden:
            sheet.write_string(
                FIRST_ROW + 1,
                0,
                _("Your account sees aggregate figures only: the activities are not listed."),
                self.muted,
            )
        sheet.autofilter(FIRST_ROW, 0, max(row, FIRST_ROW), len(labels) - 1)

    def data(self) -> None:
        """The underlying data in long form, with its HXL hashtags (as in the CSV)."""
        from musow.reports.renderers import data_columns, data_rows

        columns = data_columns()
        widths = [14.0 if c.kind == "code" else 30.0 if c.kind == "text" else 12.0 for c in columns]
        widths = [max(w, min(len(c.label) + 2, 30)) for w, c in zip(widths, columns, strict=True)]
        sheet = self.sheet("data", _("Data"), widths, FIRST_ROW)
        self.header(sheet, FIRST_ROW, [c.label for c in columns], widths)
        for col, column in enumerate(columns):
            sheet.write_string(FIRST_ROW + 1, col, column.hxl, self.muted)
        row = FIRST_ROW + 1
        for row, values in enumerate(data_rows(self.report), start=FIRST_ROW + 2):
            for col, (value, column) in enumerate(zip(values, columns, strict=True)):
                self.cell(sheet, row, col, value, "text" if column.kind != "number" else "raw")
        sheet.repeat_rows(FIRST_ROW, FIRST_ROW + 1)
        sheet.freeze_panes(FIRST_ROW + 2, 0)
        sheet.autofilter(FIRST_ROW + 1, 0, max(row, FIRST_ROW + 1), len(columns) - 1)


def _status(status: str) -> str:
    from musow.reports.renderers import status_label

    return status_label(status)


def _labels(columns: list[Column]) -> list[str]:
    """Headers without duplicates: a code column named as the column it codes
    (“mois, mois”) becomes “mois (code)”."""
    labels = [c.label for c in columns]
    for i, column in enumerate(columns):
        if column.kind == "code" and labels.count(column.label) > 1:
            labels[i] = f"{column.label} ({_('code')})"
    return labels


def _width(column: Column, label: str) -> float:
    if column.kind == "text":
        return 40.0
    longest_word = max((len(w) for w in label.split()), default=8)
    return float(max(12, min(18, longest_word + 2)))


def _annex_width(column: Column) -> float:
    return {
        "id": 8.0,
        "date": 12.0,
        "title": 50.0,
        "type": 24.0,
        "pcode": 9.0,
        "place": 18.0,
        "campaign": 30.0,
        "participants": 13.0,
        "source": 26.0,
        "origin": 30.0,
    }.get(column.key, 20.0)
