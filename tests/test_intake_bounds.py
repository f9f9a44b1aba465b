"""Uploads that could take the server down are refused early, in bounded memory, with a
clear message that echoes at most an excerpt of a cell, and nothing is written (issue 9,
items 7, 10 and 11). The hostile files are built on the fly and are small on disk;
what is asserted does not depend on time: memory (tracemalloc's peak), messages,
where the reader stopped, and the database left untouched."""

import json
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from musow.activities.models import Activity
from musow.intake.importer import import_files
from musow.intake.report import report_lines
from musow.intake.views import MAX_WEB_ROWS
from tests import web_fixtures
from tests.intake_helpers import EN_HEADER, row, write_csv
from tests.web_fixtures import World, url
from tests.xlsx_builder import cells, long_text, write_workbook

world = web_fixtures.world

pytestmark = pytest.mark.django_db

MB = 1024**2


def measured(path, name: str, max_rows: int | None = MAX_WEB_ROWS):
    """The report of a check-only import with the upload page's limits, and the peak of
    memory it allocated."""
    tracemalloc.start()
    try:
        with translation.override("en"):
            report = import_files([(path, name)], dry_run=True, max_rows=max_rows)
            text = "\n".join(report_lines(report))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return report, text, peak


def refused(report, text: str, before: int = 0) -> str:
    assert not report.ok, text
    assert "Traceback" not in text
    assert Activity.objects.count() == before
    return text


def upload(world: World, role: str, path, name: str, lang: str = "en") -> str:
    data = {"file": SimpleUploadedFile(name, path.read_bytes()), "dry_run": "on"}
    response = world.client(role).post(url("intake:home", lang=lang), data)
    assert response.status_code == 200
    return response.content.decode()


# -- item 10: small files, huge memory ----------------------------------------------


def test_a_header_cell_of_40_mb_is_refused_without_being_read_into_memory(tmp_path):
    path = write_workbook(
        tmp_path / "a.xlsx",
        [
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>',
            *long_text(40_000_000),
            b"</t></is></c></row>",
            cells(2, row()),
        ],
    )
    assert path.stat().st_size < MB
    report, text, peak = measured(path, "registre.xlsx")
    refused(report, text)
    assert (
        "registre.xlsx, sheet Activities, row 1: a column header holds 40,000,000 characters; "
        "a header holds at most 1,000" in text
    )
    assert peak < 10 * MB
    assert len(text) < 1000


def test_a_data_cell_of_40_mb_is_reported_on_its_cell_as_an_excerpt(tmp_path):
    title = [b'<c r="C2" t="inlineStr"><is><t>', *long_text(40_000_000), b"</t></is></c>"]
    path = write_workbook(
        tmp_path / "a.xlsx",
        [cells(1, EN_HEADER), b'<row r="2"><c r="A2" t="inlineStr"><is><t>A-1</t></is></c>']
        + title
        + [b"</row>"],
    )
    report, text, peak = measured(path, "a.xlsx")
    refused(report, text)
    assert "row 2, column Title" in text
    assert "The cell holds 40,000,000 characters; at most 32,767 are accepted." in text
    assert peak < 10 * MB
    assert "x" * 81 not in text


def test_the_upload_page_echoes_an_excerpt_of_a_cell_never_the_cell(world, tmp_path):
    header = [*EN_HEADER, "y" * 900]  # an unknown column with a long (allowed) header
    title = [b'<c r="C2" t="inlineStr"><is><t>', *long_text(5_000_000), b"</t></is></c>"]
    path = write_workbook(
        tmp_path / "a.xlsx",
        [cells(1, header), b'<row r="2"><c r="A2" t="inlineStr"><is><t>G-1</t></is></c>']
        + title
        + [b"</row>"],
    )
    page = upload(world, "focal_point", path, "gao.xlsx")
    assert "The cell holds 5,000,000 characters" in page
    assert "x" * 81 not in page and "y" * 81 not in page
    assert len(page) < 100_000


