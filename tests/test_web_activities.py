"""The staff pages for activities, through HTTP, as each role uses them: entry on one
page, validation, returns with a comment, stale saves, reversible delete, the audit
trail, and the list with its filters, search, scope and keyset pages."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from musow.activities import services
from musow.activities.models import (
    Activity,
    ActivityType,
    AgeGroup,
    Audience,
    Campaign,
    CampaignSeries,
    Project,
    Theme,
)
from musow.audit.models import Entry
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from tests import web_fixtures
from tests.factories import make_activity
from tests.web_fixtures import make_author, url

world = web_fixtures.world  # the fixture: one account per role, two activities

LANGS = ["fr", "en"]


def msg(lang: str, msgid: str, **params: Any) -> str:
    with translation.override(lang):
        text = gettext(msgid)
    return escape(text % params if params else text)


def text(lang: str, msgid: str) -> str:
    """Template text as a page shows it (template literals are not escaped)."""
    with translation.override(lang):
        return gettext(msgid)


def region(pcode: str) -> Place:
    return Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=pcode)


def cell(audience: str, sex: str, age: str) -> str:
    a = Audience.objects.get(code=audience)
    g = AgeGroup.objects.get(code=age)
    return f"p_{a.pk}_{sex}_{g.pk}"


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Causerie sur les VBG à Ansongo",
        "activity_type": ActivityType.objects.get(code="awareness-session").pk,
        "themes": [Theme.objects.get(code="gbv").pk],
        "description": "Avec les femmes du marché.",
        "start_date": "2014-11-28",
        "end_date": "2014-11-28",
        "place": region("ML07").pk,
        cell("general-public", "f", "18-plus"): "40",
        cell("general-public", "m", "18-plus"): "12",
        cell("general-public", "f", "under-18"): "3",
        "action": "draft",
    }
    data.update(overrides)
    return data


def page(response: Any) -> str:
    return response.content.decode()


# --- entry ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_focal_point_enters_an_activity_with_participation_and_submits_it(world, lang):
    client = world.client("focal_point")
    new = client.get(url("web:activity-new", lang=lang))
    assert new.status_code == 200
    html = page(new)
    assert 'name="place"' in html and "<optgroup" in html
    assert "activity-form.js" in html
    response = client.post(url("web:activity-new", lang=lang), form_data(action="submit"))
    assert response.status_code == 302
    activity = Activity.objects.get(title="Causerie sur les VBG à Ansongo")
    assert response["Location"] == url("web:activity", activity.pk, lang=lang)
    assert activity.status == Activity.Status.SUBMITTED
    assert activity.created_by == world.users["focal_point"]
    assert sum(p.count for p in activity.participation.all()) == 55
    assert activity.origin.endswith("gao")
    actions = list(Entry.objects.for_target(activity).values_list("action", flat=True))
    assert actions == ["submit", "create"]
    detail = page(client.get(response["Location"]))
    assert msg(lang, "Submitted for validation.") in detail
    assert msg(lang, "provisional") in detail
    assert ">55<" in detail  # the total is the breakdown's sum


def test_save_as_draft_keeps_a_provisional_draft(world):
    client = world.client("officer")
    response = client.post(url("web:activity-new"), form_data())
    activity = Activity.objects.get(title="Causerie sur les VBG à Ansongo")
    assert activity.status == Activity.Status.DRAFT
    detail = page(client.get(response["Location"]))
    assert msg("fr", "Saved as a draft.") in detail
    provisional = (
        "Provisional: this activity does not count in official figures until it is validated."
    )
    assert text("fr", provisional) in detail


@pytest.mark.parametrize("lang", LANGS)
def test_a_declared_total_that_differs_from_the_breakdown_is_refused_in_the_users_language(
    world, lang
):
    client = world.client("focal_point")
    response = client.post(url("web:activity-new", lang=lang), form_data(participants_total="60"))
    assert response.status_code == 200
    with translation.override(lang):
        expected = escape(
            gettext(
                "The breakdown by audience, sex and age adds up to %(breakdown)s, "
                "but the total given is %(total)s."
            )
            % {"breakdown": 55, "total": 60}
        )
    assert expected in page(response)
    assert 'value="Causerie sur les VBG à Ansongo"' in page(response)  # input kept
    assert not Activity.objects.filter(title__startswith="Causerie sur les VBG à A").exists()


def test_a_negative_count_and_an_end_before_the_start_are_refused(world):
    client = world.client("officer")
    bad = form_data(end_date="2014-11-01", **{cell("general-public", "m", "18-plus"): "-3"})
    response = client.post(url("web:activity-new"), bad)
    assert response.status_code == 200
    assert Activity.objects.count() == 2
    assert 'class="error"' in page(response)


def test_a_focal_point_cannot_choose_a_place_outside_their_region(world):
    client = world.client("focal_point")
    html = page(client.get(url("web:activity-new")))
    places = html[html.index('name="place"') : html.index("</select>", html.index('name="place"'))]
    assert f'value="{region("ML07").pk}"' in places
    assert f'value="{region("ML09").pk}"' not in places  # Bamako is not offered
    response = client.post(url("web:activity-new"), form_data(place=region("ML09").pk))
    assert response.status_code == 200
    refused = msg(
        "fr",
        "Select a valid choice. %(value)s is not one of the available choices.",
        value=region("ML09").pk,
    )
    assert refused in page(response)
    assert Activity.objects.count() == 2


def test_a_partner_enters_only_activities_of_its_organisation(world):
    client = world.client("partner")
    html = page(client.get(url("web:activity-new")))
    assert f'<option value="{world.partner_org.pk}" selected>' in html  # offered as organiser
    response = client.post(url("web:activity-new"), form_data())
    assert msg("fr", "You may only enter activities of your region or organisation.") in page(
        response
    )
    response = client.post(url("web:activity-new"), form_data(organiser=world.partner_org.pk))
    assert response.status_code == 302


def test_the_viewer_sees_no_record_and_enters_nothing(world):
    client = world.client("viewer")
    assert client.get(url("web:activities")).status_code == 403
    assert client.get(url("web:activity", world.inside.pk)).status_code == 403
    assert client.post(url("web:activity-new"), form_data()).status_code == 403
    assert Activity.objects.count() == 2


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_an_officer_returns_with_a_comment_the_author_reads_it_then_validates(world, lang):
    make_author(world.inside, world.users["focal_point"])
    author = world.client("focal_point")
    services.activity_submit(activity=world.inside, user=world.users["focal_point"])
    officer = world.client("officer")
    detail = url("web:activity", world.inside.pk, lang=lang)
    refused = officer.post(url("web:activity-return", world.inside.pk, lang=lang), {"comment": " "})
    assert refused.status_code == 302
    assert msg(lang, "Say why the activity is returned: its author will read it.") in page(
        officer.get(detail)
    )
    officer.post(
        url("web:activity-return", world.inside.pk, lang=lang),
        {"comment": "Ajoutez la liste de présence."},
    )
    world.inside.refresh_from_db()
    assert world.inside.status == Activity.Status.RETURNED
    seen = page(author.get(detail))
    assert "Ajoutez la liste de présence." in seen
    assert msg(lang, "Returned to its author") in seen
    # The author corrects and submits again from the edit page; the officer validates.
    edit = url("web:activity-edit", world.inside.pk, lang=lang)
    assert "Ajoutez la liste de présence." in page(author.get(edit))
    form = form_data(action="submit", organiser=world.partner_org.pk, version=world.inside.version)
    assert author.post(edit, form).status_code == 302
    officer.post(url("web:activity-validate", world.inside.pk, lang=lang))
    world.inside.refresh_from_db()
    assert world.inside.status == Activity.Status.VALIDATED
    assert msg(lang, "provisional") not in page(author.get(detail)).split("<main")[1]


def test_a_focal_point_cannot_validate_and_a_draft_cannot_be_validated(world):
    focal = world.client("focal_point")
    assert focal.post(url("web:activity-validate", world.inside.pk)).status_code == 403
    officer = world.client("officer")
    officer.post(url("web:activity-validate", world.inside.pk))
    world.inside.refresh_from_db()
    assert world.inside.status == Activity.Status.DRAFT
    assert msg("fr", "Only a submitted activity can be validated.") in page(
        officer.get(url("web:activity", world.inside.pk))
    )


def test_a_submitted_activity_is_no_longer_editable_by_its_author(world):
    services.activity_submit(activity=world.inside, user=world.users["focal_point"])
    focal = world.client("focal_point")
    assert focal.get(url("web:activity-edit", world.inside.pk)).status_code == 403
    assert world.client("officer").get(url("web:activity-edit", world.inside.pk)).status_code == 200


# --- two people editing the same activity ---------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_stale_save_is_refused_and_the_input_is_kept(world, lang):
    edit = url("web:activity-edit", world.inside.pk, lang=lang)
    first, second = world.client("officer"), world.client("admin")
    opened = world.inside.version
    assert f'name="version" value="{opened}"' in page(first.get(edit))
    # Someone else saves first.
    assert second.post(edit, form_data(title="Titre de l'admin", version=opened)).status_code == 302
    # The first person's save, made from the version they opened, is refused.
    response = first.post(edit, form_data(title="Titre de l'agente", version=opened))
    assert response.status_code == 200
    html = page(response)
    assert (
        msg(
            lang,
            "Someone else changed this activity since you opened it. Your input is kept below: "
            "compare it with the current version, then save again.",
        )
        in html
    )
    assert "Titre de l&#x27;agente" in html
    world.inside.refresh_from_db()
    assert world.inside.title == "Titre de l'admin"
    # Saving again, knowingly, goes through.
    current = world.inside.version
    assert f'name="version" value="{current}"' in html
    again = first.post(edit, form_data(title="Titre de l'agente", version=current))
    assert again.status_code == 302
    world.inside.refresh_from_db()
    assert world.inside.title == "Titre de l'agente"


def test_editing_keeps_what_the_page_does_not_show(world):
    activity = make_activity(
        key="radio",
        title="Émission radio",
        type="radio-programme",
        place="ML07",
        status="draft",
        media=[{"medium": "radio", "outlet": "Radio Naata", "audience": 15000}],
        attendance=[{"code": "P-1", "sex": "f", "audience": "general-public", "age": "18-plus"}],
    )
    client = world.client("officer")
    edit = url("web:activity-edit", activity.pk)
    client.post(edit, form_data(title="Émission radio (corrigée)", version=activity.version))
    activity.refresh_from_db()
    assert activity.title == "Émission radio (corrigée)"
    assert activity.media_reach.get().estimated_audience == 15000
    assert activity.attendance.count() == 1


# --- delete, restore, audit trail ---------------------------------------------------------


def test_delete_is_reversible_by_the_unit_admin_and_audited(world):
    make_author(world.inside, world.users["focal_point"])
    focal, admin = world.client("focal_point"), world.client("admin")
    pk = world.inside.pk
    assert focal.post(url("web:activity-delete", pk), {"comment": "Doublon"}).status_code == 302
    world.inside.refresh_from_db()
    assert world.inside.status == Activity.Status.DELETED
    assert "Causerie à Gao" not in page(focal.get(url("web:activities")))
    assert focal.get(url("web:activity", pk)).status_code == 404
    assert world.client("officer").get(url("web:activity", pk)).status_code == 404
    assert "Causerie à Gao" not in page(admin.get(url("web:activities")))
    deleted = page(admin.get(url("web:activities") + "?status=deleted"))
    assert "Causerie à Gao" in deleted
    assert admin.post(url("web:activity-restore", pk)).status_code == 302
    world.inside.refresh_from_db()
    assert world.inside.status == Activity.Status.DRAFT
    html = page(admin.get(url("web:activity", pk)))
    trail = html[html.index('id="history"') :]
    assert "gao" in trail and "admin" in trail and "Doublon" in trail
    with translation.override("fr"):
        assert escape(str(Entry.Action.RESTORE.label)).lower() in trail.lower()


def test_the_audit_trail_shows_who_when_which_fields_old_and_new(world):
    client = world.client("officer")
    edit = url("web:activity-edit", world.inside.pk)
    client.post(
        edit,
        form_data(
            title="Causerie à Gao (2)", organiser=world.partner_org.pk, version=world.inside.version
        ),
    )
    html = page(client.get(url("web:activity", world.inside.pk)))
    trail = html[html.index('id="history"') :]
    assert "agent" in trail
    assert "Causerie à Gao" in trail and "Causerie à Gao (2)" in trail
    assert "<time datetime=" in trail


# --- finding --------------------------------------------------------------------------------


@pytest.fixture
def register(world):
    series = CampaignSeries.objects.get(code="16-days")
    Campaign.objects.create(
        code="16-days-2014",
        series=series,
        name_fr="16 jours 2014",
        name_en="16 Days 2014",
        start_date=date(2014, 11, 25),
        end_date=date(2014, 12, 10),
    )
    Project.objects.create(code="justice", name_fr="Accès à la justice", name_en="Justice")
    make_activity(
        key="tbk",
        title="Journée portes ouvertes à Tombouctou",
        description="Résolution 1325 et participation politique",
        type="open-day",
        place="ML06",
        themes=["wps-1325"],
        start="2014-10-30",
        end="2014-10-30",
    )
    make_activity(
        key="gao-16j",
        title="Conférence des 16 jours à Gao",
        place="ML07",
        campaign="16-days-2014",
        project="justice",
        start="2014-12-02",
        end="2014-12-02",
    )
    make_activity(
        key="old", title="Formation de 2013", type="training", start="2013-05-02", end="2013-05-02"
    )
    return world


def titles(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""
    return [part.split("</a>")[0].split(">")[-1] for part in body.split('<th scope="row"><a ')[1:]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Conférence des 16 jours à Gao",
                "Causerie à Gao",
                "Conférence à Bamako",
                "Journée portes ouvertes à Tombouctou",
                "Formation de 2013",
            ],
        ),
        (
            "period=2014-Q4",
            [
                "Conférence des 16 jours à Gao",
                "Causerie à Gao",
                "Conférence à Bamako",
                "Journée portes ouvertes à Tombouctou",
            ],
        ),
        ("period=2014-11", ["Causerie à Gao", "Conférence à Bamako"]),
        ("period=2014-12-01..2014-12-31", ["Conférence des 16 jours à Gao"]),
        ("period=2013", ["Formation de 2013"]),
        ("region=ML07", ["Conférence des 16 jours à Gao", "Causerie à Gao"]),
        ("type=open-day", ["Journée portes ouvertes à Tombouctou"]),
        ("theme=wps-1325", ["Journée portes ouvertes à Tombouctou"]),
        ("campaign=16-days-2014", ["Conférence des 16 jours à Gao"]),
        ("project=justice", ["Conférence des 16 jours à Gao"]),
        ("organiser=cafo", ["Causerie à Gao"]),
        ("status=draft", ["Causerie à Gao", "Conférence à Bamako"]),
        ("q=tombouctou", ["Journée portes ouvertes à Tombouctou"]),
        ("q=participation+politique", ["Journée portes ouvertes à Tombouctou"]),
        ("q=gao&period=2014-12", ["Conférence des 16 jours à Gao"]),
    ],
)
def test_the_list_filters(register, query, expected):
    html = page(register.client("officer").get(url("web:activities") + "?" + query))
    assert titles(html) == expected


def test_the_list_is_limited_to_the_users_scope(register):
    focal = titles(page(register.client("focal_point").get(url("web:activities"))))
    assert focal == ["Conférence des 16 jours à Gao", "Causerie à Gao"]
    partner = titles(page(register.client("partner").get(url("web:activities"))))
    assert partner == ["Causerie à Gao"]
    assert (
        titles(page(register.client("focal_point").get(url("web:activities") + "?region=ML09")))
        == []
    )


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_period_gets_a_message_not_a_traceback(world, lang):
    response = world.client("officer").get(url("web:activities", lang=lang) + "?period=2014-13")
    assert response.status_code == 200
    with translation.override(lang):
        expected = escape(
            gettext(
                "Unknown period “%(period)s”. Write a year (2014), a quarter (2014-Q4), "
                "a month (2014-11) or a date range (2014-01-01..2014-06-30)."
            )
            % {"period": "2014-13"}
        )
    assert expected in page(response)


def test_a_figure_lists_its_activities_within_the_users_scope(register):
    for key, place in (("v-gao", "ML07"), ("v-bko", "ML09")):
        make_activity(
            key=key,
            title=f"Séance 16 jours {place}",
            type="awareness-session",
            place=place,
            campaign="16-days-2014",
            start="2014-11-29",
            end="2014-11-29",
        )
    query = "?indicator=people-sensitised-vawg&period=2014"
    officer = titles(page(register.client("officer").get(url("web:activities") + query)))
    assert sorted(officer) == [
        "Conférence des 16 jours à Gao",
        "Séance 16 jours ML07",
        "Séance 16 jours ML09",
    ]
    focal = titles(page(register.client("focal_point").get(url("web:activities") + query)))
    assert focal == ["Conférence des 16 jours à Gao", "Séance 16 jours ML07"]


def test_pages_follow_start_date_and_id_without_counting_the_table(world):
    for i in range(30):
        day = date(2015, 1, 1) + timedelta(days=i // 2)
        make_activity(
            key=f"k{i}", title=f"Séance {i:02d}", start=day.isoformat(), end=day.isoformat()
        )
    client = world.client("officer")
    seen: list[str] = []
    address = url("web:activities") + "?period=2015"
    with CaptureQueriesContext(connection) as queries:
        first = page(client.get(address))
    counts = [q["sql"].upper() for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert all("LIMIT 1001" in sql for sql in counts)  # the number of results stops at 1 000
    seen += titles(first)
    assert len(seen) == 25
    next_link = (
        first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    )
    second = page(client.get(url("web:activities") + next_link))
    seen += titles(second)
    assert len(seen) == 30 and len(set(seen)) == 30
    assert seen[0] == "Séance 29" and seen[-1] == "Séance 00"
    back = second.split('rel="prev"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert titles(page(client.get(url("web:activities") + back))) == seen[:25]


def test_an_unreadable_cursor_means_the_first_page(world):
    html = page(world.client("officer").get(url("web:activities") + "?after=nonsense"))
    assert titles(html) == ["Causerie à Gao", "Conférence à Bamako"]


@pytest.mark.parametrize("lang", LANGS)
def test_staff_pages_speak_the_chosen_language_with_a_switch(world, lang):
    client = world.client("officer")
    for name, args in (
        ("web:activities", ()),
        ("web:activity", (world.inside.pk,)),
        ("web:activity-new", ()),
    ):
        html = page(client.get(url(name, *args, lang=lang)))
        assert f'<html lang="{lang}">' in html
        other = "en" if lang == "fr" else "fr"
        assert f'hreflang="{other}"' in html
        assert msg(lang, "Sign out") in html


def test_list_and_page_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = world.client("officer")
    client.get(url("web:activities"))  # warm caches (sessions, content types)
    for i in range(40):
        make_activity(key=f"q{i}", title=f"Séance {i}", partners=["cafo"], themes=["gbv"])
    with django_assert_max_num_queries(20):
        assert client.get(url("web:activities") + "?period=2014&theme=gbv").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(url("web:activity", world.inside.pk)).status_code == 200


def test_an_edit_that_does_not_say_which_version_it_started_from_is_refused(world):
    client = world.client("officer")
    data = form_data(title="Sans version")
    response = client.post(url("web:activity-edit", world.inside.pk), data)
    assert response.status_code == 200
    world.inside.refresh_from_db()
    assert world.inside.title == "Causerie à Gao"


def test_search_finds_words_and_word_starts_and_follows_edits(world):
    client = world.client("officer")
    search = url("web:activities") + "?q="
    assert titles(page(client.get(search + "causer"))) == ["Causerie à Gao"]
    assert titles(page(client.get(search + "CAUSERIE+gao"))) == ["Causerie à Gao"]
    assert titles(page(client.get(search + "causerie+bamako"))) == []
    assert titles(page(client.get(search + "%22%2A%29("))) == [  # punctuation only: no filter
        "Causerie à Gao",
        "Conférence à Bamako",
    ]
    edit = url("web:activity-edit", world.inside.pk)
    client.post(edit, form_data(title="Atelier de Ménaka", version=world.inside.version))
    assert titles(page(client.get(search + "causerie"))) == []
    assert titles(page(client.get(search + "atelier+ménaka"))) == ["Atelier de Ménaka"]
    assert titles(page(client.get(search + "marché"))) == ["Atelier de Ménaka"]  # description


def test_the_search_index_comes_back_after_a_migration_rebuilds_the_table(world):
    from django.db import connection

    from musow.web.search import TRIGGERS, ensure_search_index

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for trigger in TRIGGERS:
                cursor.execute(f"DROP TRIGGER {trigger}")
    make_activity(key="lost", title="Formation oubliée par l'index")
    ensure_search_index()
    ensure_search_index()  # a second time changes nothing
    client = world.client("officer")
    found = titles(page(client.get(url("web:activities") + "?q=oubli")))
    assert found == ["Formation oubliée par l&#x27;index"]


def test_a_database_without_the_search_index_still_searches(world):
    from django.db import connection

    from musow.web import search

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in search.TRIGGERS:
                cursor.execute(f"DROP TRIGGER {trigger}")
            cursor.execute(f"DROP TABLE {search.FTS}")
        else:
            cursor.execute(f"DROP INDEX {search.PG_INDEX}")
    search._present.clear()
    client = world.client("officer")
    assert titles(page(client.get(url("web:activities") + "?q=causerie"))) == ["Causerie à Gao"]
    search._present.clear()


def test_the_list_marks_provisional_activities(world):
    services.activity_submit(activity=world.inside, user=world.users["officer"])
    services.activity_validate(activity=world.inside, user=world.users["officer"])
    html = page(world.client("officer").get(url("web:activities")))
    rows = html[html.index("<tbody>") : html.index("</tbody>")].split("</tr>")
    validated = next(r for r in rows if "Causerie à Gao" in r)
    draft = next(r for r in rows if "Conférence à Bamako" in r)
    assert msg("fr", "provisional") in draft and msg("fr", "provisional") not in validated
