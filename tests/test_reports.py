"""`musow report`: the unit's 2014 report of the demo data, in French and English, in every
format — the seed's four figures, the framework with targets, tables, charts, the map,
the annex with sources — and issued reports that say what changed since and why."""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from musow.activities.models import Activity
from musow.activities.services import activity_delete, activity_validate
from musow.indicators.models import Indicator, Target
from musow.reports.models import IssuedReport
from musow.reports.renderers import SCHEMA_PATH
from tests.test_demo import FAST_HASHERS, demo_remove, run

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts"
SEED = {"fr": ["258", "5 400", "520", "1 113"], "en": ["258", "5,400", "520", "1,113"]}
HEADLINE = {
    "students-sensitised-gbv": 258,
    "people-sensitised-vawg": 5400,
    "women-girls-reached-1325": 520,
    "mission-staff-trained-gender": 1113,
}


def spaces(text: str) -> str:
    """French separators (narrow no-break space, no-break space) as plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def report(tmp_path: Path, *args: str) -> tuple[str, Path]:
    fmt = args[args.index("--format") + 1] if "--format" in args else "html"
    out = tmp_path / f"report.{fmt}"
    output = run("report", *args, "--out", str(out))
    return output, out


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """`musow demo` once for the module; what it wrote (audit entries included) is removed
    afterwards, so that other modules start empty."""
    from musow.audit.models import Entry

    FAST_HASHERS.enable()
    with django_db_blocker.unblock():
        last_entry = Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    try:
        with django_db_blocker.unblock():
            output = run("demo", "--lang", "en")
        yield output
    finally:
        with django_db_blocker.unblock():
            demo_remove()
            Entry.objects.filter(id__gt=last_entry).delete()
        FAST_HASHERS.disable()


@pytest.fixture
def demo(demo_output, db) -> str:
    """The demo data without its illustrative targets: these tests set their own."""
    from musow.indicators.models import Target

    Target.objects.all().delete()
    return demo_output


def test_the_demo_framework_shows_its_illustrative_targets(demo_output, db, tmp_path):
    _, out = report(tmp_path, "--period", "2014", "--format", "json", "--lang", "en")
    data = json.loads(out.read_text(encoding="utf-8"))
    framework = {i["code"]: i for m in data["framework"] for i in m["indicators"]}
    vawg = framework["people-sensitised-vawg"]
    assert (vawg["baseline"], vawg["target"], vawg["actual"]) == (4000, 5000, 5400)
    assert vawg["status"] == "met"


@pytest.fixture(scope="module")
def pdfs(demo_output, django_db_blocker, tmp_path_factory):
    """The 2014 PDF in both languages, made once for the module."""
    out = {}
    with django_db_blocker.unblock():
        for lang in ("fr", "en"):
            path = tmp_path_factory.mktemp("pdf") / f"report-2014-{lang}.pdf"
            run("report", "--period", "2014", "--lang", lang, "--format", "pdf", "--out", str(path))
            out[lang] = path
    return out


# --- JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_json_report_follows_its_schema_and_holds_the_seed_figures(demo, tmp_path, lang):
    jsonschema = pytest.importorskip("jsonschema")
    _output, path = report(tmp_path, "--period", "2014", "--lang", lang, "--format", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert {h["code"]: h["value"] for h in data["headline"]} == HEADLINE
    assert data["figures"]["headline"] == HEADLINE
    sentences = " ".join(spaces(h["sentence"]) for h in data["headline"])
    for figure in SEED[lang]:
        assert figure in sentences
    assert data["lang"] == lang and data["period"]["code"] == "2014"
    assert data["annex"]["count"] == 78 == len(data["annex"]["activities"])
    assert all(a["source"].startswith("demo") for a in data["annex"]["activities"])


def test_the_json_figures_do_not_depend_on_the_language(demo, tmp_path):
    _o, fr = report(tmp_path, "--period", "2014", "--lang", "fr", "--format", "json")
    fr_figures = json.loads(fr.read_text())["figures"]
    _o, en = report(tmp_path, "--period", "2014", "--lang", "en", "--format", "json")
    assert json.loads(en.read_text())["figures"] == fr_figures


def test_the_report_has_every_part_the_unit_needs(demo, tmp_path):
    _o, path = report(tmp_path, "--period", "2014", "--lang", "en", "--format", "json")
    data = json.loads(path.read_text())
    tables = {t["key"]: t for t in data["tables"]}
    assert {
        "activities_by_type",
        "activities_by_theme",
        "activities_by_organiser",
        "by_region",
        "by_month",
        "reach_by_sex",
        "reach_by_age_sex",
        "reach_by_audience",
        "unique_persons",
        "media_reach",
    } <= set(tables)
    assert len(tables["by_month"]["rows"]) == 12
    assert sum(r["cells"][2] for r in tables["by_month"]["rows"]) == 78
    age_sex = tables["reach_by_age_sex"]["total"]["cells"]
    assert age_sex[-1] == data["totals"]["participants"] == sum(age_sex[2:5])
    unique = {r["code"]: r["cells"] for r in tables["unique_persons"]["rows"]}
    # unique persons beside the contacts of the same activities (258 students, 343 contacts)
    assert unique["students-sensitised-gbv"][2:5] == [258, 343, 343]
    assert unique["mission-staff-trained-gender"][2] == 1113
    assert tables["media_reach"]["rows"][0]["cells"][2] == 935_000
    campaigns = {c["code"]: c for c in data["campaigns"]}
    assert any("16" in code for code in campaigns) and any("1325" in c for c in campaigns)
    framework = {i["code"]: i for m in data["framework"] for i in m["indicators"]}
    assert framework["people-sensitised-vawg"]["actual"] == 5400
    assert framework["people-sensitised-vawg"]["target"] is None  # no target: the value alone
    assert data["narrative"] and all(data["narrative"])


# --- CSV with HXL -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_csv_carries_hxl_hashtags_and_parses_with_libhxl(demo, tmp_path, lang):
    hxl = pytest.importorskip("hxl")
    _o, path = report(tmp_path, "--period", "2014", "--lang", lang, "--format", "csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("#date+period,")
    source = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    assert "#indicator+value+num" in [c.display_tag for c in source.columns]
    headline = {
        row.get("#meta+category+code"): row.get("#indicator+value")
        for row in source
        if row.get("#meta+table") == "headline"
    }
    assert headline == {code: str(value) for code, value in HEADLINE.items()}


# --- XLSX ---------------------------------------------------------------------------------


def test_the_xlsx_has_a_sheet_per_table_the_annex_and_the_data(demo, tmp_path):
    from openpyxl import load_workbook

    _o, path = report(tmp_path, "--period", "2014", "--lang", "fr", "--format", "xlsx")
    book = load_workbook(path, read_only=True)
    names = book.sheetnames
    assert names[0] == "Synthèse" and "Cadre de résultats" in names
    assert "Données" in names and any(n.startswith("Annexe") for n in names)
    assert len(names) >= 14
    summary = "\n".join(
        str(c) for row in book["Synthèse"].iter_rows(values_only=True) for c in row if c
    )
    for figure in SEED["fr"]:
        assert figure in spaces(summary)
    annex = list(book[next(n for n in names if n.startswith("Annexe"))].iter_rows(values_only=True))
    assert len(annex) == 5 + 78  # title, period and scope, produced, blank, header
    data = list(book["Données"].iter_rows(values_only=True))
    assert data[5][0] == "#date+period"
    values = {(r[2], r[4]): r[8] for r in data[6:]}
    assert values[("headline", "people-sensitised-vawg")] == 5400


# --- HTML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_html_report_shows_figures_charts_the_map_and_sources(demo, tmp_path, lang):
    _o, path = report(tmp_path, "--period", "2014", "--lang", lang, "--format", "html")
    html = path.read_text(encoding="utf-8")
    for figure in SEED[lang]:
        assert figure in spaces(html)
    assert f'<html lang="{lang}">' in html
    # months, age and sex, regions, the map, women's participation over the years, the
    # trainings pre/post distribution, and the SGBV section's two (justice funnel, trend)
    assert html.count("<svg") == 6 + 2 and "<script" not in html
    assert "geoBoundaries" in html and "CC BY 3.0 IGO" in html
    assert ("Cadre de résultats" if lang == "fr" else "Results framework") in html
    assert "demo · 2014-16-jours-01" in html  # the annex names each activity's source


# --- PDF ----------------------------------------------------------------------------------


def _pdf_tools() -> None:
    for tool in ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} (poppler-utils) is needed to check the PDF")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_shows_the_seed_figures_in_its_text(pdfs, lang):
    _pdf_tools()
    text = spaces(
        subprocess.run(
            ["pdftotext", str(pdfs[lang]), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for figure in SEED[lang]:
        assert re.search(rf"(?<![\d,]){re.escape(figure)}(?![\d,])", text), figure
    if lang == "fr":
        assert "L'Unité Genre en chiffres" in text
        assert "Résolution 1325" in text and "activités validées" in text  # accents intact
    else:
        assert "The Gender Unit in figures" in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_is_a4_portrait_with_page_numbers_period_and_scope_on_every_page(pdfs, lang):
    _pdf_tools()
    info = subprocess.run(
        ["pdfinfo", str(pdfs[lang])], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdfs[lang]), "-"], capture_output=True, text=True, check=True
    ).stdout
    scope = "toutes les régions" if lang == "fr" else "all regions"
    for number, page in enumerate(text.split("\f")[:pages], start=1):
        assert f"{number} / {pages}" in page
        assert f"2014 · {scope}" in page


def test_the_pdf_embeds_its_fonts(pdfs):
    _pdf_tools()
    for path in pdfs.values():
        fonts = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert fonts
        assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_pages_are_not_blank(pdfs, tmp_path, lang):
    _pdf_tools()
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdfs[lang]), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 5
    for page in pages:
        with Image.open(page) as image:
            grey = image.convert("L")
            body = grey.crop((0, grey.height // 10, grey.width, grey.height * 9 // 10))
            inked = sum(body.histogram()[:160])  # ink between the running head and foot
            assert inked > 100, page.name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdfs[lang]),
            str(ARTIFACTS / f"report-2014-{lang}-page1"),
        ],
        check=True,
    )
    shutil.copy(pdfs[lang], ARTIFACTS / f"report-2014-{lang}.pdf")


# --- scope, periods, bad input -----------------------------------------------------------


def test_a_region_scope_counts_that_region_only(demo, tmp_path):
    _o, path = report(
        tmp_path, "--period", "2014", "--scope", "ML07", "--format", "json", "--lang", "en"
    )
    data = json.loads(path.read_text())
    assert data["scope"] == {"kind": "region", "code": "ML07", "label": "Gao (region)"}
    regions = {
        r["code"] for r in next(t for t in data["tables"] if t["key"] == "by_region")["rows"]
    }
    assert regions == {"ML07"}
    _o, by_name = report(tmp_path, "--period", "2014", "--scope", "Gao", "--format", "json")
    assert json.loads(by_name.read_text())["figures"] == data["figures"]


def test_a_campaign_scope_counts_its_activities_only(demo, tmp_path):
    _o, path = report(tmp_path, "--period", "2014", "--scope", "16-days", "--format", "json")
    data = json.loads(path.read_text())
    assert data["scope"]["kind"] == "series"
    assert data["figures"]["headline"]["people-sensitised-vawg"] == 5400
    assert data["figures"]["headline"]["mission-staff-trained-gender"] == 0


def test_a_quarter_and_a_month_are_reports_too(demo, tmp_path):
    _o, path = report(tmp_path, "--period", "2014-Q4", "--format", "json", "--lang", "en")
    data = json.loads(path.read_text())
    assert data["period"]["previous"] == "2014-Q3"
    assert len(next(t for t in data["tables"] if t["key"] == "by_month")["rows"]) == 3
    _o, path = report(tmp_path, "--period", "2014-11", "--format", "json")
    assert json.loads(path.read_text())["period"]["label"] == "novembre 2014"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_period_without_data_gives_a_report_that_says_so(demo, tmp_path, lang):
    output, path = report(tmp_path, "--period", "2009", "--lang", lang, "--format", "json")
    data = json.loads(path.read_text())
    assert data["has_data"] is False and data["annex"]["count"] == 0
    said = {"fr": "aucune activité validée", "en": "no validated activity"}[lang]
    assert said in data["narrative"][0]
    _o, pdf = report(tmp_path, "--period", "2009", "--lang", lang, "--format", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "fr", "en"),
    [
        (["--period", "2014-13"], "Période inconnue", "Unknown period"),
        (["--period", "2014", "--scope", "Atlantis"], "Périmètre inconnu", "Unknown scope"),
        (["--period", "2014", "--format", "docx"], "Format inconnu", "Unknown format"),
        ([], "Donnez une période", "Give a period"),
    ],
)
def test_bad_input_is_refused_in_the_users_language(demo, tmp_path, args, fr, en):
    for lang, message in (("fr", fr), ("en", en)):
        with pytest.raises(CommandError, match=message):
            run("report", *args, "--lang", lang, "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


# --- issued reports -----------------------------------------------------------------------


def test_issuing_again_unchanged_says_so(demo, tmp_path):
    first, _p = report(tmp_path, "--period", "2014", "--issue", "--lang", "en")
    assert "First issue of this report." in first
    again, _p = report(tmp_path, "--period", "2014", "--issue", "--lang", "en")
    assert "Figures unchanged since the issue of" in again
    issued = IssuedReport.objects.filter(period="2014").order_by("id")
    assert issued.count() == 2 and issued[0].sha256 == issued[1].sha256
    assert issued[0].figures["headline"] == HEADLINE


def test_issuing_after_changes_says_where_figures_moved_and_why(demo, tmp_path):
    report(tmp_path, "--period", "2014", "--issue", "--lang", "en")
    submitted = Activity.objects.get(status="submitted")
    activity_validate(activity=submitted)
    closing = Activity.objects.get(source_key="2014-16-jours-14")
    activity_delete(activity=closing, comment="duplicate")
    output, _p = report(tmp_path, "--period", "2014", "--issue", "--lang", "en")
    assert "Figures changed since the issue of" in output
    assert "› actual: 1,113 → 1,151" in output  # the induction validated since
    assert "› actual: 5,400 → 4,750" in output
    assert f"#{submitted.pk} {submitted.title}: validated since (validated)" in output
    assert f"#{closing.pk} {closing.title}: withdrawn since" in output
    assert "(deleted)" in output
    first, second = IssuedReport.objects.filter(period="2014").order_by("id")
    assert first.figures["headline"] == HEADLINE  # kept as issued
    assert first.sha256 != second.sha256


def test_issuing_changes_are_told_in_french_too(demo, tmp_path):
    report(tmp_path, "--period", "2014", "--issue", "--lang", "fr")
    activity_validate(activity=Activity.objects.get(status="submitted"))
    output, _p = report(tmp_path, "--period", "2014", "--issue", "--lang", "fr")
    assert "Chiffres modifiés depuis" in output
    assert "réalisé : 1 113 → 1 151" in spaces(output)
    assert "part des femmes et filles : 54,1 % → 53,9 %" in spaces(output)
    assert "validée depuis" in output


# --- targets and baselines -----------------------------------------------------------------


def test_targets_load_and_show_in_the_framework_with_a_status(demo, tmp_path):
    table = tmp_path / "cibles.csv"
    table.write_text(
        "indicateur,période,valeur de référence,cible,note\n"
        "people-sensitised-vawg,2014,4 000,5 000,16 jours\n"
        'mission-staff-trained-gender,2014,800,"1,500",\n'
        "students-sensitised-gbv,2014,150,300,\n",
        encoding="utf-8",
    )
    assert "3 created" in run("targets", "load", str(table), "--lang", "en")
    assert "3 unchanged" in run("targets", "load", str(table), "--lang", "en")
    _o, path = report(tmp_path, "--period", "2014", "--format", "json", "--lang", "en")
    framework = {
        i["code"]: i for m in json.loads(path.read_text())["framework"] for i in m["indicators"]
    }
    vawg = framework["people-sensitised-vawg"]
    assert (vawg["baseline"], vawg["target"], vawg["achieved"], vawg["status"]) == (
        4000,
        5000,
        1.08,
        "met",
    )
    assert framework["mission-staff-trained-gender"]["status"] == "behind"  # 1 113 of 1 500
    assert framework["students-sensitised-gbv"]["status"] == "close"  # 258 of 300
    _o, html = report(tmp_path, "--period", "2014", "--format", "html", "--lang", "fr")
    assert "cible atteinte" in html.read_text()


def test_a_bad_targets_table_writes_nothing_and_lists_every_problem(demo, tmp_path):
    table = tmp_path / "targets.csv"
    table.write_text(
        "indicator,period,baseline,target\n"
        "people-sensitised-vawg,2014,100,200\n"
        "no-such-indicator,2014,1,2\n"
        "people-sensitised-vawg,2014-13,1,2\n"
        "students-sensitised-gbv,2014,-5,abc\n"
        "people-sensitised-vawg,2014,1,2\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        run("targets", "load", str(table), "--lang", "en")
    message = str(error.value)
    assert "Nothing was written." in message
    assert "Row 3: unknown indicator “no-such-indicator”." in message
    assert "Row 4: Unknown period “2014-13”" in message
    assert "Row 5: the baseline -5 must be between 0" in message
    assert "Row 5: the target “abc” is not a number." in message
    assert "Row 6: people-sensitised-vawg for 2014 is already on row 2." in message
    assert not Target.objects.exists()


def test_targets_are_refused_in_french_too(demo, tmp_path):
    table = tmp_path / "cibles.csv"
    table.write_text("indicateur,période,cible\ninconnu,2014,5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Ligne 2 : indicateur inconnu"):
        run("targets", "load", str(table), "--lang", "fr")


def test_an_indicator_without_a_target_shows_its_value_alone(demo, tmp_path):
    Target.objects.create(
        indicator=Indicator.objects.get(code="fds-trained-gender"), period="2013", target=10
    )
    _o, path = report(tmp_path, "--period", "2014", "--format", "json")
    fds = next(
        i
        for m in json.loads(path.read_text())["framework"]
        for i in m["indicators"]
        if i["code"] == "fds-trained-gender"
    )
    assert fds["target"] is None and fds["status"] is None and fds["actual"] == 207


def test_the_command_says_where_it_wrote_the_report(demo, tmp_path):
    out = io.StringIO()
    call_command(
        "report",
        "--period",
        "2014",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "r.csv"),
        stdout=out,
    )
    assert str(tmp_path / "r.csv") in out.getvalue()


def test_every_table_agrees_with_the_engine_asked_one_breakdown_at_a_time(demo, tmp_path):
    """The report sums its tables from a few wide breakdowns: each must equal the engine's
    own answer for that breakdown alone."""
    from musow.indicators.engine import compute

    _o, path = report(tmp_path, "--period", "2014", "--format", "json", "--lang", "en")
    tables = {t["key"]: t for t in json.loads(path.read_text())["tables"]}

    def engine(code: str, dim: str) -> dict[str, int]:
        rows = compute(code, "2014", by=(dim,)).rows
        return {r.key[dim].code or "-": int(r.value) for r in rows if r.value}

    def column(key: str, index: int) -> dict[str, int]:
        return {r["code"]: r["cells"][index] for r in tables[key]["rows"] if r["cells"][index]}

    assert column("by_region", 3) == engine("participants-all", "region")
    assert column("by_region", 4) == engine("women-participants", "region")
    assert column("by_region", 2) == engine("activities-all", "region")
    assert column("by_month", 3) == engine("participants-all", "month")
    assert column("by_month", 4) == engine("women-participants", "month")
    assert column("reach_by_audience", 2) == engine("participants-all", "audience")
    assert column("reach_by_audience", 3) == engine("women-participants", "audience")
    assert column("reach_by_sex", 2) == engine("participants-all", "sex")
    assert column("activities_by_type", 2) == engine("activities-all", "activity_type")
    assert column("activities_by_organiser", 2) == engine("activities-all", "organiser")


def _stub_report(lang: str, **totals):
    from types import SimpleNamespace

    from musow.indicators.periods import Period

    base = {
        "activities": 1,
        "regions": 1,
        "participants": 1,
        "women": 1,
        "share_women": 1.0,
        "media_audience": 0,
        "trainees": 1,
        "women_trained": 1,
        "list_coverage": None,
    }
    return SimpleNamespace(
        lang=lang,
        totals={**base, **totals},
        has_data=True,
        period=Period.parse("2014-Q1"),
        scope_label="",
        framework=[],
    )


@pytest.mark.parametrize(
    ("totals", "fr", "en"),
    [
        (
            {},
            [
                "Au 1er trimestre 2014, l'Unité Genre a mené 1 activité validée dans une seule",
                "Elle a réuni 1 participant (contacts), dont 1 femme ou fille",
                "Les formations comptent 1 femme formée sur 1 participant.",
            ],
            [
                "In Q1 2014, the Gender Unit carried out 1 validated activity in one region.",
                "It reached 1 participant (contacts), 1 of them a woman or girl",
                "Training sessions trained 1 woman out of 1 participant.",
            ],
        ),
        (
            {
                "activities": 2,
                "regions": 3,
                "participants": 5400,
                "women": 2,
                "trainees": 2,
                "women_trained": 2,
            },
            [
                "a mené 2 activités validées dans 3 régions",
                "Elles ont réuni 5 400 participants (contacts), dont 2 femmes et filles",
                "Les formations comptent 2 femmes formées sur 2 participants.",
            ],
            [
                "carried out 2 validated activities in 3 regions",
                "They reached 5,400 participants (contacts), 2 of them women and girls",
                "Training sessions trained 2 women out of 2 participants.",
            ],
        ),
    ],
)
def test_sentences_are_written_for_each_language_with_agreement(totals, fr, en):
    from musow.reports import narrative

    for lang, expected in (("fr", fr), ("en", en)):
        text = spaces(" ".join(narrative.sentences(_stub_report(lang, **totals))))
        for phrase in expected:
            assert phrase in text, (lang, phrase, text)


def test_a_project_and_a_campaign_edition_are_scopes_too(demo, tmp_path):
    from musow.demo.data2014 import JUSTICE_PROJECT

    _o, path = report(tmp_path, "--period", "2014", "--scope", JUSTICE_PROJECT, "--format", "json")
    data = json.loads(path.read_text())
    assert data["scope"]["kind"] == "project" and data["has_data"]
    assert 0 < data["annex"]["count"] < 78
    assert data["figures"]["headline"]["students-sensitised-gbv"] == 0  # not in the programme
    _o, path = report(tmp_path, "--period", "2014", "--scope", "jpo-1325-2014", "--format", "json")
    data = json.loads(path.read_text())
    assert data["scope"]["kind"] == "campaign"
    assert data["figures"]["headline"]["women-girls-reached-1325"] == 520
    assert [c["code"] for c in data["campaigns"]] == ["jpo-1325-2014"]
