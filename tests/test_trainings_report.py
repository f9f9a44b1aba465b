"""The periodic report gains a "Formations / Trainings" section in every format: trainees,
mean pre- and post-test scores, gain and pass rate by sex and component, from the engine."""

import io
import json

import pytest
from django.utils import translation

from musow.indicators.periods import Period
from musow.reports.builder import build_report
from musow.reports.renderers import render
from musow.reports.types import ReportScope
from musow.trainings.services import trainees_save
from tests.trainings_helpers import make_course, make_session, trainee

pytestmark = pytest.mark.django_db


def _report(lang: str = "en"):
    with translation.override(lang):
        return build_report(period=Period.parse("2014"), scope=ReportScope.everything(), lang=lang)


def _with_trainees() -> None:
    session = make_session(make_course(pass_mark=70), {"P-1": "f", "P-2": "f", "P-3": "m"})
    trainees_save(
        session=session,
        trainees=[
            trainee("P-1", component="police", pre=40, post=80),
            trainee("P-2", component="police", pre=60, post=65),
            trainee("P-3", component="military", post=90),  # no pre-test: no gain
        ],
    )


def test_the_report_has_a_trainings_table_by_sex_and_component():
    _with_trainees()
    table = _report().table("trainings")
    assert table is not None
    rows = {r.code: r.cells[3:] for r in table.rows}
    assert rows == {
        "f-police": [2, 50.0, 72.5, 22.5, 0.5],
        "m-military": [1, None, 90.0, None, 1.0],
    }
    assert table.total.cells[3:] == [3, 50.0, 78.3, 22.5, 2 / 3]


def test_a_period_without_trainees_has_no_trainings_section():
    assert _report().table("trainings") is None


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
def test_every_format_carries_the_trainings_section(fmt):
    _with_trainees()
    report = _report("fr")
    out = io.BytesIO()
    with translation.override("fr"):
        render(report, fmt, out)
    text = out.getvalue().decode("utf-8-sig")
    if fmt == "json":
        assert "trainings" in {t["key"] for t in json.loads(text)["tables"]}
    else:
        assert "Formations" in text
        assert "72,5" in text or "72.5" in text


def test_the_report_has_the_pre_post_distribution_by_sex_and_its_chart():
    _with_trainees()
    report = _report()
    table = report.table("trainings_scores")
    assert table is not None
    rows = {r.code: r.cells[3:] for r in table.rows}
    # bands 0–39, 40–69, 70–100, then the trainees tested (pre 40, 60; post 80, 65, 90)
    assert rows == {
        "f-pre": [0, 2, 0, 2],
        "f-post": [0, 1, 1, 2],
        "m-pre": [0, 0, 0, 0],  # not pre-tested: no data, in no band
        "m-post": [0, 0, 1, 1],
    }
    from musow.reports.renderers import context

    svg = context(report)["charts"]["trainings_scores"]
    assert svg.startswith("<svg") and "70–100" in svg


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "html", "pdf"])
def test_every_format_carries_the_score_distribution(fmt):
    _with_trainees()
    report = _report("fr")
    out = io.BytesIO()
    with translation.override("fr"):
        render(report, fmt, out)
    data = out.getvalue()
    if fmt == "json":
        import jsonschema

        from musow.reports.renderers import SCHEMA_PATH

        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        jsonschema.validate(json.loads(data), schema, format_checker=jsonschema.FormatChecker())
        keys = {t["key"] for t in json.loads(data)["tables"]}
        assert {"trainings", "trainings_scores"} <= keys
    elif fmt == "csv":
        text = data.decode("utf-8-sig")
        assert "trainings_scores" in text and "band_70-100" in text
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        text = " ".join(
            str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r
        )
        assert "70–100" in text and "post-test" in text
    elif fmt == "html":
        assert "<svg" in data.decode() and "Formations" in data.decode()
    else:
        assert data.startswith(b"%PDF")
