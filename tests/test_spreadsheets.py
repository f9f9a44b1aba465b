"""Spreadsheets that survive the spreadsheet program (issue 18) and the XLSX report
(issue 15, item 13): codes never look like dates or numbers, a code that came back as a
date is recognised or explained, the templates keep code columns as text and print
legibly, the report's workbook has short whole sheet names, titles, frozen filtered
headers, real dates and a localised time of production, and the French CSV is a French
CSV. (tests/test_spreadsheets_libreoffice.py checks the same files in LibreOffice.)"""

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from musow.activities.models import Activity, Campaign, CampaignSeries, Project
from musow.intake.templates import write_xlsx
from musow.lib.spreadsheet import misread, spreadsheet_dates
from musow.reports.xlsx import MAX_SHEET_NAME, sheet_name
from tests.intake_helpers import FR_HEADER, TAGS, row, run_import, write_csv
from tests.intake_helpers import write_xlsx as write_book

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "dates"),
    [
        ("8-mars-2014", {(2014, 3, 8)}),
        ("mars-2014", {(2014, 3, 1)}),
        ("25-nov", {(None, 11, 25)}),
        ("2014-03-08T00:00:00", {(2014, 3, 8)}),
        ("03/08/14", {(2014, 3, 8), (2014, 8, 3)}),
        ("08/03/2014", {(2014, 3, 8), (2014, 8, 3)}),
        ("journee-femmes-2014", set()),
        ("16-jours-2014", set()),
        ("2014-8-mars-bko", set()),
        ("ML07", set()),
    ],
)
def test_it_knows_which_codes_a_spreadsheet_reads_as_dates(code, dates):
    assert spreadsheet_dates(code) == dates


@pytest.mark.parametrize("code", ["8-mars-2014", "mars-2014", "1325", "007", "1E5", "0,64"])
def test_it_refuses_a_code_a_spreadsheet_would_change(code):
    assert misread(code)
    series = CampaignSeries.objects.first()
    campaign = Campaign(
        code=code,
        series=series,
        name_fr="x",
        name_en="x",
        start_date=date(2014, 3, 1),
        end_date=date(2014, 3, 8),
    )
    with pytest.raises(ValidationError) as caught:
        campaign.full_clean()
    assert "tableur" in str(caught.value) or "spreadsheet" in str(caught.value)
    with pytest.raises(ValidationError):
        Project(code=code, name_fr="x", name_en="x").full_clean()


@pytest.mark.parametrize("code", ["journee-femmes-2014", "16-jours-2014", "jpo-1325-2014"])
def test_it_accepts_codes_that_stay_text(code):
    assert not misread(code)


def _legacy_campaign(code: str = "8-mars-2014") -> Campaign:
    """A campaign whose code was made before codes were checked (as the demo's was)."""
    return Campaign.objects.create(
        code=code,
        series=CampaignSeries.objects.first(),
        name_fr="Journée internationale des droits des femmes 2014",
        name_en="International Women's Day 2014",
        start_date=date(2014, 3, 1),
        end_date=date(2014, 3, 8),
    )


HEADER = [*FR_HEADER, "Campagne"]
HEADER_TAGS = [*TAGS, "#activity+campaign"]


@pytest.mark.parametrize("cell", ["03/08/14", "08/03/2014", "2014-03-08", "8-mars-2014"])
def test_a_campaign_code_that_came_back_as_a_date_in_a_csv_is_recognised(tmp_path, cell):
    campaign = _legacy_campaign()
    path = write_csv(
        tmp_path / "a.csv",
        [[*row("D-1", start="2014-03-07"), cell]],
        header=HEADER,
        tags=HEADER_TAGS,
    )
    ok, out = run_import(path)
    assert ok, out
    assert Activity.objects.get(source_key="D-1").campaign == campaign


def test_a_campaign_code_typed_as_a_date_in_a_workbook_is_recognised(tmp_path):
    campaign = _legacy_campaign()
    path = write_book(
        tmp_path / "a.xlsx",
        {
            "Activités": [
                HEADER,
                HEADER_TAGS,
                [*row("D-2", start="2014-03-07"), date(2014, 3, 8)],
            ]
        },
    )
    ok, out = run_import(path)
    assert ok, out
    assert Activity.objects.get(source_key="D-2").campaign == campaign


def test_a_date_that_names_no_campaign_says_why_in_the_users_language(tmp_path):
    _legacy_campaign()
    path = write_book(
        tmp_path / "a.xlsx",
        {
            "Activités": [
                HEADER,
                HEADER_TAGS,
                [*row("D-3", start="2014-03-07"), date(2014, 5, 1)],
            ]
        },
    )
    ok, out = run_import(path, lang="fr")
    assert not ok
    assert "« 2014-05-01 » est une date, pas un code" in out
    assert "format Texte" in out
    ok, out = run_import(path, lang="en")
    assert "“2014-05-01” is a date, not a code" in out


def test_two_codes_that_read_as_the_same_date_are_not_guessed(tmp_path):
    _legacy_campaign("8-mars-2014")
    _legacy_campaign("8-march-2014")
    path = write_csv(
        tmp_path / "a.csv",
        [[*row("D-4", start="2014-03-07"), "08/03/2014"]],
        header=HEADER,
        tags=HEADER_TAGS,
    )
    ok, out = run_import(path)
    assert not ok and "8-march-2014, 8-mars-2014" in out


