"""The back office through HTTP, as a superuser, in French and in English."""

from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from musow.accounts.models import User
from musow.activities.models import (
    Activity,
    ActivityType,
    AgeGroup,
    Attendance,
    Attendee,
    Audience,
    Campaign,
    CampaignSeries,
    MediaReach,
    Participation,
    Theme,
)
from musow.audit.models import Entry
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from tests.factories import make_activity

LANGS = ["fr", "en"]
# Rows of an activity are written through the activity only; attendees come from
# attendance lists: these have no add page, by design.
# Accounts are written on the site's user pages (checked and audited), not in the admin.
READ_ONLY = {Participation, MediaReach, Attendance, Attendee, Entry, User}


def url(lang: str, name: str, *args: Any) -> str:
    with translation.override(lang):
        return reverse(name, args=args)


def admin_url(lang: str, model: Any, view: str, *args: Any) -> str:
    opts = model._meta
    return url(lang, f"admin:{opts.app_label}_{opts.model_name}_{view}", *args)


def message(lang: str, msgid: str, **params: Any) -> str:
    """A service message as the service says it in `lang`, HTML-escaped as in a page."""
    with translation.override(lang):
        return escape(gettext(msgid) % params if params else gettext(msgid))


# -- every page answers ---------------------------------------------------------


@pytest.fixture
def some_records(db):
    activity = make_activity(
        attendance=[{"code": "ETU-0001", "sex": "f", "audience": "students", "age": "18-plus"}],
        media=[{"medium": "radio", "outlet": "Radio Mikado FM", "audience": 150000}],
    )
    return activity


@pytest.mark.parametrize("lang", LANGS)
def test_every_changelist_and_add_page_answers(admin_client, some_records, lang):
    assert admin_client.get(url(lang, "admin:index")).status_code == 200
    for model in admin.site._registry:
        changelist = admin_client.get(admin_url(lang, model, "changelist"))
        assert changelist.status_code == 200, model
        add = admin_client.get(admin_url(lang, model, "add"))
        read_only = model in READ_ONLY or model._meta.app_label == "axes"  # logs, not records
        assert add.status_code == (403 if read_only else 200), model


@pytest.mark.parametrize("lang", LANGS)
def test_change_pages_answer(admin_client, some_records, lang):
    activity = some_records
    objects = [
        activity,
        activity.participation.first(),
        activity.attendance.first(),
        Attendee.objects.first(),
        Place.objects.get(pcode="ML07"),
    ]
    for obj in objects:
        page = admin_client.get(admin_url(lang, type(obj), "change", obj.pk))
        assert page.status_code == 200, obj


def test_changelist_filters_search_and_localized_names(admin_client, some_records):
    activities = admin_url("en", Activity, "changelist")
    bamako = Place.objects.get(pcode="ML09")
    gao = Place.objects.get(pcode="ML07")
    assert "Conférence sur les VBG" in admin_client.get(f"{activities}?region={bamako.pk}").text
    assert "Conférence sur les VBG" not in admin_client.get(f"{activities}?region={gao.pk}").text
    assert "Conférence sur les VBG" in admin_client.get(f"{activities}?q=VBG").text
    for query in ("status__exact=validated", "start_date__year=2014", "themes__id__exact=1"):
        assert admin_client.get(f"{activities}?{query}").status_code == 200
    places = admin_url("en", Place, "changelist")
    assert "Timbuktu" in admin_client.get(places).text
    assert "Tombouctou" in admin_client.get(admin_url("fr", Place, "changelist")).text


def test_attendees_show_a_key_prefix_only_and_keys_cannot_be_edited(admin_client, some_records):
    attendee = Attendee.objects.get()
    page = admin_client.get(admin_url("en", Attendee, "change", attendee.pk)).text
    assert attendee.key[:12] in page
    assert attendee.key not in page
    admin_client.post(
        admin_url("en", Attendee, "change", attendee.pk), {"key": "forged", "sex": "m"}
    )
    attendee.refresh_from_db()
    assert attendee.key != "forged" and len(attendee.key) == 64
    listing = admin_client.get(admin_url("en", Attendance, "changelist")).text
    assert attendee.key[:12] in listing and attendee.key not in listing


# -- adding an activity through the admin -------------------------------------


def activity_form(rows: list[tuple[str, str, str, Any]], **overrides: Any) -> dict[str, Any]:
    """POST data of the add page: the activity, its participation rows, no media."""
    data: dict[str, Any] = {
        "title": "Séance de sensibilisation à Gao",
        "activity_type": ActivityType.objects.get(code="awareness-session").pk,
        "themes": [Theme.objects.get(code="gbv").pk],
        "description": "",
        "start_date": "2014-11-27",
        "end_date": "2014-11-27",
        "place": Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode="ML07").pk,
        "campaign": "",
        "project": "",
        "organiser": "",
        "participants_total": "",
        "participation-TOTAL_FORMS": len(rows),
        "participation-INITIAL_FORMS": 0,
        "participation-MIN_NUM_FORMS": 0,
        "participation-MAX_NUM_FORMS": 1000,
        "media_reach-TOTAL_FORMS": 0,
        "media_reach-INITIAL_FORMS": 0,
        "media_reach-MIN_NUM_FORMS": 0,
        "media_reach-MAX_NUM_FORMS": 1000,
    }
    for i, (audience, sex, age, count) in enumerate(rows):
        data[f"participation-{i}-audience"] = Audience.objects.get(code=audience).pk
        data[f"participation-{i}-sex"] = sex
        data[f"participation-{i}-age_group"] = AgeGroup.objects.get(code=age).pk
        data[f"participation-{i}-count"] = count
    data.update(overrides)
    return data


