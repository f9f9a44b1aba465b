"""The activity pages as people read them (issue 15): a history in words, dates in one
style per language, the list's participants and number of results, the actions a
status allows, and the officers' queue with its e-mails."""

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from musow.activities.models import Activity
from musow.audit.models import Entry
from tests import web_fixtures
from tests.test_web_activities import form_data, page, region
from tests.web_fixtures import url

world = web_fixtures.world

LANGS = ["fr", "en"]


def tr(lang: str, msgid: str, **params: Any) -> str:
    with translation.override(lang):
        text = gettext(msgid)
    return text % params if params else text


def history_of(html: str) -> str:
    return html[html.index('id="history"') :]


# --- the history in words ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_history_names_things_in_the_readers_language_not_by_code(world, lang):
    client = world.client("focal_point")
    response = client.post(url("web:activity-new", lang="fr"), form_data(action="submit"))
    activity = Activity.objects.get(title="Causerie sur les VBG à Ansongo")
    html = page(world.client("officer").get(url("web:activity", activity.pk, lang=lang)))
    trail = history_of(html)
    for code in ("general-public", "18-plus", "ML07", "awareness-session", "2014-11-28<"):
        assert code not in trail, code
    assert region("ML07").name in trail
    with translation.override(lang):
        assert gettext("female") in trail
        date = "28 novembre 2014" if lang == "fr" else "28 November 2014"
        assert date in trail
        # the origin, written in French when it was saved, reads in the page's language
        entered = gettext("entered by %(user)s") % {"user": "gao"}
        assert entered in trail and entered in html[: html.index('id="history"')]
    assert response.status_code == 302


def test_the_history_of_a_status_change_names_the_statuses(world):
    client = world.client("officer")
    client.post(url("web:activity-submit", world.inside.pk, lang="en"))
    trail = history_of(page(client.get(url("web:activity", world.inside.pk, lang="en"))))
    assert "<td>draft</td>" in trail and "<td>submitted</td>" in trail


# --- dates: one style per language, 24-hour times ---------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"), [("fr", "3 décembre 2014, 07:09"), ("en", "3 December 2014, 07:09")]
)
def test_dates_and_times_read_day_month_year_on_a_24_hour_clock(world, lang, expected):
    Activity.objects.filter(pk=world.inside.pk).update(
        start_date="2014-12-03", end_date="2014-12-03"
    )
    Entry.objects.filter(target_id=str(world.inside.pk)).update(at="2014-12-03T07:09:00Z")
    html = page(world.client("officer").get(url("web:activity", world.inside.pk, lang=lang)))
    assert expected in html
    assert "a.m." not in html and "Dec." not in html


# --- the list ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_list_shows_each_activitys_participants_and_the_number_of_results(world, lang):
    html = page(world.client("officer").get(url("web:activities", lang=lang)))
    assert tr(lang, "Participants") in html
    assert ">50</td>" in html  # each test activity: 30 women and 20 men
    with translation.override(lang):
        from django.utils.translation import ngettext

        said = ngettext("%(number)s activity matches.", "%(number)s activities match.", 2)
    assert said % {"number": 2} in html
    focal = page(world.client("focal_point").get(url("web:activities", lang=lang) + "?q=Gao"))
    with translation.override(lang):
        said = ngettext("%(number)s activity matches.", "%(number)s activities match.", 1)
    assert said % {"number": 1} in focal


def test_the_number_of_results_stops_counting_past_a_thousand(world, monkeypatch):
    from musow.web import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 1)
    html = page(world.client("officer").get(url("web:activities", lang="en")))
    assert "More than 1 activities match." in html


# --- the actions a status allows -------------------------------------------------------


RETURN_BOX = 'id="return-comment"'


def test_a_submitted_activity_offers_the_return_box_a_validated_one_keeps_it_folded(world):
    client = world.client("officer")
    client.post(url("web:activity-submit", world.inside.pk))
    submitted = page(client.get(url("web:activity", world.inside.pk)))
    assert RETURN_BOX in submitted and 'class="reopen"' not in submitted
    client.post(url("web:activity-validate", world.inside.pk))
    validated = page(client.get(url("web:activity", world.inside.pk)))
    box = validated.index(RETURN_BOX)
    assert validated.rindex('<details class="reopen">', 0, box) < box  # folded away
    assert tr("fr", "Return to its author, saying why") in validated
