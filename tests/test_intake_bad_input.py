"""Bad input to `musow import` never ends in a traceback: a clear message, nothing written.
The readers are fuzzed with random bytes and random well-formed-but-wrong sheets."""

import csv
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.activities.models import Activity
from musow.intake.columns import SHEETS
from musow.intake.importer import import_files
from musow.intake.readers import OLE_MAGIC
from musow.intake.report import MAX_PROBLEMS_PER_SHEET, ImportReport
from tests.intake_helpers import EN_HEADER, row, run_import, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def refused(path: Path, *args) -> str:
    ok, message = run_import(path, *args)
    assert not ok, message
    assert "Traceback" not in message
    assert Activity.objects.count() == 0
    return message


def test_an_empty_file(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"")
    assert "The file a.csv is empty" in refused(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_bytes(b" \r\n\r\n")
    assert "The file b.csv is empty" in refused(tmp_path / "b.csv")


def test_a_file_that_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert "photo.xlsx is not a spreadsheet" in refused(path)


def test_a_zip_that_is_not_a_workbook_and_a_damaged_workbook(tmp_path):
    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an Excel workbook" in refused(tmp_path / "a.xlsx")
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    assert "not a readable Excel workbook" in refused(tmp_path / "b.xlsx")


def test_a_password_protected_workbook(tmp_path):
    # An encrypted XLSX is an OLE compound file holding an "EncryptedPackage" stream.
    path = tmp_path / "secret.xlsx"
    body = bytearray(4096)
    marker = "EncryptedPackage".encode("utf-16-le")
    body[1024 : 1024 + len(marker)] = marker
    path.write_bytes(OLE_MAGIC + bytes(body))
    assert "protected by a password" in refused(path)


def test_an_old_xls_workbook(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE_MAGIC + bytes(4096))
    assert "old Excel 97–2003 workbook" in refused(path)


def test_a_100_mb_cell(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as fh:
        fh.write((";".join(EN_HEADER) + "\r\n").encode())
        fh.write(b"A-1;conference;")
        fh.write(b"x" * 100_000_000)
        fh.write(b";2014-11-26;;Gao;gbv;general-public;1;1;draft\r\n")
    message = refused(path)
    assert "big.csv, row 2: the row is longer than 4,000,000 characters" in message


def test_an_overlong_cell_in_a_workbook_is_refused_with_its_length(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"Activities": [EN_HEADER, row(title="x" * 40_000)]})
    assert "At most 300 characters (this one has 32767)" in refused(path)


def test_a_million_rows_are_read_as_a_stream(tmp_path):
    """One activity and a million empty trailing rows, as a careless export leaves them."""
    path = write_csv(tmp_path / "a.csv", [row("A-1")])
    with open(path, "ab") as fh:
        fh.write(b";;;;;;;;;;\r\n" * 1_000_000)
    ok, out = run_import(path)
    assert ok and "1 created" in out


def test_problems_beyond_the_limit_are_counted_not_listed(tmp_path):
    rows = [row(f"A-{i}", f=-1) for i in range(MAX_PROBLEMS_PER_SHEET + 20)]
    message = refused(write_csv(tmp_path / "a.csv", rows))
    assert f"Nothing was written: {MAX_PROBLEMS_PER_SHEET + 20} problem(s)" in message
    assert "… and 20 more problems on this sheet." in message


def test_a_header_without_data_rows(tmp_path):
    path = write_csv(tmp_path / "a.csv", [])
    assert "no data rows" in refused(path)


def test_a_table_that_is_not_the_template(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("nom,age\nAminata,30\n", encoding="utf-8")
    assert "No sheet of activities found" in refused(path)


def test_a_missing_required_column_is_named(tmp_path):
    header = [h for h in EN_HEADER if h != "Start date"]
    cells = row()
    del cells[3]
    message = refused(write_csv(tmp_path / "a.csv", [cells], header=header, tags=None))
    assert "The column “Start date” (#date+start) is missing" in message


def test_a_json_file_that_is_not_a_list_of_submissions(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    assert "list of submissions" in refused(path)
    path.write_text("[1, 2]", encoding="utf-8")
    assert "list of submissions" in refused(path)
    path.write_text('[{"a": 1}, {"b"', encoding="utf-8")
    assert "a.json is not valid JSON" in refused(path)


def test_a_count_too_large_for_the_database(tmp_path):
    message = refused(write_csv(tmp_path / "a.csv", [row(f=3_000_000_000)]))
    assert "is too large" in message


# --- fuzzing -----------------------------------------------------------------------------

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _import(data: bytes, suffix: str) -> ImportReport:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        return import_files([path], dry_run=True)


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".xlsx", ".json"]))
def test_random_bytes_get_a_report_not_a_traceback(data, suffix):
    report = _import(data, suffix)
    assert isinstance(report, ImportReport)
    assert Activity.objects.count() == 0


@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_behind_a_zip_header_get_a_report(data):
    assert isinstance(_import(b"PK\x03\x04" + data, ".xlsx"), ImportReport)


HEADERS = sorted(
    {c.fr for cs in SHEETS.values() for c in cs} | {c.hxl for c in SHEETS["activities"]}
)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30
) | st.sampled_from(
    ["=1+1", "-5", "31/02/2014", "ML99", "Gao", "conference", "1e9", "uuid:x", "Ségou", "0"]
)
CELL = (
    TEXT
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=True, allow_infinity=False)
    | st.dates(min_value=date(1900, 1, 1))
    | st.datetimes(min_value=datetime(1900, 1, 1))  # noqa: DTZ001 - naive, as Excel stores them
    | st.none()
)


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=12),
    rows=st.lists(st.lists(CELL, max_size=14), max_size=8),
    as_xlsx=st.booleans(),
    title=st.sampled_from(["Activités", "Participation", "Présence", "Feuil1"]),
)
def test_random_sheets_in_the_templates_words_get_a_report(header, rows, as_xlsx, title):
    with tempfile.TemporaryDirectory() as folder:
        if as_xlsx:
            path = write_xlsx(Path(folder) / "f.xlsx", {title: [header, *rows]})
        else:
            path = Path(folder) / "f.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, delimiter=";")
                writer.writerow(header)
                writer.writerows([["" if c is None else c for c in r] for r in rows])
        report = import_files([path], dry_run=True)
    assert isinstance(report, ImportReport)
    assert all(str(p) for p in report.problems)
