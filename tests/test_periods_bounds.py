"""Extreme periods get a clear message at every door, never a 500 (issue 9, item 13):
the supported years (1990 to 2100) are enforced in one place, `Period.parse`, and the
widest period within them works everywhere."""

import pytest
from django.core.management.base import CommandError
from django.utils import translation

from musow.indicators.periods import Period, PeriodError
from tests.test_cli import run
from tests.web_fixtures import FAST_HASHERS, World, build_world, url

pytestmark = pytest.mark.django_db

EXTREME = ["0999-01-01..2014-12-31", "0001", "1000-01-01..9999-12-31", "9999-Q4", "1989-12"]
OUTSIDE = {
    "fr": "est en dehors des années que couvre musow : de 1990 à 2100",
    "en": "is outside the years musow covers: from 1990 to 2100",
}
FIRST_YEAR, LAST_YEAR = 1990, 2100
WIDEST = f"{FIRST_YEAR}-01-01..{LAST_YEAR}-12-31"


@pytest.fixture
def world(db, settings) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build_world(status="validated")


@pytest.mark.parametrize("text", EXTREME)
def test_periods_outside_the_supported_years_are_refused_in_one_place(text):
    with translation.override("en"), pytest.raises(PeriodError) as refused:
        Period.parse(text)
    assert f"The period “{text}” {OUTSIDE['en']}." in str(refused.value)


def test_the_first_and_last_supported_periods_and_the_one_before_them_are_valid():
    assert Period.parse(WIDEST).end.year == LAST_YEAR
    assert Period.parse(str(FIRST_YEAR)).previous().start.year == FIRST_YEAR - 1
    assert Period.parse(WIDEST).previous().end.year == FIRST_YEAR - 1


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("text", EXTREME)
def test_the_dashboard_and_the_activity_list_say_so(world, lang, text):
    client = world.client("officer")
    for name in ("web:dashboard", "web:activities"):
        response = client.get(url(name, lang=lang), {"period": text})
        assert response.status_code == 200, (name, text)
        assert OUTSIDE[lang] in response.content.decode(), (name, text)


@pytest.mark.parametrize("text", EXTREME)
def test_the_report_page_says_so(world, text):
    response = world.client("admin").get(url("reports:report"), {"period": text})
    assert response.status_code == 400
    assert OUTSIDE["fr"] in response.content.decode()


@pytest.mark.parametrize("text", EXTREME)
def test_the_figures_command_says_so(text):
    with pytest.raises(CommandError) as refused:
        run("figures", "--period", text, "--lang", "en")
    assert OUTSIDE["en"] in str(refused.value)


def test_the_widest_supported_period_works_at_every_door(world):
    client = world.client("officer")
    for name in ("web:dashboard", "web:activities"):
        assert client.get(url(name), {"period": WIDEST}).status_code == 200, name
    response = world.client("admin").get(url("reports:report"), {"period": WIDEST})
    assert response.status_code == 200
    run("figures", "--period", WIDEST, "--lang", "en")
