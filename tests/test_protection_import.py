"""Providers' months by template: CSV or XLSX, French or English headers, an HXL row; all
or nothing; the same file again changes nothing; the command line does the same."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from musow.protection.imports import template_csv, template_header
from musow.protection.models import ProviderReport
from tests.protection_helpers import agreement, officer, provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def centre():
    org = provider("centre-gao", "ML07")
    agreement(org)
    return org


ROWS = [
    ["centre-gao", "ML07", "2025-03", "total", "", "", "", 3],
    ["centre-gao", "ML07", "2025-03", "incidents", "rape", "f", "18-59", 2],
    ["centre-gao", "ML07", "2025-03", "incidents", "physical_assault", "m", "12-17", 1],
    ["centre-gao", "ML07", "2025-03", "delays", "0-72h", "", "", 3],
    ["centre-gao", "ML07", "2025-03", "referrals", "legal", "", "", 1],
    ["centre-gao", "ML07", "2025-03", "justice", "complaints", "", "", 2],
    ["centre-gao", "ML07", "2025-04", "total", "", "", "", 0],
]


def _csv(tmp_path: Path, rows, lang: str = "fr") -> Path:
    sep = ";" if lang == "fr" else ","
    text = template_csv(lang) + "".join(sep.join(map(str, r)) + "\r\n" for r in rows)
    path = tmp_path / "mois.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _xlsx(tmp_path: Path, rows) -> Path:
    book = Workbook()
    sheet = book.active
    header, tags = template_header("en")
    for row in [header, tags, *rows]:
        sheet.append(row)
    path = tmp_path / "months.xlsx"
    book.save(path)
    return path


def test_a_csv_template_in_french_loads_and_loading_it_again_changes_nothing(centre, tmp_path):
    path = _csv(tmp_path, ROWS)
    out = io.StringIO()
    call_command(
        "sgbv", "import", str(path), "--user", officer().username, "--lang", "en", stdout=out
    )
    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()
    march = ProviderReport.objects.get(month="2025-03-01")
    assert march.incidents == 3 and march.complaints == 2
    out = io.StringIO()
    call_command("sgbv", "import", str(path), "--lang", "en", stdout=out)
    assert "0 created, 0 updated, 2 unchanged" in out.getvalue()


def test_an_xlsx_template_in_english_loads(centre, tmp_path):
    call_command("sgbv", "import", str(_xlsx(tmp_path, ROWS)), "--lang", "en", stdout=io.StringIO())
    assert ProviderReport.objects.count() == 2


def test_a_file_with_problems_writes_nothing_and_says_each_one(centre, tmp_path):
    rows = [
        *ROWS,
        ["centre-gao", "ML07", "2025-05", "total", "", "", "", 4],  # breakdown missing
        ["centre-gao", "ML07", "2025-13", "total", "", "", "", 1],
        ["nobody", "ML07", "2025-03", "total", "", "", "", 1],
        ["centre-gao", "ML07", "2025-03", "justice", "convictions", "", "", 5],
    ]
    with pytest.raises(CommandError) as error:
        call_command("sgbv", "import", str(_csv(tmp_path, rows, "en")), "--lang", "en")
    message = str(error.value)
    assert "Row 11: the month is written YYYY-MM" in message  # rows 1-2: the headers
    assert "Row 12: unknown provider “nobody”" in message
    assert "2025-05: The incidents by type, sex and age band add up to 0, not to the 4" in message
    assert "2025-03: The justice chain cannot grow" in message
    assert ProviderReport.objects.count() == 0


def test_month_checks_are_said_per_month_when_the_rows_are_readable(centre, tmp_path):
    rows = [*ROWS, ["centre-gao", "ML07", "2025-03", "justice", "convictions", "", "", 5]]
    with pytest.raises(CommandError) as error:
        call_command("sgbv", "import", str(_csv(tmp_path, rows)), "--lang", "en")
    assert "centre-gao ML07 2025-03: The justice chain cannot grow" in str(error.value)
    assert ProviderReport.objects.count() == 0


def test_the_templates_have_both_header_rows(tmp_path):
    for lang, first in (("fr", "prestataire;lieu;mois"), ("en", "provider,place,month")):
        text = template_csv(lang)
        assert text.lstrip("\ufeff").startswith(first) and "#org+code" in text
    call_command(
        "sgbv",
        "template",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "t.xlsx"),
        stdout=io.StringIO(),
    )
    assert (tmp_path / "t.xlsx").stat().st_size > 1000


def test_the_tables_command_is_protected_unless_the_user_may_see_them_whole(demo_reports):
    from musow.audit.models import Entry

    out = io.StringIO()
    call_command("sgbv", "tables", "--period", "2014-03", "--lang", "en", stdout=out)
    assert "< 5" in out.getvalue() and "cells hidden" in out.getvalue()
    assert not Entry.objects.filter(action="view_whole").exists()
    out = io.StringIO()
    user = officer()
    call_command("sgbv", "tables", "--period", "2014-03", "--user", user.username, stdout=out)
    assert "< 5" not in out.getvalue()
    assert Entry.objects.get(action="view_whole").actor == user
