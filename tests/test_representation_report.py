"""The periodic report's "Participation des femmes / Women's participation" section, through
`musow report` in every format: the bodies at the period's end with their latest
validated composition (flagged below 30 %), the shares by kind and role, the year-end
series drawn against the 30 % line, the sources; only when the period and scope have data;
drafts never count."""

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from musow.reports.renderers import SCHEMA_PATH
from tests.representation_factories import make_body, make_composition, make_sitting
from tests.test_demo import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies(db):
    government = make_body("gouv", kind="government", name_fr="Gouvernement", name_en="Government")
    assembly = make_body("an", kind="national-assembly", name_fr="Assemblée", name_en="Assembly")
    council = make_body("conseil-gao", kind="regional-council", place="ML07")
    make_composition(government, "2017-12-31", minister_f=9, minister_m=27)
    make_composition(government, "2018-09-09", minister_f=11, minister_m=21)
    make_composition(government, "2018-10-01", status="draft", minister_f=30, minister_m=2)
    make_composition(assembly, "2013-12-15", elected_member_f=14, elected_member_m=133)
    make_composition(council, "2018-03-01", president_m=1, member_f=4, member_m=10)
    make_sitting(council, "2018-05-02", member_f=3, member_m=8)
    return government, assembly, council


def report(tmp_path: Path, *args: str) -> Path:
    fmt = args[args.index("--format") + 1]
    out = tmp_path / f"report.{fmt}"
    run("report", *args, "--out", str(out))
    return out


def _table(data: dict, key: str) -> dict:
    return next(t for t in data["tables"] if t["key"] == key)


def _rows(table: dict) -> dict[str, dict]:
    keys = [c["key"] for c in table["columns"]]
    return {r["code"]: dict(zip(keys, r["cells"], strict=True)) for r in table["rows"]}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_json_report_has_the_bodies_at_the_periods_end_and_follows_its_schema(
    bodies, tmp_path, lang
):
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(
        report(tmp_path, "--period", "2018", "--lang", lang, "--format", "json").read_text()
    )
    jsonschema.validate(
        data, json.loads(SCHEMA_PATH.read_text()), format_checker=jsonschema.FormatChecker()
    )
    rows = _rows(_table(data, "participation_bodies"))
    # The latest validated composition of each body at the period's end; the draft never.
    assert rows["gouv"]["as_of"] == "2018-09-09"
    assert (rows["gouv"]["women"], rows["gouv"]["men"]) == (11, 21)
    assert rows["gouv"]["share"] == pytest.approx(11 / 32)
    assert rows["an"]["as_of"] == "2013-12-15" and rows["an"]["women"] == 14
    assert (rows["gouv"]["kind_code"], rows["gouv"]["level_code"]) == ("government", "national")
    met, below = {"fr": ("respectée", "sous 30"), "en": ("met", "below 30")}[lang]
    assert rows["gouv"]["law"] == met and rows["an"]["law"].startswith(below)
    kinds = _rows(_table(data, "participation_by_kind"))
    assert kinds["government"]["total"] == 32 and kinds["national-assembly"]["total"] == 147
    roles = _rows(_table(data, "participation_by_role"))
    assert roles["minister"]["women"] == 11 and roles["president"]["share"] == 0
    years = _rows(_table(data, "participation_by_year"))
    assert list(years) == [str(y) for y in range(2013, 2019)]
    assert years["2013"]["total"] == 147  # only the Assembly existed in the data
    assert years["2017"]["women"] == 14 + 9 and years["2018"]["women"] == 14 + 11 + 4
    sittings = _rows(_table(data, "participation_sittings"))
    assert sittings["conseil-gao"]["women"] == 3
    sources = _table(data, "participation_sources")
    assert len(sources["rows"]) == 3
    assert data["figures"]["tables"]["participation_bodies"]["gouv"]["women"] == 11


def test_a_period_without_compositions_has_no_participation_section(bodies, tmp_path):
    data = json.loads(report(tmp_path, "--period", "2009", "--format", "json").read_text())
    assert not [t for t in data["tables"] if t["key"].startswith("participation_")]
    html = report(tmp_path, "--period", "2009", "--format", "html").read_text()
    assert "Participation des femmes" not in html


def test_a_region_scope_counts_the_bodies_of_that_region_only(bodies, tmp_path):
    path = report(tmp_path, "--period", "2018", "--scope", "ML07", "--format", "json")
    rows = _rows(_table(json.loads(path.read_text()), "participation_bodies"))
    assert list(rows) == ["conseil-gao"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_html_report_draws_the_series_against_the_30_percent_line(bodies, tmp_path, lang):
    html = report(tmp_path, "--period", "2018", "--lang", lang, "--format", "html").read_text()
    title = {"fr": "Participation des femmes", "en": "Women's participation"}[lang]
    assert title in html
    # A period with compositions but no activity says so, without "this report has no figure".
    assert {"fr": "Aucune activité pour cette période", "en": "No activity for this period"}[
        lang
    ] in html
    assert 'stroke-dasharray="5 3"' in html and "2015-052" in html
    assert re.search(r"34[,.]4", html)  # the government's share, 11 of 32
    assert "2018\u201109\u201109" in html  # dates kept on one line (non-breaking hyphens)


def test_the_csv_and_xlsx_carry_the_section(bodies, tmp_path):
    text = report(tmp_path, "--period", "2018", "--format", "csv").read_text()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "#meta+table"
    women = [r for r in rows[2:] if r[2] == "participation_bodies" and r[4] == "gouv"]
    assert ["women", "11"] in [[r[6], r[8]] for r in women]
    from openpyxl import load_workbook

    book = load_workbook(report(tmp_path, "--period", "2018", "--lang", "en", "--format", "xlsx"))
    assert "Women in bodies" in book.sheetnames and "Bodies by year" in book.sheetnames


def test_the_pdf_shows_the_section(bodies, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is missing")
    pdf = report(tmp_path, "--period", "2018", "--lang", "en", "--format", "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Women's participation" in text and "Government" in text and "34.4%" in text
