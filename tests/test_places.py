"""`musow places load|list`: deeper levels from OCHA P-coded gazetteer tables."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext

from musow.geo.models import Gazetteer, Place
from musow.geo.services import SHIPPED_GAZETTEER

DATA = Path(__file__).parent / "data"
ADM2 = DATA / "mali_adm2_ocha.csv"
ADM3_OLDER = DATA / "mali_adm3_older.csv"


def places(*args: str) -> str:
    out = StringIO()
    call_command("places", *args, stdout=out)
    return out.getvalue()


def load(path: Path | str, *args: str) -> str:
    return places("load", str(path), *args)


def snapshot() -> list[tuple]:
    return list(
        Place.objects.order_by("pk").values_list(
            "pk", "gazetteer_id", "pcode", "level", "parent_id", "region_id", "name_fr", "name_en"
        )
    )


def write(tmp_path: Path, text: str, name: str = "table.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def refused(path: Path | str, *args: str) -> str:
    """The load fails with a CommandError and writes nothing; its message."""
    before = snapshot()
    with pytest.raises(CommandError) as failure:
        load(path, *args)
    assert snapshot() == before
    return str(failure.value)


def place(pcode: str) -> Place:
    return Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=pcode)


# -- loading ----------------------------------------------------------------


def test_loading_cercles_from_an_ocha_table(db):
    out = load(ADM2, "--lang", "en")
    assert "cercle: 6 created, 0 updated, 0 unchanged." in out.lower()
    assert "Total: 6 created, 0 updated, 0 unchanged." in out
    gao, ansongo, djenne = place("ML0703"), place("ML0701"), place("ML0503")
    assert (gao.level, gao.parent, gao.region) == (Place.Level.CERCLE, place("ML07"), place("ML07"))
    assert ansongo.parent.pcode == "ML07"
    assert (djenne.name_fr, djenne.name_en) == ("Djenné", "Djenne")
    assert djenne.region == place("ML05")
    assert (djenne.kind_fr, djenne.kind_en) == ("Cercle", "Cercle")


def test_loading_twice_changes_nothing(db):
    load(ADM2)
    before = snapshot()
    out = load(ADM2, "--lang", "en")
    assert "Total: 0 created, 0 updated, 6 unchanged." in out
    assert snapshot() == before


def test_a_changed_name_is_updated(db, tmp_path):
    load(ADM2)
    text = ADM2.read_text(encoding="utf-8").replace("Djenné,Djenne", "Djénné,Jenne")
    out = load(write(tmp_path, text), "--lang", "en")
    assert "Total: 0 created, 1 updated, 5 unchanged." in out
    assert (place("ML0503").name_fr, place("ML0503").name_en) == ("Djénné", "Jenne")


def test_communes_in_the_older_layout_with_french_names_only(db):
    load(ADM2)
    out = load(ADM3_OLDER, "--lang", "en")
    assert "Commune: 4 created, 0 updated, 0 unchanged." in out
    assert "Cercle: 0 created, 0 updated, 2 unchanged." in out
    gabero = place("ML070302")
    assert (gabero.name_fr, gabero.name_en) == ("Gabero", "Gabero")
    assert (gabero.level, gabero.parent, gabero.region) == (3, place("ML0703"), place("ML07"))


def test_communes_create_their_cercles_when_the_table_names_them(db):
    load(ADM3_OLDER)
    assert place("ML0703").name_fr == "Gao"
    assert place("ML070303").region == place("ML07")


def test_the_lowercase_adm_name_convention(db, tmp_path):
    path = write(
        tmp_path, "adm1_pcode,adm2_pcode,adm2_name\nML08,ML0802,Kidal\nML08,ML0803,Tessalit\n"
    )
    load(path)
    assert place("ML0803").name_en == "Tessalit" and place("ML0803").parent == place("ML08")


def test_a_cp1252_file_and_a_utf8_file_with_bom(db, tmp_path):
    text = "ADM1_PCODE;ADM2_PCODE;ADM2_FR\r\nML05;ML0503;Djenné\r\nML05;ML0507;Ténenkou\r\n"
    load(write(tmp_path, text, "ansi.csv", "cp1252"))
    assert place("ML0507").name_fr == "Ténenkou"
    load(write(tmp_path, text.replace("Ténenkou", "Tenenkou"), "bom.csv", "utf-8-sig"))
    assert place("ML0507").name_fr == "Tenenkou"


def test_an_xlsx_workbook_uses_its_deepest_sheet(db, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    adm1 = book.active
    adm1.title = "mli_adm1"
    adm1.append(["ADM1_FR", "ADM1_PCODE"])
    adm1.append(["Gao", "ML07"])
    adm2 = book.create_sheet("mli_adm2")
    adm2.append(["ADM2_FR", "ADM2_EN", "ADM2_PCODE", "ADM1_PCODE"])
    adm2.append(["Ansongo", "Ansongo", "ML0701", "ML07"])
    adm2.append(["Bourem", "Bourem", "ML0702", "ML07"])
    path = tmp_path / "mli_adminboundaries_tabulardata.xlsx"
    book.save(path)
    out = load(path, "--lang", "en")
    assert "mli_adm2" in out and "Total: 2 created" in out
    assert place("ML0702").parent == place("ML07")
    assert "Total: 0 created, 0 updated, 2 unchanged." in load(path, "--lang", "en")


def test_a_dry_run_reports_and_writes_nothing(db):
    before = snapshot()
    out = load(ADM2, "--dry-run", "--lang", "en")
    assert "Total: 6 created" in out and "Dry run: nothing was written." in out
    assert snapshot() == before


def test_another_gazetteer(db):
    Gazetteer.objects.create(code="empty", name="Empty", vintage="2024")
    message = refused(ADM2, "--gazetteer", "empty", "--lang", "en")
    assert "unknown parent P-code ML07" in message


def test_listing_places(db):
    load(ADM2)
    out = places("list", "--level", "2", "--lang", "en")
    lines = out.splitlines()
    assert len(lines) == 6
    assert lines[0].split("\t")[:4] == ["ML0501", "2", "Bandiagara", "ML05"]
    assert "Timbuktu" in places("list", "--level", "1", "--lang", "en")
    assert "Tombouctou" in places("list", "--level", "1", "--lang", "fr")


# -- bad input: a clear message naming row and column, nothing written ---------


def test_an_unknown_parent_p_code(db, tmp_path):
    path = write(tmp_path, "ADM2_FR,ADM2_PCODE,ADM1_PCODE\nAnsongo,ML0701,ML07\nX,ML9901,ML99\n")
    message = refused(path, "--lang", "en")
    assert "Row 3, column ADM1_PCODE: unknown parent P-code ML99" in message
    assert not Place.objects.filter(pcode="ML0701").exists()  # the good row neither


def test_a_p_code_that_contradicts_its_parent(db, tmp_path):
    path = write(tmp_path, "ADM2_FR,ADM2_PCODE,ADM1_PCODE\nAnsongo,ML0801,ML07\n")
    message = refused(path, "--lang", "en")
    assert "Row 2, column ADM2_PCODE" in message
    assert "ML0801 does not start with the P-code of its parent ML07" in message


def test_a_missing_name(db, tmp_path):
    path = write(
        tmp_path, "ADM2_FR,ADM2_EN,ADM2_PCODE,ADM1_PCODE\nAnsongo,,ML0701,ML07\n,,ML0702,ML07\n"
    )
    message = refused(path, "--lang", "en")
    assert "Row 3, column ADM2_FR / ADM2_EN: the name of ML0702 is missing." in message


def test_a_missing_p_code(db, tmp_path):
    path = write(tmp_path, "ADM2_FR,ADM2_PCODE,ADM1_PCODE\nAnsongo,,ML07\n")
    assert "Row 2, column ADM2_PCODE: the P-code is missing." in refused(path, "--lang", "en")


def test_one_unit_described_two_ways(db, tmp_path):
    path = write(
        tmp_path, "ADM2_FR,ADM2_PCODE,ADM1_PCODE\nAnsongo,ML0701,ML07\nBourem,ML0701,ML07\n"
    )
    message = refused(path, "--lang", "en")
    assert "Row 3, column ADM2_PCODE: ML0701 is described differently on row 2" in message


def test_a_p_code_already_used_at_another_level(db, tmp_path):
    load(write(tmp_path, "ADM1_PCODE,ADM2_PCODE,ADM2_FR\nML07,ML070101,Odd cercle\n", "a.csv"))
    communes = "ADM1_PCODE,ADM2_PCODE,ADM2_FR,ADM3_PCODE,ADM3_FR\nML07,ML0701,Ansongo,ML070101,X\n"
    message = refused(write(tmp_path, communes, "b.csv"), "--lang", "en")
    assert "Row 2, column ADM3_PCODE: ML070101 is already in the gazetteer as a cercle." in message


def test_a_header_without_p_code_columns(db, tmp_path):
    path = write(tmp_path, "name,code\nAnsongo,ML0701\n")
    message = refused(path, "--lang", "en")
    assert "No P-code columns" in message and "name, code" in message


def test_an_empty_file(db, tmp_path):
    assert "is empty" in refused(write(tmp_path, "", "empty.csv"), "--lang", "en")
    assert "no data rows" in refused(write(tmp_path, "ADM1_PCODE,ADM2_PCODE\n"), "--lang", "en")


def test_an_unreadable_file(db, tmp_path):
    binary = tmp_path / "picture.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x81\x8d")
    assert "not readable as text" in refused(binary, "--lang", "en")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "not a readable XLSX workbook" in refused(broken, "--lang", "en")
    assert "Cannot read the file" in refused(tmp_path / "missing.csv", "--lang", "en")


def test_an_unknown_gazetteer_or_language(db):
    assert "Unknown gazetteer “nope”." in refused(ADM2, "--gazetteer", "nope", "--lang", "en")
    assert "fr or en" in refused(ADM2, "--lang", "de")


def test_messages_follow_the_language(db, tmp_path):
    path = write(tmp_path, "ADM2_FR,ADM2_PCODE,ADM1_PCODE\nX,ML9901,ML99\n")
    for lang in ("fr", "en"):
        with translation.override(lang):
            where = gettext("Row %(row)s, column %(column)s") % {"row": 2, "column": "ADM1_PCODE"}
            nothing = gettext("Nothing was written.")
        message = refused(path, "--lang", lang)
        assert where in message and nothing in message


def test_the_command_line_exits_with_status_1_and_no_traceback(db, tmp_path, capsys, monkeypatch):
    from django.core.management import ManagementUtility

    # run_from_argv closes the connections when it ends: not the test's own.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    path = write(tmp_path, "ADM2_FR,ADM2_PCODE,ADM1_PCODE\nX,ML9901,ML99\n")
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["musow", "places", "load", str(path), "--lang", "en"]).execute()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "CommandError" in err and "unknown parent P-code ML99" in err
    assert "Traceback" not in err