ROWS = [
    ("women-leaders", "f", "18-plus", 40),
    ("general-public", "m", "18-plus", 15),
    ("students", "f", "under-18", 5),
]


@pytest.mark.parametrize("lang", LANGS)
def test_adding_an_activity_with_participation_counts(admin_client, lang):
    response = admin_client.post(
        admin_url(lang, Activity, "add"), activity_form(ROWS, participants_total=60)
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.DRAFT
    assert activity.source == "admin"
    assert activity.created_by is not None and activity.created_by.username == "admin"
    assert activity.source_hash  # written by activity_save
    assert sorted(activity.participation.values_list("count", flat=True)) == [5, 15, 40]
    assert [t.code for t in activity.themes.all()] == ["gbv"]
    assert LogEntry.objects.filter(object_id=str(activity.pk)).exists()


def test_editing_an_activity_replaces_its_rows_and_keeps_its_attendance(admin_client):
    activity = make_activity(
        attendance=[{"code": "ETU-0001", "sex": "f", "audience": "students", "age": "18-plus"}],
    )
    rows = list(activity.participation.order_by("pk"))
    data = activity_form(
        [],
        title="Conférence sur les VBG (corrigée)",
        start_date="2014-11-26",
        end_date="2014-11-26",
        place=activity.place_id,
        **{
            "participation-TOTAL_FORMS": 3,
            "participation-INITIAL_FORMS": 2,
            "attendance-TOTAL_FORMS": 1,
            "attendance-INITIAL_FORMS": 1,
            "attendance-MIN_NUM_FORMS": 0,
            "attendance-MAX_NUM_FORMS": 1000,
            "attendance-0-id": activity.attendance.get().pk,
            "attendance-0-activity": activity.pk,
        },
    )
    for i, row in enumerate(rows):
        data.update(
            {
                f"participation-{i}-id": row.pk,
                f"participation-{i}-activity": activity.pk,
                f"participation-{i}-audience": row.audience_id,
                f"participation-{i}-sex": row.sex,
                f"participation-{i}-age_group": row.age_group_id,
                f"participation-{i}-count": row.count,
            }
        )
    data["participation-1-DELETE"] = "on"
    data["version"] = activity.version
    data.update(
        {
            "participation-2-audience": Audience.objects.get(code="students").pk,
            "participation-2-sex": "f",
            "participation-2-age_group": AgeGroup.objects.get(code="under-18").pk,
            "participation-2-count": 12,
        }
    )
    response = admin_client.post(admin_url("en", Activity, "change", activity.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    activity.refresh_from_db()
    assert activity.title == "Conférence sur les VBG (corrigée)"
    assert activity.status == Activity.Status.VALIDATED  # status changes only by actions
    assert sorted(activity.participation.values_list("count", flat=True)) == [12, 30]
    assert activity.attendance.count() == 1


# -- bad input: the service's message, nothing written --------------------------


def post_add(client, lang: str, data: dict[str, Any]):
    response = client.post(admin_url(lang, Activity, "add"), data)
    assert response.status_code == 200  # the form again, with its errors
    assert not Activity.objects.exists() and not Participation.objects.exists()
    return response.text


@pytest.mark.parametrize("lang", LANGS)
def test_a_negative_count_is_refused(admin_client, lang):
    rows = [*ROWS[:2], ("students", "f", "under-18", -5)]
    page = post_add(admin_client, lang, activity_form(rows))
    expected = message(lang, "A number of participants cannot be negative (%(count)s).", count=-5)
    assert expected in page
    if lang == "en":
        assert "A number of participants cannot be negative (-5)." in page
    else:
        assert "Corrigez" in page  # Django's own French: "Corrigez l’erreur ci-dessous."


@pytest.mark.parametrize("lang", LANGS)
def test_an_end_before_the_start_is_refused(admin_client, lang):
    data = activity_form(ROWS, start_date="2014-11-27", end_date="2014-11-25")
    page = post_add(admin_client, lang, data)
    assert message(lang, "The end date cannot be before the start date.") in page
    assert page.count(message(lang, "The end date cannot be before the start date.")) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_a_total_that_does_not_match_the_breakdown_is_refused(admin_client, lang):
    page = post_add(admin_client, lang, activity_form(ROWS, participants_total=70))
    expected = message(
        lang,
        "The breakdown by audience, sex and age adds up to %(breakdown)s, "
        "but the total given is %(total)s.",
        breakdown=60,
        total=70,
    )
    assert expected in page
    if lang == "en":
        assert "adds up to 60, but the total given is 70." in page


@pytest.mark.parametrize("lang", LANGS)
def test_a_cell_given_twice_is_refused(admin_client, lang):
    rows = [*ROWS, ("women-leaders", "f", "18-plus", 3)]
    page = post_add(admin_client, lang, activity_form(rows))
    with translation.override(lang):
        audience = Audience.objects.get(code="women-leaders").name
        age = AgeGroup.objects.get(code="18-plus").name
        sex = str(Participation._meta.get_field("sex").flatchoices[0][1])
    expected = message(
        lang,
        "%(audience)s · %(sex)s · %(age)s appears %(n)s times; "
        "give each audience, sex and age group once.",
        audience=audience,
        sex=sex,
        age=age,
        n=2,
    )
    assert expected in page
    if lang == "en":
        assert "Women leaders · female · 18 and over appears 2 times" in page
    # Django's own uniqueness message is not added to the service's.
    assert "Please correct the duplicate data" not in page


@pytest.mark.parametrize("lang", LANGS)
def test_dates_outside_the_campaign_window_are_refused(admin_client, lang):
    series = CampaignSeries.objects.get(code="16-days")
    campaign = Campaign.objects.create(
        code="16-days-2014",
        series=series,
        name_fr="16 jours d'activisme 2014",
        name_en="16 Days of Activism 2014",
        start_date=date(2014, 11, 25),
        end_date=date(2014, 12, 10),
    )
    data = activity_form(ROWS, start_date="2014-10-01", end_date="2014-10-01", campaign=campaign.pk)
    page = post_add(admin_client, lang, data)
    with translation.override(lang):
        name = campaign.name
    expected = message(
        lang,
        "The activity's dates fall outside the window of the campaign "
        "“%(campaign)s” (%(start)s – %(end)s).",
        campaign=name,
        start=campaign.start_date,
        end=campaign.end_date,
    )
    assert expected in page


def test_every_problem_is_reported_at_once(admin_client):
    rows = [("students", "f", "under-18", -5), ("students", "f", "under-18", 2)]
    data = activity_form(rows, start_date="2014-11-27", end_date="2014-11-25")
    page = post_add(admin_client, "en", data)
    assert "The end date cannot be before the start date." in page
    assert "A number of participants cannot be negative (-5)." in page
    assert "appears 2 times" in page


# -- status changes -----------------------------------------------------------


def test_submit_and_validate_actions_go_through_the_workflow(admin_client):
    draft = make_activity(status="draft")
    changelist = admin_url("en", Activity, "changelist")

    def act(action: str):
        return admin_client.post(
            changelist, {"action": action, "_selected_action": [draft.pk]}, follow=True
        )

    page = act("validate_activities").text
    assert "Only a submitted activity can be validated." in page
    draft.refresh_from_db()
    assert draft.status == Activity.Status.DRAFT

    assert "1 activity submitted." in act("submit_activities").text
    draft.refresh_from_db()
    assert draft.status == Activity.Status.SUBMITTED

    assert "1 activity validated." in act("validate_activities").text
    draft.refresh_from_db()
    assert draft.status == Activity.Status.VALIDATED
    assert draft.validated_by is not None and draft.validated_at is not None


def test_a_change_made_from_an_older_version_is_refused_and_nothing_is_lost(admin_client):
    activity = make_activity(title="Avant", status="draft")
    page = admin_client.get(admin_url("en", Activity, "change", activity.pk))
    version = page.context["adminform"].form["version"].value()
    # someone else saves in between
    from musow.activities.records import activity_input_from_record
    from musow.activities.services import activity_save
    from tests.factories import record

    activity_save(
        data=activity_input_from_record(record(title="Entre-temps", status="draft"), source="test"),
        activity=activity,
    )
    data = {
        "title": "Mon titre",
        "activity_type": activity.activity_type_id,
        "themes": [t.pk for t in activity.themes.all()],
        "start_date": "2014-11-26",
        "end_date": "2014-11-26",
        "place": activity.place_id,
        "version": version,
        "participation-TOTAL_FORMS": 0,
        "participation-INITIAL_FORMS": 0,
        "media_reach-TOTAL_FORMS": 0,
        "media_reach-INITIAL_FORMS": 0,
    }
    response = admin_client.post(admin_url("en", Activity, "change", activity.pk), data)
    assert response.status_code == 200
    assert "Someone else changed this activity" in response.content.decode()
    assert 'value="Mon titre"' in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Entre-temps"


def test_the_admin_deletes_reversibly(admin_client):
    activity = make_activity(title="À retirer")
    changelist = admin_url("en", Activity, "changelist")
    admin_client.post(
        changelist, {"action": "delete_activities", "_selected_action": [activity.pk]}
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DELETED
    admin_client.post(
        changelist, {"action": "restore_activities", "_selected_action": [activity.pk]}
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.VALIDATED
    assert Activity.objects.filter(pk=activity.pk).exists()