def test_the_reported_file_a_400_mb_first_cell_is_refused_in_the_page_before_reading(
    world, tmp_path
):
    """The field trial's file: an XLSX of a few hundred KB whose first cell holds 400 MB,
    uploaded by a focal point, check only (it took 28 s, 4.1 GB and answered 419 MB)."""
    path = write_workbook(
        tmp_path / "a.xlsx",
        [
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>',
            *long_text(400_000_000, chunk=8 << 20),
            b"</t></is></c></row>",
        ],
    )
    assert path.stat().st_size < 2 * MB
    page = upload(world, "focal_point", path, "rapport-gao.xlsx")
    assert "rapport-gao.xlsx would unzip to 381 MB, more than the 191 MB" in page
    assert len(page) < 100_000 and "x" * 81 not in page


def test_shared_strings_beyond_the_limit_are_refused_in_bounded_memory(tmp_path):
    # The upload page's limits for 100 rows: 3 000 texts; the file holds 100 000.
    path = write_workbook(
        tmp_path / "a.xlsx",
        [cells(1, EN_HEADER), cells(2, row())],
        shared=(b"<si><t/></si>" * 1000 for _ in range(100)),
    )
    report, text, peak = measured(path, "a.xlsx", max_rows=100)
    refused(report, text)
    assert "a.xlsx holds more than 3,000 different texts" in text
    assert peak < 5 * MB


def test_a_workbook_that_unzips_beyond_the_limit_is_refused_before_reading(tmp_path):
    # The upload page's limits for 100 rows: 1.5 MB of XML; the file declares 20 MB.
    path = write_workbook(
        tmp_path / "a.xlsx",
        [cells(1, EN_HEADER), cells(2, row())],
        extra={"xl/media/image1.png": 20 * MB},
    )
    assert path.stat().st_size < MB
    report, text, peak = measured(path, "a.xlsx", max_rows=100)
    refused(report, text)
    assert "a.xlsx would unzip to 20 MB, more than the 1 MB a workbook may hold here" in text
    assert peak < 5 * MB


def test_a_kobo_json_of_a_million_empty_objects_is_refused_early(tmp_path):
    path = tmp_path / "kobo.json"
    path.write_bytes(b"[" + b"{}," * 1_000_000 + b"{}]")
    report, text, peak = measured(path, "kobo.json")
    refused(report, text)
    assert "kobo.json, sheet kobo.json: more than 40,100 rows" in text
    assert peak < 10 * MB


def test_a_kobo_json_nested_too_deep_is_refused(tmp_path):
    path = tmp_path / "kobo.json"
    path.write_text('[{"_uuid": "u", "a": ' + "[" * 100 + "]" * 100 + "}]", encoding="utf-8")
    report, text, _peak = measured(path, "kobo.json")
    assert "kobo.json nests values more than 32 levels deep" in refused(report, text)


def test_a_kobo_api_page_gives_its_count_and_next_page_and_reads_again(tmp_path):
    from musow.intake.readers import COMMAND_LIMITS, read_kobo_json

    path = tmp_path / "page.json"
    page = {
        "count": 3,
        "next": "https://kf.kobotoolbox.org/api/v2/assets/a1/data/?start=2",
        "previous": None,
        "results": [{"_uuid": "u1", "title": "x" * 40_000}, {"_uuid": "u2"}],
    }
    path.write_text(json.dumps(page), encoding="utf-8")
    stream = read_kobo_json(path, "page.json", COMMAND_LIMITS)
    assert stream.count == 3 and stream.next.endswith("?start=2") and stream.is_page
    first = list(stream)
    assert [s["_uuid"] for s in first] == ["u1", "u2"] == [s["_uuid"] for s in stream]
    assert first[0]["title"].length == 40_000  # too long: kept as its length, not its text
    # Written after its results, the page's count is known once they are read.
    path.write_text(json.dumps({"results": [{"_uuid": "u1"}], "count": 1}), encoding="utf-8")
    stream = read_kobo_json(path, "page.json", COMMAND_LIMITS)
    assert stream.count is None
    assert len(list(stream)) == 1 and stream.count == 1


# -- item 11: uploads that time out ---------------------------------------------------


def _empty_rows(first: int, count: int):
    for start in range(first, first + count, 10_000):
        end = min(start + 10_000, first + count)
        yield "".join(f'<row r="{n}"/>' for n in range(start, end)).encode()


