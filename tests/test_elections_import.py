"""Candidate lists by file (`musow candidates import|template|export`): all or nothing,
one message per problem naming its row and column in the user's language, idempotent,
the focal point's scope and the law's verdicts as for the form, and an export that
imports back unchanged."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from musow.audit.models import Entry
from musow.demo.users import demo_users_ensure
from musow.elections.models import Candidate, CandidateList
from tests.elections_factories import make_election, make_list
from tests.web_fixtures import World, url
from tests.web_fixtures import world as world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

HEAD_FR = (
    "élection;parti;instance;lieu (P-code);candidats (F/M);femmes élues;hommes élus;"
    "positions élues;source;date de la source\n"
)
HEAD_EN = (
    "election,party,body,place (P-code),candidates (F/M),women elected,men elected,"
    "positions elected,source,source date\n"
)


@pytest.fixture
def election(db):
    return make_election()


def candidates(*args: str, lang: str = "fr") -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("candidates", *args, "--lang", lang, stdout=out, stderr=err)
    except CommandError as exc:
        raise AssertionError(err.getvalue() + str(exc)) from exc
    return out.getvalue()


def refused(*args: str, lang: str = "fr") -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("candidates", *args, "--lang", lang, stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def snapshot() -> list[tuple]:
    return sorted(
        CandidateList.objects.values_list(
            "election__code",
            "party",
            "council",
            "place__pcode",
            "candidates_women",
            "candidates_men",
            "elected_women",
            "elected_men",
            "art2",
            "art3",
            "source_document",
            "version",
        )
    )


def write(tmp_path: Path, text: str, name: str = "listes.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


GOOD_FR = HEAD_FR + (
    "communal-2016-11-20-t1;Liste A;communal-council;ML07;FMFMMF;2;1;;Liste déposée;2016-10-01\n"
    "communal-2016-11-20-t1;Liste B;communal-council;ML07;MMFMM;;;;Liste déposée;\n"
    "communal-2016-11-20-t1;Liste C;communal-council;ML09;1F 2M 3M 4M;;;1 3;Résultats;\n"
)


def test_it_imports_lists_with_the_laws_verdicts_and_a_second_load_changes_nothing(
    tmp_path, election
):
    path = write(tmp_path, GOOD_FR)
    assert "3 créé" in candidates("import", path)
    a, b, c = CandidateList.objects.order_by("party")
    assert (a.candidates_women, a.candidates_men, a.elected_women, a.elected_men) == (3, 3, 2, 1)
    assert (a.art2, a.art3, a.status) == ("meets", "meets", "draft")
    assert str(a.source_date) == "2016-10-01"
    assert b.art2 == "fails"  # 80 % men
    assert (b.elected_women, b.elected_men) == (None, None)  # blank: not given, never 0
    assert c.art3 == "fails" and (c.elected_women, c.elected_men) == (1, 1)
    assert list(c.candidates.filter(elected=True).values_list("position", flat=True)) == [1, 3]
    before, entries = snapshot(), Entry.objects.count()
    assert "0 créée(s), 0 mise(s) à jour, 3 inchangée(s)" in candidates("import", path)
    assert snapshot() == before and Entry.objects.count() == entries


def test_a_changed_row_updates_its_draft_list_and_a_validated_list_is_refused(tmp_path, election):
    candidates("import", write(tmp_path, GOOD_FR))
    changed = GOOD_FR.replace("FMFMMF;2;1", "FMFMMF;3;1")
    assert "1 mise(s) à jour" in candidates("import", write(tmp_path, changed))
    assert CandidateList.objects.get(party="Liste A").elected_women == 3
    make_list(election, "FM", party="Liste V")  # validated
    row = "communal-2016-11-20-t1;Liste V;communal-council;ML07;FF;;;;Liste déposée;\n"
    problems = refused("import", write(tmp_path, HEAD_FR + row))
    assert any("Liste V" in p and "validé" in p for p in problems)
    assert CandidateList.objects.get(party="Liste V").sexes == "fm"


def test_it_refuses_bad_rows_naming_row_and_column_and_writes_nothing(tmp_path, election):
    text = HEAD_EN + (
        "communales-2015,Liste A,communal-council,ML07,FMF,,,,Liste déposée,\n"
        "communal-2016-11-20-t1,Liste B,communal-council,ML07,FMX,,,,Liste déposée,\n"
        "communal-2016-11-20-t1,Liste C,communal-council,ML07,FMF,3,,,Liste déposée,\n"
        "communal-2016-11-20-t1,Liste D,communal-council,ML07,FMF,,,,Liste déposée,\n"
    )
    problems = refused("import", write(tmp_path, text), lang="en")
    assert problems == [
        "Row 2, election: unknown election “communales-2015”.",
        "Row 3 (Liste B), candidates (F/M): Position 3: “X” is not a sex; "
        "write F (woman) or M (man).",
        "Row 4 (Liste C), women elected: 3 women elected, but the list has 2 women candidates.",
    ]
    assert not CandidateList.objects.exists() and not Candidate.objects.exists()


def test_it_refuses_a_focal_point_a_list_outside_their_regions(tmp_path):
    demo_users_ensure()
    make_election("regional")
    text = HEAD_FR + (
        "regional-2016-11-20-t1;Liste G;regional-council;ML07;FMF;;;;Liste déposée;\n"
        "regional-2016-11-20-t1;Liste K;regional-council;ML09;FMF;;;;Liste déposée;\n"
    )
    problems = refused("import", write(tmp_path, text), "--user", "gao")
    assert len(problems) == 1 and "Liste K" in problems[0] and "lieu (P-code)" in problems[0]
    assert not CandidateList.objects.exists()
    ours = "\n".join(text.splitlines()[:2]) + "\n"
    assert "1 créé" in candidates("import", write(tmp_path, ours), "--user", "gao")


def test_check_writes_nothing(tmp_path, election):
    out = candidates("import", write(tmp_path, GOOD_FR), "--check")
    assert "3 créé" in out
    assert not CandidateList.objects.exists()


def test_it_refuses_a_file_without_the_required_columns(tmp_path, election):
    problems = refused("import", write(tmp_path, "élection;parti\nx;y\n"))
    assert any("candidats (F/M)" in p for p in problems)


def test_the_xlsx_template_in_english_imports_and_the_export_imports_back_unchanged(
    tmp_path, election
):
    from openpyxl import load_workbook

    template = tmp_path / "template.xlsx"
    candidates("template", str(template), lang="en")
    book = load_workbook(template)
    sheet = book.worksheets[0]
    assert sheet.cell(1, 1).value == "election" and sheet.cell(2, 1).value == "#event+code"
    sheet.append(
        ["communal-2016-11-20-t1", "Liste A", "communal-council", "ML07", "FMFMMF", 2, None, "1 3"]
        + ["Liste déposée"]
    )
    book.save(template)
    assert "1 created" in candidates("import", str(template), lang="en")
    saved = CandidateList.objects.get()
    assert (saved.elected_women, saved.elected_men) == (2, 0)  # the positions give the men
    make_list(election, "MMF", party="Liste B", elected_women=1)
    before = snapshot()
    for name, lang in (("export.csv", "fr"), ("export.xlsx", "en")):
        exported = tmp_path / name
        candidates("export", str(exported), lang=lang)
        out = candidates("import", str(exported), lang=lang)
        assert "2" in out and snapshot() == before


def test_the_french_csv_template_has_the_hxl_row(tmp_path, election):
    path = tmp_path / "modele.csv"
    candidates("template", str(path))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("élection;parti;instance;lieu (P-code)")
    assert lines[1].startswith("#event+code;#org+name")


def test_the_upload_page_imports_for_officers_and_lists_problems_in_english(
    world: World, election, tmp_path
):
    officer = world.client("officer")
    page = officer.get(url("elections:lists-import"))
    assert page.status_code == 200
    assert url("elections:lists-template", "xlsx") in page.content.decode()
    template = officer.get(url("elections:lists-template", "csv"))
    assert template.status_code == 200 and b"#event+code" in template.content
    with open(write(tmp_path, GOOD_FR), "rb") as fh:
        assert officer.post(url("elections:lists-import"), {"file": fh}).status_code == 302
    assert CandidateList.objects.filter(status="draft").count() == 3
    bad = GOOD_FR.replace("FMFMMF;2;1", "FMFMMF;9;1").replace("Liste A", "Liste Z")
    with open(write(tmp_path, bad, "bad.csv"), "rb") as fh:
        html = officer.post(url("elections:lists-import", lang="en"), {"file": fh})
    assert "9 women elected, but the list has 3 women candidates." in html.content.decode()
    assert not CandidateList.objects.filter(party="Liste Z").exists()
    exported = officer.get(url("elections:lists-export", "xlsx"))
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd")
    focal = world.client("focal_point")
    assert focal.get(url("elections:lists-import", lang="en")).status_code == 403


def test_english_headers_load_and_a_repeated_row_is_refused(tmp_path, election):
    rows = (
        "communal-2016-11-20-t1,Liste A,communal-council,ML07,FMF,1,1,,Results,25/11/2016\n"
        "communal-2016-11-20-t1,Liste A,communal-council,ML07,FMM,,,,Results,\n"
    )
    problems = refused("import", write(tmp_path, HEAD_EN + rows), lang="en")
    assert problems == ["Row 3, party: row 2 has the same election, party, body and place."]
    assert not CandidateList.objects.exists()
    out = candidates("import", write(tmp_path, HEAD_EN + rows.splitlines()[0]), lang="en")
    assert "1 created" in out
    saved = CandidateList.objects.get()
    assert (saved.sexes, saved.elected_women, str(saved.source_date)) == ("fmf", 1, "2016-11-25")


def test_a_focal_point_cannot_change_by_import_a_list_someone_else_entered(tmp_path):
    demo_users_ensure()
    election = make_election("regional")
    make_list(election, "FMF", party="Liste G", status="draft", place="ML07")
    row = f"{election.code};Liste G;communal-council;ML07;FMM;;;;Liste déposée;\n"
    problems = refused("import", write(tmp_path, HEAD_FR + row), "--user", "gao")
    assert len(problems) == 1 and "Liste G" in problems[0]
    assert CandidateList.objects.get().sexes == "fmf"
