"""What French LibreOffice (and so French Excel) does to the spreadsheets musow writes
(issue 18): exports saved again import unchanged, campaign codes included; a template
filled and saved imports; the French CSV report's numbers are numbers; every workbook
prints with its headers whole. Skipped, with the reason, where LibreOffice is absent."""

import io
import subprocess
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from musow.activities.models import Activity, Campaign
from musow.demo.load import demo_load
from musow.intake.templates import write_xlsx
from tests.intake_helpers import run_import
from tests.libreoffice import CSV_FR_IN, CSV_FR_OUT, convert, needs_libreoffice

pytestmark = [pytest.mark.django_db, needs_libreoffice]


def _demo_with_a_date_like_code() -> int:
    """The demo data, with a campaign code made before codes were checked that French
    spreadsheets read as a date (the demo's own was 8-mars-2014)."""
    demo_load()
    Campaign.objects.filter(code="journee-femmes-2014").update(code="8-mars-2014")
    return Activity.objects.count()


def test_a_csv_export_saved_by_french_libreoffice_imports_unchanged(tmp_path):
    count = _demo_with_a_date_like_code()
    folder = tmp_path / "export"
    call_command(
        "export", "--format", "csv", "--lang", "fr", "--out", str(folder), stdout=StringIO()
    )
    saved = convert(
        sorted(folder.glob("*.csv")), CSV_FR_OUT, tmp_path / "saved", infilter=CSV_FR_IN
    )
    text = (tmp_path / "saved" / "campaigns.csv").read_text(encoding="utf-8")
    assert "8-mars-2014" not in text and "08/03/14" in text  # LibreOffice made it a date
    ok, out = run_import(*saved)
    assert ok, out
    assert f"0 created, 0 updated, {count} unchanged" in out
    assert Campaign.objects.filter(code__contains="/").count() == 0


def test_an_xlsx_export_saved_by_libreoffice_imports_unchanged(tmp_path):
    count = _demo_with_a_date_like_code()
    path = tmp_path / "export.xlsx"
    call_command("export", "--lang", "fr", "--out", str(path), stdout=StringIO())
    (saved,) = convert(path, "xlsx", tmp_path / "saved")
    ok, out = run_import(saved)
    assert ok, out
    assert f"0 created, 0 updated, {count} unchanged" in out


def test_a_template_filled_and_saved_by_libreoffice_imports(tmp_path):
    path = tmp_path / "modele.xlsx"
    write_xlsx(path, lang="fr")
    book = load_workbook(path)
    sheet = book["Activités"]
    column = {c.value: c.column for c in sheet[1]}
    for r, key in ((3, "LO-1"), (4, "LO-2")):
        values = {
            "Identifiant": key,
            "Type d'activité": "conference",
            "Titre": f"Conférence {key}",
            "Date de début": date(2014, 11, 26),
            "Région": "Gao",
            "Public": "general-public",
            "Femmes (18 ans et plus)": 30,
            "Hommes (18 ans et plus)": 20,
        }
        for header, value in values.items():
            sheet.cell(r, column[header], value)
    book.save(path)
    (saved,) = convert(path, "xlsx", tmp_path / "saved")
    again = load_workbook(saved)["Activités"]
    campaign = next(c.column_letter for c in again[1] if c.value == "Campagne")
    assert again.column_dimensions[campaign].number_format == "@"  # typed codes stay text
    ok, out = run_import(saved, lang="en")
    assert ok, out
    assert "2 created" in out and "0 rejected" in out


def test_the_french_csv_report_opens_as_numbers_in_a_french_spreadsheet(tmp_path):
    from musow.reports.services import report_build, report_render, report_request

    demo_load()
    wanted = report_request(period="2014", scope=None, fmt="csv-sheet", lang="fr")
    path = tmp_path / "rapport.csv"
    path.write_bytes(report_render(report_build(wanted), "csv-sheet"))
    (saved,) = convert(path, "xlsx", tmp_path / "saved", infilter=CSV_FR_IN)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("du", "au", "périmètre")
    assert isinstance(rows[1][0], datetime)  # the period's first day: a date
    shares = [r[-1] for r in rows[1:] if r[7] == "share_women"]
    assert shares and all(isinstance(s, int | float) and 0 <= s <= 1 for s in shares)
    assert any(isinstance(s, float) for s in shares)  # "0,64" read as 0.64, not text
    counts = [r[-1] for r in rows[1:] if r[7] == "participants"]
    assert counts and all(isinstance(c, int | float) for c in counts)


def _pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    return " ".join(done.stdout.split())


def _header_words(book_bytes: bytes, header_row: dict[str, int]) -> set[str]:
    book = load_workbook(io.BytesIO(book_bytes), read_only=True)
    words: set[str] = set()
    for name, row in header_row.items():
        for cells in book[name].iter_rows(min_row=row, max_row=row, values_only=True):
            for cell in cells:
                words.update(str(cell).split() if cell else ())
    return words


def test_the_workbooks_print_with_their_headers_whole(tmp_path):
    from musow.reports.services import report_build, report_render, report_request

    demo_load()
    report = report_render(
        report_build(report_request(period="2014", scope=None, fmt="xlsx", lang="fr")), "xlsx"
    )
    template = tmp_path / "modele.xlsx"
    write_xlsx(template, lang="fr")
    export = tmp_path / "export.xlsx"
    call_command("export", "--lang", "fr", "--out", str(export), stdout=StringIO())
    (tmp_path / "rapport.xlsx").write_bytes(report)
    pdfs = convert([tmp_path / "rapport.xlsx", template, export], "pdf", tmp_path / "pdf")
    printed = {p.stem: _pdf_text(p) for p in pdfs}
    summary = load_workbook(io.BytesIO(report), read_only=True)["Synthèse"]
    sentences = [r[1] for r in summary.iter_rows(min_row=12, values_only=True) if r[1]]
    assert len(sentences) >= 8
    expected = {
        "rapport": _header_words(report, {"Cadre de résultats": 5, "Par âge et sexe": 5})
        | {w for sentence in sentences for w in str(sentence).split()},
        "modele": _header_words(template.read_bytes(), {"Activités": 1}),
        "export": _header_words(export.read_bytes(), {"Activités": 1}),
    }
    for stem, words in expected.items():
        missing = {w for w in words if w not in printed[stem]}
        assert not missing, (stem, missing)
        assert "###" not in printed[stem]
    assert "valeur de référence" in printed["rapport"]
    assert "Sexe non noté (moins de 18 ans)" in printed["modele"]