# --- the templates ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_template_keeps_code_columns_as_text_and_prints_legibly(tmp_path, lang):
    path = tmp_path / "modele.xlsx"
    write_xlsx(path, lang=lang)
    book = load_workbook(path)
    sheet = book["Activités" if lang == "fr" else "Activities"]
    headers = {c.value: c for c in sheet[1]}
    campaign = headers["Campagne" if lang == "fr" else "Campaign"]
    start = headers["Date de début" if lang == "fr" else "Start date"]
    assert sheet.column_dimensions[campaign.column_letter].number_format == "@"
    assert sheet.column_dimensions["A"].number_format == "@"  # the ID
    assert sheet.column_dimensions[start.column_letter].number_format != "@"
    assert campaign.font.b and campaign.font.name == "Calibri"  # never a serif fallback
    assert campaign.alignment.wrap_text
    for cell in sheet[1]:
        assert sheet.column_dimensions[cell.column_letter].width >= 10
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    lists = book["Listes" if lang == "fr" else "Lists"]
    names = [c.value for c in lists[1]]
    assert ("Type d'activité" if lang == "fr" else "Activity type") in names
    assert "activity_type" not in names
    instructions = book["Instructions"]
    assert instructions.column_dimensions["E"].width >= 50
    assert instructions.merged_cells.ranges  # the paragraphs span the page


# --- the XLSX report ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "name"),
    [
        ("Activités et participants par région", "Activités et participants par"),
        ("Media reach (estimated audience, not added)", "Media reach"),
        ("Campagne 16-jours-contre-la-violence-basee-sur-le-genre-2014", "Campagne"),
        ("Data: [x]", "Data x"),
    ],
)
def test_sheet_names_are_short_whole_words_and_balanced(wanted, name):
    got = sheet_name(wanted, set())
    assert len(got) <= MAX_SHEET_NAME
    assert got.startswith(name)
    assert got.count("(") == got.count(")")
    assert wanted.startswith(got) or got == name


def test_sheet_names_stay_unique():
    used: set[str] = set()
    names = [sheet_name("Par région", used) for _ in range(3)]
    assert names == ["Par région", "Par région (2)", "Par région (3)"]


def _report_book(lang: str):
    from musow.demo.load import demo_load
    from musow.reports.services import report_build, report_render, report_request

    demo_load()
    wanted = report_request(period="2014", scope=None, fmt="xlsx", lang=lang)
    content = report_render(report_build(wanted), "xlsx")
    return load_workbook(io.BytesIO(content))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_xlsx_report_reads_filters_and_prints(lang):
    book = _report_book(lang)
    names = book.sheetnames
    assert len(set(n.lower() for n in names)) == len(names)
    assert all(len(n) <= MAX_SHEET_NAME for n in names)
    fr = lang == "fr"
    assert names[:3] == (
        ["Synthèse", "Cadre de résultats", "Par type"]
        if fr
        else ["Summary", "Results framework", "By type"]
    )
    assert ("Campagne journee-femmes-2014" if fr else "Campaign journee-femmes-2014") in names
    region = book["Par région" if fr else "By region"]
    assert region["A1"].value == (
        "Activités et participants par région" if fr else "Activities and reach by region"
    )
    produced = region["A3"].value
    assert produced.startswith("Produit le " if fr else "Generated ")
    assert "T" not in produced.split(" ", 2)[-1] and "+00:00" not in produced
    assert region.freeze_panes == "A6"
    assert region.auto_filter.ref.startswith("A5:")
    assert region.print_title_rows == "$5:$5"
    assert int(region.page_setup.paperSize) == 9
    month = book["Par mois" if fr else "By month"]
    headers = [c.value for c in month[5] if c.value]
    assert len(headers) == len(set(headers)), headers  # no "mois, mois"
    annex = book["Annexe" if fr else "Annex"]
    assert isinstance(annex["B6"].value, datetime)
    assert annex["B6"].number_format == ("dd/mm/yyyy" if fr else "d mmm yyyy")
    assert annex.page_setup.orientation == "landscape"
    origins = [r[9] for r in annex.iter_rows(min_row=6, values_only=True)]
    assert origins and all(origins)
    summary = book["Synthèse" if fr else "Summary"]
    values = {r[0]: r[1] for r in summary.iter_rows(min_row=5, max_row=10, values_only=True)}
    assert values["Du" if fr else "From"].date() == date(2014, 1, 1)
    assert isinstance(values["Produit le" if fr else "Generated"], datetime)
    framework = book["Cadre de résultats" if fr else "Results framework"]
    change = [r[7] for r in framework.iter_rows(min_row=6, values_only=True) if r[0]]
    assert change and set(change) == {"n.d." if fr else "n/a"}  # no 2013 data


def test_the_french_spreadsheet_csv_is_a_french_csv():
    from musow.demo.load import demo_load
    from musow.reports.services import report_build, report_render, report_request

    demo_load()
    wanted = report_request(period="2014", scope=None, fmt="csv-sheet", lang="fr")
    content = report_render(report_build(wanted), "csv-sheet")
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("du;au;p")
    assert "\n" not in text.replace("\r\n", "")
    shares = [line.split(";")[-1] for line in lines if ";share_women;" in line]
    assert shares and all("." not in s and 0 <= float(s.replace(",", ".")) <= 1 for s in shares)
    assert any(s.startswith("0,") for s in shares)
    assert not any("#" in line.split(";")[0] for line in lines)
    english = report_render(
        report_build(report_request(period="2014", scope=None, fmt="csv-sheet", lang="en")),
        "csv-sheet",
    ).decode("utf-8-sig")
    assert english.startswith("from,to,scope,")