def test_a_workbook_of_a_million_empty_rows_is_refused_early_in_the_page(world, tmp_path):
    path = write_workbook(
        tmp_path / "a.xlsx",
        [cells(1, EN_HEADER), cells(2, row("G-1", status="")), *_empty_rows(3, 1_000_000)],
    )
    assert path.stat().st_size < 5 * MB
    page = upload(world, "admin", path, "gao.xlsx")
    # Refused at the 40 101st row read, not after a million.
    assert "gao.xlsx, sheet Activities: more than 40,100 rows, empty rows included" in page


def test_rows_a_sheet_declares_but_does_not_hold_are_not_invented(tmp_path):
    path = write_workbook(
        tmp_path / "a.xlsx", [cells(1, EN_HEADER), cells(2, row())], dimension="A1:K6000000"
    )
    report, text, peak = measured(path, "a.xlsx")
    assert report.ok and report.rows == 1, text
    assert peak < 10 * MB


def test_a_one_line_csv_of_ten_million_columns_is_refused_before_it_is_split(world, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b";" * 10_000_000 + b"\r\n")
    before = Activity.objects.count()
    report, text, peak = measured(path, "wide.csv")
    refused(report, text, before)
    assert "wide.csv, row 1: the row is longer than 4,000,000 characters" in text
    assert peak < 40 * MB
    assert "wide.csv, row 1: the row is longer" in upload(world, "admin", path, "wide.csv")


def test_a_csv_row_of_more_columns_than_allowed_is_refused(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row()], header=[*EN_HEADER, *["x"] * 2000], tags=None)
    report, text, _peak = measured(path, "a.csv")
    assert "a.csv, sheet a.csv, row 1: more than 1,000 columns" in refused(report, text)


def test_a_csv_header_longer_than_a_label_is_refused(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row()], header=[*EN_HEADER, "h" * 2000], tags=None)
    report, text, _peak = measured(path, "a.csv")
    assert "a column header holds 2,000 characters" in refused(report, text)
    assert "h" * 81 not in text


# -- item 7: one encoding per file, and the user's file name ----------------------------


def test_a_utf8_file_with_one_windows_1252_row_is_refused_naming_that_row(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("A-1", title="Réunion à Tombouctou")])
    with open(path, "ab") as fh:
        fh.write(";".join(map(str, row("A-2", title="Séance à Gao"))).encode("cp1252"))
        fh.write(b"\r\n" + ";".join(map(str, row("A-3"))).encode("utf-8") + b"\r\n")
    report, text, _peak = measured(path, "gao.csv", max_rows=None)
    refused(report, text)
    assert "gao.csv is in UTF-8 except row 4, which is in another encoding" in text
    assert "Séance à Gao" in text  # the row shown as it was meant, to find it


@pytest.mark.parametrize(
    ("title", "encoding"),
    [("日本語の研修", "shift_jis"), ("東京会議", "shift_jis"), ("Привет, Гао", "cp1251")],
)
def test_a_file_in_another_encoding_is_refused_not_read_as_windows_1252(tmp_path, title, encoding):
    path = write_csv(
        tmp_path / "a.csv",
        [row("A-1", title="Conference"), row("A-2", title=title)],
        header=EN_HEADER,
        encoding=encoding,
    )
    report, text, _peak = measured(path, "a.csv", max_rows=None)
    refused(report, text)
    assert "a.csv, row 4: the text is neither UTF-8 nor Windows-1252" in text


def test_french_text_in_windows_1252_reads_exactly(tmp_path):
    title = "Séance à Gao – « créées » œuvre, 25 °C, Mme Traoré, ÉLÈVES, 10 € où ça ?"
    path = write_csv(tmp_path / "a.csv", [row("A-1", title=title)], encoding="cp1252")
    with translation.override("en"):
        report = import_files([(path, "a.csv")])
    assert report.ok, report_lines(report)
    assert Activity.objects.get().title == title


def test_read_errors_name_the_uploaded_file_not_the_temporary_one(world, tmp_path):
    path = tmp_path / "x.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    page = upload(world, "admin", path, "registre-gao.xls")
    assert "registre-gao.xls is an old Excel 97–2003 workbook" in page
    assert "upload" not in page.split('id="report"')[1]
    path = tmp_path / "x.json"
    path.write_text('[{"a": 1}, {"b"', encoding="utf-8")
    page = upload(world, "admin", path, "kobo-gao.json")
    assert "kobo-gao.json is not valid JSON" in page
    assert "upload" not in page.split('id="report"')[1]


