"""Compositions and sittings by file (`musow composition import|template|export` and the
upload page): all or nothing, one message per problem naming its row and field in the
user's language, idempotent, and an export that imports back unchanged — also once
LibreOffice (French) has opened and saved it."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from musow.representation.models import Composition, Seat, Sitting
from tests.libreoffice import CSV_FR_OUT, convert, needs_libreoffice
from tests.representation_factories import make_body, make_composition, make_sitting
from tests.web_fixtures import World, url
from tests.web_fixtures import world as world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

HEAD_FR = "instance;date;rôle;femmes;hommes;total;total déclaré;source\n"
HEAD_EN = "body,date,role,women,men,total,declared total,source\n"


@pytest.fixture
def bodies(db):
    government = make_body("gouv", kind="government", name_fr="Gouvernement", name_en="Government")
    committee = make_body("csa", kind="follow-up-committee", valid_from=None)
    gao = make_body("conseil-gao", kind="regional-council", place="ML07")
    bamako = make_body("conseil-bamako", kind="regional-council", place="ML09")
    make_composition(government, "2018-09-09", minister_f=11, minister_m=21, declared_total=32)
    make_composition(committee, "2015-06-20", president_m=1, member_f=2, member_m=27)
    make_composition(gao, "2016-01-10", status="draft", member_f=4, member_m=10)
    make_sitting(committee, "2015-09-01", member_f=3, member_m=20)
    return {"gouv": government, "csa": committee, "gao": gao, "bamako": bamako}


def composition(*args: str, lang: str = "fr") -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("composition", *args, "--lang", lang, stdout=out, stderr=err)
    except CommandError as exc:
        raise AssertionError(err.getvalue() + str(exc)) from exc
    return out.getvalue()


def refused(*args: str, lang: str = "fr") -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("composition", *args, "--lang", lang, stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def snapshot() -> list[tuple]:
    return sorted(
        Seat.objects.values_list(
            "composition__body__code", "composition__as_of", "role__code", "sex", "count"
        )
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_export_imports_back_unchanged(bodies, tmp_path, fmt, lang):
    path = tmp_path / f"export.{fmt}"
    composition("export", str(path), lang=lang)
    before = snapshot()
    said = composition("import", str(path), lang=lang)
    assert ("0 créé" in said or "0 created" in said) and (
        "4 inchangé" in said or "4 unchanged" in said
    )
    assert (
        snapshot() == before and Composition.objects.count() == 3 and Sitting.objects.count() == 1
    )


def test_a_new_file_makes_drafts_and_a_second_import_changes_nothing(bodies, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text(
        "\ufeffenregistrement;"
        + HEAD_FR.replace("source\n", "source;intitulé\n")
        + "composition;csa;20/06/2017;member;5;24;29;30;Liste officielle;\n"
        + "composition;csa;20/06/2017;president;0;1;1;30;Liste officielle;\n"
        + "séance;csa;2017-07-01;member;4;20;24;;Procès-verbal;Session de juillet\n",
        encoding="utf-8",
    )
    said = composition("import", str(path), "--user", "agent_tabledoors")
    assert "2 créé" in said
    new = Composition.objects.get(body__code="csa", as_of="2017-06-20")
    assert (
        new.status == "draft"
        and new.declared_total == 30
        and new.source_document == "Liste officielle"
    )
    assert Sitting.objects.get(held_on="2017-07-01").title == "Session de juillet"
    again = composition("import", str(path), "--user", "agent_tabledoors")
    assert "0 créé" in again and "2 inchangé" in again


@pytest.fixture
def officer_account(db):
    from musow.accounts.models import User

    User.objects.create_user("agent_tabledoors", password="x", role=User.Role.OFFICER)
    gao = User.objects.create_user("gao_tabledoors", password="x", role=User.Role.FOCAL_POINT)
    from tests.representation_factories import region

    gao.regions.add(region("ML07"))
    return gao


@pytest.fixture(autouse=True)
def _accounts(officer_account):
    return officer_account


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            [
                "Ligne 3, instance : instance inconnue « nope ».",
                "Ligne 4, date : « 2017-13-01 » n'est pas une date",
                "Ligne 5, femmes : « trois » n'est pas un nombre entier.",
                "Ligne 6, total : 2 femmes et 3 hommes font 5, et non 6.",
                "Ligne 2 (gouv, 2019-01-01), total déclaré : Les nombres",
            ],
        ),
        (
            "en",
            [
                "Row 3, body: unknown body “nope”.",
                "Row 4, date: “2017-13-01” is not a date",
                "Row 5, women: “three” is not a whole number.",
                "Row 6, total: 2 women and 3 men make 5, not 6.",
                "Row 2 (gouv, 2019-01-01), declared total: The numbers",
            ],
        ),
    ],
)
def test_bad_rows_are_listed_by_row_and_field_and_nothing_is_written(
    bodies, tmp_path, lang, expected
):
    before = snapshot()
    path = tmp_path / "bad.csv"
    sep = ";" if lang == "fr" else ","
    head = HEAD_FR if lang == "fr" else HEAD_EN
    women = "trois" if lang == "fr" else "three"
    rows = [
        ["gouv", "2019-01-01", "minister", "10", "20", "30", "31", "Décret"],
        ["nope", "2019-01-01", "minister", "1", "1", "", "", "Décret"],
        ["csa", "2017-13-01", "member", "1", "1", "", "", "Liste"],
        ["csa", "2017-06-20", "member", women, "1", "", "", "Liste"],
        ["csa", "2018-06-20", "member", "2", "3", "6", "", "Liste"],
    ]
    path.write_text(head + "".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    said = (
        " | ".join(refused("import", str(path), lang=lang))
        .replace("\u202f", " ")
        .replace("\xa0", " ")
    )
    for message in expected:
        assert message in said, (message, said)
    assert snapshot() == before and Composition.objects.count() == 3


def test_a_focal_point_cannot_import_a_body_of_another_region(bodies, tmp_path):
    path = tmp_path / "gao.csv"
    path.write_text(
        HEAD_FR
        + "conseil-gao;2017-01-01;member;3;5;;;PV\n"
        + "conseil-bamako;2017-01-01;member;3;5;;;PV\n",
        encoding="utf-8",
    )
    said = " ".join(refused("import", str(path), "--user", "gao_tabledoors")).replace("\xa0", " ")
    assert "conseil-bamako" in said and "instance :" in said and "conseil-gao, 2017" not in said
    assert not Composition.objects.filter(as_of="2017-01-01").exists()


def test_an_import_does_not_change_a_validated_composition(bodies, tmp_path):
    path = tmp_path / "change.csv"
    path.write_text(HEAD_EN + "gouv,2018-09-09,minister,12,20,32,32,Decree\n", encoding="utf-8")
    said = " ".join(refused("import", str(path), lang="en"))
    assert "status: this record is validated" in said
    assert Seat.objects.get(composition__body__code="gouv", sex="f").count == 11


def test_a_sitting_before_its_process_starts_is_refused(bodies, tmp_path):
    from datetime import date

    from musow.representation.models import Process
    from musow.representation.services import process_sync

    process_sync(
        code="talks",
        values={"name_fr": "Pourparlers", "name_en": "Talks", "start_date": date(2014, 7, 16)},
    )
    bodies["csa"].process = Process.objects.get(code="talks")
    bodies["csa"].save()
    path = tmp_path / "sitting.csv"
    path.write_text(
        "record," + HEAD_EN + "sitting,csa,2014-07-01,member,1,9,,,Minutes\n", encoding="utf-8"
    )
    said = " ".join(refused("import", str(path), lang="en"))
    assert "date: The process “Talks” starts on 2014-07-16" in said


def test_the_upload_page_imports_for_officers_and_lists_problems(world: World, bodies, tmp_path):
    officer = world.client("officer")
    page = officer.get(url("bodies:import"))
    assert page.status_code == 200 and url("bodies:template", "xlsx") in page.content.decode()
    template = officer.get(url("bodies:template", "csv"))
    assert template.status_code == 200 and b"#group+body+code" in template.content
    good = tmp_path / "good.csv"
    good.write_text(HEAD_FR + "csa;2019-06-20;member;6;20;26;;Liste\n", encoding="utf-8")
    with open(good, "rb") as fh:
        response = officer.post(url("bodies:import"), {"file": fh})
    assert response.status_code == 302
    assert Composition.objects.filter(as_of="2019-06-20", status="draft").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEAD_FR + "csa;2019-07-20;membre-inconnu;6;20;26;;Liste\n", encoding="utf-8")
    with open(bad, "rb") as fh:
        html = officer.post(url("bodies:import"), {"file": fh}).content.decode()
    assert "Rôle inconnu" in html or "membre-inconnu" in html
    assert not Composition.objects.filter(as_of="2019-07-20").exists()
    exported = officer.get(url("bodies:export", "xlsx"))
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd")
    with translation.override("en"):
        assert world.client("focal_point").get(url("bodies:import", lang="en")).status_code == 403


@needs_libreoffice
def test_an_export_saved_by_libreoffice_imports_back_unchanged(bodies, tmp_path):
    path = tmp_path / "export.xlsx"
    composition("export", str(path))
    before = snapshot()
    saved = convert(path, "xlsx", tmp_path / "lo")[0]
    said = composition("import", str(saved))
    assert "0 créé" in said and "4 inchangé" in said
    as_csv = convert(path, CSV_FR_OUT, tmp_path / "lo-csv")[0]
    said = composition("import", str(as_csv))
    assert "0 créé" in said and "4 inchangé" in said
    assert snapshot() == before


def test_bad_file_layout_is_refused(bodies, tmp_path):
    path: Path = tmp_path / "wrong.csv"
    path.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    said = " ".join(refused("import", str(path), lang="en"))
    assert "The file lacks these columns: body, date, role, women, men, source." in said
