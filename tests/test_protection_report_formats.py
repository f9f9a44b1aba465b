"""The report's SGBV section, in every format (HTML, PDF text, XLSX, CSV with HXL, JSON),
publishes exactly the protected tables, and the adversary of the audit test finds no
hidden small cell it can work out from them."""

import csv
import io
import json
import re
import subprocess
from html import unescape
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from musow.indicators.periods import Period
from musow.protection.release import release_build, release_show
from musow.reports.services import ReportRequest, report_build, report_render
from musow.reports.types import ReportScope
from tests.protection_attack import disclosed

pytestmark = pytest.mark.django_db
PERIOD = "2014-03"


def _value(text: Any) -> Any:
    """A published cell, whatever the format wrote: a count, "<" or "×"."""
    text = str(text)
    if "<" in text:
        return "<"
    if "×" in text:
        return "×"
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else text


def _expected() -> tuple[Any, list[Any], dict[str, list[list[Any]]]]:
    release = release_build(Period.parse(PERIOD))
    shown = release_show(release, whole=False)
    grids = {
        f"sgbv_{s.code.replace('-', '_')}": [
            [_value(c) for c in row[1:]] for row in [*s.rows, *([s.footer] if s.footer else [])]
        ]
        for s in shown
    }
    return release, shown, grids


def _report(fmt: str) -> bytes:
    request = ReportRequest(Period.parse(PERIOD), ReportScope.everything(), fmt, "en")
    return report_render(report_build(request), fmt)


@pytest.fixture
def expected(demo_reports):
    with translation.override("en"):
        yield _expected()


def test_the_protected_section_is_not_disclosive(expected):
    release, shown, grids = expected
    assert any("<" in row for grid in grids.values() for row in grid)
    assert disclosed(release, shown, 5) == []


def test_json_publishes_the_protected_tables(expected):
    _release, _shown, grids = expected
    with translation.override("en"):
        data = json.loads(_report("json"))
    tables = {t["key"]: t for t in data["tables"] if t["key"].startswith("sgbv_")}
    assert set(tables) == set(grids)
    for key, table in tables.items():
        rows = [*table["rows"], *([table["total"]] if table["total"] else [])]
        assert [[_value(c) for c in r["cells"][1:]] for r in rows] == grids[key], key
        assert "hidden to protect the people concerned" in table["note"] or "<" not in str(rows)


def test_csv_with_hxl_publishes_the_protected_tables(expected):
    _release, shown, grids = expected
    with translation.override("en"):
        rows = list(csv.reader(io.StringIO(_report("csv").decode("utf-8"))))
    assert rows[1][2] == "#meta+table"
    for s in shown:
        key = f"sgbv_{s.code.replace('-', '_')}"
        found = {(r[4], r[6]): _value(r[8]) for r in rows[2:] if r[2] == key}
        codes = [*s.row_codes, *(["total"] if s.footer else [])]
        for r, code in enumerate(codes):
            for c, column in enumerate(s.col_codes[: len(grids[key][r])]):
                assert found[(code, column)] == grids[key][r][c], (key, code, column)


def test_xlsx_publishes_the_protected_tables(expected):
    _release, shown, grids = expected
    with translation.override("en"):
        book = load_workbook(io.BytesIO(_report("xlsx")), read_only=True)
    sheets = {ws["A1"].value: ws for ws in book.worksheets}
    for s in shown:
        ws = sheets[s.title]
        values = [list(r) for r in ws.iter_rows(min_row=6, values_only=True)]  # after the header
        published = [[_value(c) for c in row[1:]] for row in values if row[0] is not None]
        key = f"sgbv_{s.code.replace('-', '_')}"
        assert published[: len(grids[key])] == grids[key], key


def test_html_publishes_the_protected_tables(expected):
    _release, _shown, grids = expected
    with translation.override("en"):
        html = _report("html").decode()
    for key, grid in grids.items():
        table = re.search(rf'<caption id="table-{key}">.*?</table>', html, re.S)
        assert table, key
        rows = re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)[1:]
        published = [
            [_value(unescape(c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in rows
        ]
        assert published == grid, key


def test_the_pdf_shows_the_same_hidden_marks(expected):
    _release, shown, grids = expected
    with translation.override("en"):
        pdf = _report("pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    section = text[text.index(shown[0].title) :]
    for s in shown:
        assert s.title in section
    marks = sum(row.count("<") for grid in grids.values() for row in grid)
    crosses = sum(row.count("×") for grid in grids.values() for row in grid)
    assert len(re.findall(r"<\s*5", section)) >= marks and section.count("×") >= crosses
    assert marks and crosses