def test_the_stream_reader_gives_the_values_openpyxl_gives(tmp_path):
    """The bounded XLSX reader replaces openpyxl's read-only mode for imports: on an
    ordinary workbook (shared and inline strings, rich text, numbers, booleans, dates by
    number format, the 1904 date system, formulas with their cached values, a gap of
    rows) it gives the same cells."""
    from datetime import datetime

    import xlsxwriter
    from openpyxl import load_workbook

    from musow.intake.readers import open_workbook

    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path), {"date_1904": True})
    sheet = book.add_worksheet("Activités")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["ID", "Date", "Nombre", "Vrai", "Texte"])
    sheet.write_string(1, 0, "A-1")
    sheet.write_datetime(1, 1, datetime(2014, 3, 8), day)  # noqa: DTZ001 - Excel's are naive
    sheet.write_number(1, 2, 12.0)
    sheet.write_boolean(1, 3, True)
    sheet.write_rich_string(1, 4, "Séance ", book.add_format({"bold": True}), "à Gao")
    sheet.write_formula(4, 0, "=1+2", None, 3)
    sheet.write_string(4, 4, "x\ny")
    book.close()
    ours = open_workbook(path).tables[0]
    theirs = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    expected = [list(r) for r in theirs.iter_rows(values_only=True)]
    assert ours.header == expected[0]
    got = list(ours.rows)
    assert [n for n, _cells in got] == [2, 5]
    for number, values in got:
        assert values == list(expected[number - 1])[: len(values)]
        assert all(v is None for v in expected[number - 1][len(values) :])
    assert got[0][1][1] == datetime(2014, 3, 8)  # noqa: DTZ001


def test_a_long_value_in_a_list_of_choices_is_echoed_as_an_excerpt(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row(themes="gbv, " + "z" * 5000)])
    report, text, _peak = measured(path, "a.csv")
    refused(report, text)
    assert "“zzzz" in text and "z" * 81 not in text


def test_a_kobo_json_text_of_megabytes_is_refused_before_the_parser_holds_it(tmp_path):
    path = tmp_path / "kobo.json"
    with open(path, "wb") as fh:
        fh.write(b'[{"_uuid": "u1", "title": "ok"}, {"_uuid": "u2", "title": "')
        fh.write(b"x" * 5_000_000)
        fh.write(b'"}]')
    report, text, peak = measured(path, "kobo.json")
    refused(report, text)
    assert "kobo.json, submission 2: a text is longer than 32,767 characters" in text
    assert peak < 4 * MB


def test_escaped_quotes_and_long_texts_within_the_limit_are_read(tmp_path):
    from musow.intake.readers import COMMAND_LIMITS, read_kobo_json

    path = tmp_path / "kobo.json"
    texts = ['dit \\"oui\\" \\\\', "é" * 32_767, "\\u00e9" * 32_767]
    body = ", ".join(f'{{"_uuid": "u{i}", "title": "{t}"}}' for i, t in enumerate(texts))
    path.write_text(f"[{body}]", encoding="utf-8")
    titles = [s["title"] for s in read_kobo_json(path, "kobo.json", COMMAND_LIMITS)]
    assert titles == ['dit "oui" \\', "é" * 32_767, "é" * 32_767]


def test_a_workbook_that_lies_about_its_unzipped_size_is_refused(tmp_path):
    """The archive says the sheet unzips to 1 KB; it unzips to 15 MB. Reading stops at
    the declared size (the bytes really unzipped are what is counted), and the file is
    refused as damaged, in bounded memory."""
    import struct
    import zipfile

    path = write_workbook(
        tmp_path / "a.xlsx", [cells(1, EN_HEADER), cells(2, row()), *_empty_rows(3, 1_000_000)]
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 15 * MB
    central = data.find(b"PK\x01\x02")  # the central directory's entries
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        name = bytes(data[central + 46 : central + 46 + name_length])
        if name == b"xl/worksheets/sheet1.xml":
            if struct.unpack_from("<I", data, central + 24)[0] == 0xFFFFFFFF:
                pytest.skip("a ZIP64 entry")
            struct.pack_into("<I", data, central + 24, 1024)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    report, text, peak = measured(path, "a.xlsx")
    refused(report, text)
    assert "The file a.xlsx is not a readable Excel workbook (.xlsx)." in text
    assert peak < 10 * MB
