"""The indicators the code reads by code (`musow.indicators.codes`): a missing or changed one
is an error that `musow check` and `musow serve` report at start-up, and a report refuses to
be built without it — never a 0 in its tables."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from musow.indicators.codes import ACTIVITIES, MEDIA, NEEDED, PARTICIPANTS
from musow.indicators.models import Indicator
from musow.indicators.periods import Period
from musow.reports.builder import build_report
from musow.reports.types import ReportError, ReportScope
from tests.web_fixtures import FAST_HASHERS, build_world, url

pytestmark = pytest.mark.django_db


def check(lang: str = "en") -> str:
    out = io.StringIO()
    with translation.override(lang):
        call_command("check", stdout=out, stderr=out)
    return out.getvalue()


def check_errors(lang: str = "en") -> str:
    with pytest.raises(SystemCheckError) as caught:
        check(lang)
    return str(caught.value)


def test_the_shipped_indicators_pass_the_check():
    assert "no issues" in check()
    assert {n.code for n in NEEDED} <= set(Indicator.objects.values_list("code", flat=True))


def test_a_missing_indicator_is_an_error_at_start_up():
    Indicator.objects.filter(code=MEDIA).delete()
    errors = check_errors()
    assert "musow.E001" in errors and f"“{MEDIA}”" in errors
    assert "musow setup" in errors


def test_an_indicator_that_counts_otherwise_is_an_error():
    Indicator.objects.filter(code=ACTIVITIES).update(rule=Indicator.Rule.CONTACTS)
    errors = check_errors()
    assert "musow.E002" in errors and f"“{ACTIVITIES}”" in errors


def test_an_indicator_that_lost_a_breakdown_the_code_asks_for_is_an_error():
    Indicator.objects.filter(code=PARTICIPANTS).update(disaggregations=["year", "month"])
    errors = check_errors()
    assert "musow.E003" in errors and f"“{PARTICIPANTS}”" in errors
    assert "region" in errors and "sex" in errors


def test_the_error_is_in_french_too():
    Indicator.objects.filter(code=MEDIA).delete()
    errors = check_errors("fr")
    assert f"L'indicateur « {MEDIA} » manque" in errors.replace("\u202f", " ").replace(
        "\u00a0", " "
    )


def test_serve_refuses_to_start_on_a_database_missing_an_indicator(monkeypatch):
    def no_server(*args: object) -> None:
        raise AssertionError("serve started the server")

    monkeypatch.setattr("os.execv", no_server)
    Indicator.objects.filter(code=MEDIA).delete()
    with translation.override("en"), pytest.raises(SystemCheckError, match="musow.E001"):
        call_command("serve", "--addr", "127.0.0.1:1", skip_checks=False)


def test_setup_repairs_what_the_check_reports():
    Indicator.objects.filter(code=MEDIA).delete()
    call_command("setup", stdout=io.StringIO())  # runs without the checks it repairs
    assert "no issues" in check()


def report_2014() -> None:
    build_report(period=Period.parse("2014"), scope=ReportScope.everything(), lang="en")


def test_a_report_without_an_indicator_it_is_built_on_is_refused_not_zero():
    build_world(status="validated")
    report_2014()  # builds
    Indicator.objects.filter(code=MEDIA).delete()
    with pytest.raises(ReportError, match=MEDIA):
        report_2014()


def test_a_breakdown_the_engine_refuses_is_an_error_in_the_report_not_an_empty_table():
    build_world(status="validated")
    Indicator.objects.filter(code=PARTICIPANTS).update(disaggregations=["year"])
    with pytest.raises(ReportError, match=PARTICIPANTS):
        report_2014()


def test_the_report_command_says_why_it_cannot_build(tmp_path: Path):
    build_world(status="validated")
    Indicator.objects.filter(code=MEDIA).delete()
    with pytest.raises(CommandError, match=MEDIA):
        call_command("report", "--period", "2014", "--out", str(tmp_path / "r.html"))
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_page_says_why_it_cannot_build(settings, lang):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    world = build_world(status="validated")
    Indicator.objects.filter(code=MEDIA).delete()
    response = world.client("officer").get(
        url("reports:report", lang=lang), {"period": "2014", "format": "html"}
    )
    assert response.status_code == 503
    text = response.content.decode().replace("&#x27;", "'")
    assert MEDIA in text
    assert ("besoin de l'indicateur" if lang == "fr" else "needs the indicator") in text
