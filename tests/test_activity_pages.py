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


# --- the officers' queue and the e-mails -------------------------------------------------


@pytest.fixture
def mail_world(world):
    """The world with e-mail addresses: the officer reads English, the others French."""
    for role, user in world.users.items():
        user.email = f"{role}@example.org"
        user.language = "en" if role == "officer" else "fr"
        user.save()
    return world


def post_committed(client: Any, address: str, capture: Any, **data: Any) -> Any:
    """POST, then run what waits for the commit (the e-mails) as a real request would."""
    with capture(execute=True):
        return client.post(address, data)


def test_a_submission_tells_the_officers_in_their_language(
    mail_world, mailoutbox, django_capture_on_commit_callbacks
):
    world = mail_world
    web_fixtures.make_author(world.inside, world.users["focal_point"])
    response = post_committed(
        world.client("focal_point"),
        url("web:activity-submit", world.inside.pk),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["officer@example.org"]]
    message = mailoutbox[0]
    assert message.subject == "To validate: Causerie à Gao"
    assert f"/en/activities/{world.inside.pk}/" in message.body
    assert "gao submitted an activity for validation" in message.body


@pytest.mark.parametrize("action", ["return", "validate"])
def test_the_author_is_told_when_an_officer_returns_or_validates(
    mail_world, mailoutbox, django_capture_on_commit_callbacks, action
):
    world = mail_world
    web_fixtures.make_author(world.inside, world.users["focal_point"])
    Activity.objects.filter(pk=world.inside.pk).update(status="submitted")
    post_committed(
        world.client("officer"),
        url(f"web:activity-{action}", world.inside.pk),
        django_capture_on_commit_callbacks,
        comment="Il manque la liste de présence.",
    )
    assert [m.to for m in mailoutbox] == [["focal_point@example.org"]]
    body = mailoutbox[0].body
    subject = "Returned to you: %(title)s" if action == "return" else "Validated: %(title)s"
    assert mailoutbox[0].subject == tr("fr", subject, title="Causerie à Gao")
    assert mailoutbox[0].subject != tr("en", subject, title="Causerie à Gao")  # in French
    assert ("Il manque la liste de présence." in body) == (action == "return")
    assert f"/fr/activites/{world.inside.pk}/" in body


def test_a_refused_transition_tells_no_one(
    mail_world, mailoutbox, django_capture_on_commit_callbacks
):
    world = mail_world  # a draft cannot be validated
    post_committed(
        world.client("officer"),
        url("web:activity-validate", world.inside.pk),
        django_capture_on_commit_callbacks,
    )
    assert mailoutbox == []


def test_a_mail_server_that_fails_never_fails_the_change(
    mail_world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    world = mail_world
    web_fixtures.make_author(world.inside, world.users["focal_point"])

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("musow.activities.notifications.get_connection", down)
    response = post_committed(
        world.client("focal_point"),
        url("web:activity-submit", world.inside.pk),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert Activity.objects.get(pk=world.inside.pk).status == "submitted"
    assert "were not sent" in caplog.text


@pytest.mark.parametrize("lang", LANGS)
def test_the_dashboard_shows_an_officer_the_activities_to_validate(world, lang):
    Activity.objects.filter(pk__in=[world.inside.pk, world.outside.pk]).update(status="submitted")
    html = page(world.client("officer").get(url("web:dashboard", lang=lang)))
    with translation.override(lang):
        from django.utils.translation import ngettext

        said = ngettext(
            "%(number)s activity to validate", "%(number)s activities to validate", 2
        ) % {"number": 2}
    assert said in html
    assert f'href="{url("web:activities", lang=lang)}?status=submitted"' in html
    queue = page(
        world.client("officer").get(url("web:activities", lang=lang) + "?status=submitted")
    )
    assert "Causerie à Gao" in queue and "Conférence à Bamako" in queue
    focal = page(world.client("focal_point").get(url("web:dashboard", lang=lang)))
    assert 'class="queue"' not in focal  # a focal point does not validate


def test_signing_in_keeps_the_language_for_e_mails(world):
    from django.test import Client

    client = Client()
    world.users["focal_point"].set_password("gao-password-2014")
    world.users["focal_point"].save()
    response = client.post(
        url("web:login", lang="en"), {"username": "gao", "password": "gao-password-2014"}
    )
    assert response.status_code == 302
    world.users["focal_point"].refresh_from_db()
    assert world.users["focal_point"].language == "en"


# --- the form: every error at once ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_form_reports_every_error_in_one_round(world, lang):
    from tests.test_web_activities import cell

    bad = form_data(
        place="",  # missing
        end_date="2014-11-01",  # before the start
        participants_total="60",  # the breakdown adds up to 55 (40 + 12 + 3; -3 cannot count)
        **{cell("general-public", "m", "under-18"): "-3"},  # negative
    )
    response = world.client("officer").post(url("web:activity-new", lang=lang), bad)
    assert response.status_code == 200
    html = page(response)
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    with translation.override(lang):
        from django.utils.html import escape

        expected = [
            gettext("This field is required."),
            gettext("The end date cannot be before the start date."),
            gettext("Ensure this value is greater than or equal to %(limit_value)s.")
            % {"limit_value": 0},
            gettext(
                "The breakdown by audience, sex and age adds up to %(breakdown)s, "
                "but the total given is %(total)s."
            )
            % {"breakdown": 55, "total": 60},
        ]
    for message in expected:
        assert escape(message) in summary, message
    assert summary.count("<li>") == 4
    assert not Activity.objects.filter(title__startswith="Causerie sur les VBG à A").exists()


def test_a_form_with_no_field_error_is_checked_once_by_the_write_path(world):
    response = world.client("officer").post(
        url("web:activity-new", lang="en"), form_data(participants_total="60")
    )
    html = page(response)
    assert html.count("adds up to 55, but the total given is 60") == 2  # summary and field


def test_the_form_offers_partners_as_boxes_and_one_empty_choice_style(world):
    html = page(world.client("officer").get(url("web:activity-new")))
    assert 'type="checkbox" name="partners"' in html
    assert '<select name="partners"' not in html and "multiple" not in html
    assert "---------" not in html
    assert 'data-mismatch="' in html
