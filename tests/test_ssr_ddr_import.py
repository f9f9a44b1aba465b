"""DDR, recruitment and CVR figures from a CSV or XLSX template (French or English headers,
an HXL row), through `musow ddr_import`: all or nothing, each problem said, and loading
the same file again changes nothing."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from musow.audit.models import Entry
from musow.security.models import Report, ReportCount

pytestmark = pytest.mark.django_db

FR = (
    "programme;lieu;du;au;force;étape;sexe;tranche d'âge;nombre;source\r\n"
    "#indicator+programme;#adm1+code;#date+start;#date+end;#org+force;#indicator+stage;"
    "#group+sex;#group+age;#affected+num;#meta+source\r\n"
)
ROWS = [
    "ddr;ML07;2016-01-01;2016-06-30;;ddr-registered;f;18-plus;12;Rapport CNDDR",
    "ddr;ML07;2016-01-01;2016-06-30;;ddr-registered;m;18-plus;40;Rapport CNDDR",
    "ddr;ML07;2016-01-01;2016-06-30;;ddr-demobilised;f;18-plus;10;Rapport CNDDR",
    "recruitment;ML06;01/01/2016;31/12/2016;gendarmerie;recruited;f;18-plus;7;Arrêté",
]


def _file(tmp_path, rows, header=FR, name="ddr.csv"):
    path = tmp_path / name
    path.write_text("\ufeff" + header + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    return str(path)


def test_it_imports_a_french_csv_with_its_hxl_row_and_again_changes_nothing(tmp_path, capsys):
    path = _file(tmp_path, ROWS)
    call_command("ddr_import", path, "--lang", "en")
    assert "2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Report.objects.count() == 2 and ReportCount.objects.count() == 4
    assert Report.objects.get(programme="recruitment").force.code == "gendarmerie"
    entries = Entry.objects.count()
    call_command("ddr_import", path, "--lang", "en")
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert Entry.objects.count() == entries
    changed = [ROWS[0].replace(";12;", ";13;"), *ROWS[1:]]
    call_command("ddr_import", _file(tmp_path, changed, name="b.csv"), "--lang", "en")
    assert "0 created, 1 updated, 1 unchanged" in capsys.readouterr().out


def test_it_writes_nothing_when_any_row_is_wrong_and_says_each_problem(tmp_path):
    bad = [
        *ROWS,
        "ddr;ML07;2016-01-01;2016-06-30;;ddr-reintegrated;f;18-plus;11;Rapport CNDDR",
        "ddr;ML99;2016-01-01;2016-06-30;;ddr-registered;f;18-plus;1;Rapport",
        "ddr;ML06;2016-01-01;2016-06-30;;ddr-enrolled;f;18-plus;-1;Rapport",
    ]
    with pytest.raises(CommandError) as error:
        call_command("ddr_import", _file(tmp_path, bad), "--lang", "en")
    text = str(error.value)
    assert "Nothing was imported" in text
    assert "Row 8: unknown P-code “ML99”." in text
    assert "Reintegrated (DDR) (11) cannot be more than Demobilised (DDR) (10)" in text
    assert "Unknown stage “ddr-enrolled” for this programme." in text
    assert not Report.objects.exists() and not ReportCount.objects.exists()


def test_the_templates_have_french_and_english_headers_and_the_hxl_row(tmp_path):
    out = tmp_path / "modele.xlsx"
    call_command("ddr_import", "--template", "fr", "--format", "xlsx", "--output", str(out))
    sheet = load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("programme", "lieu", "du") and rows[1][1] == "#adm1+code"
    csv_out = tmp_path / "template.csv"
    call_command("ddr_import", "--template", "en", "--format", "csv", "--output", str(csv_out))
    assert csv_out.read_text(encoding="utf-8-sig").startswith("programme,place,from,to,force")
