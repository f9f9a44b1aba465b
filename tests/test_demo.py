"""`musow demo`: the 2014 data set reproduces the seed's four figures, each from its own
activities, disaggregated by sex and age; loading it again changes nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from musow.accounts.models import User
from musow.activities.models import (
    Activity,
    Attendance,
    Attendee,
    Campaign,
    Organisation,
    Participation,
    Project,
)
from musow.demo.data2014 import (
    CAMPAIGNS,
    ORGANISATIONS,
    PROJECTS,
    PROVISIONAL_FIGURES,
    SEED_FIGURES,
    SOURCE,
    records,
)
from musow.demo.users import DEMO_PASSWORD, DEMO_USERS
from musow.indicators.engine import compute

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"  # narrow no-break space: the French thousands separator


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# A fast hasher for the demo accounts in tests (Argon2 takes half a second a hash).
FAST_HASHERS = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """`musow demo`, run once for this module (each test then runs in a transaction that
    is rolled back); what it wrote is removed afterwards, so other modules start empty."""
    FAST_HASHERS.enable()
    try:
        with django_db_blocker.unblock():
            output = run("demo", "--lang", "en")
        yield output
    finally:
        with django_db_blocker.unblock():
            demo_remove()
        FAST_HASHERS.disable()


def demo_remove() -> None:
    from musow.mainstreaming.demo import mainstreaming_demo_remove

    mainstreaming_demo_remove()
    protection_demo_remove()
    Activity.objects.filter(source=SOURCE).delete()
    Attendee.objects.filter(attendance__isnull=True).delete()
    Campaign.objects.filter(code__in=[c["code"] for c in CAMPAIGNS]).delete()
    Project.objects.filter(code__in=[p["code"] for p in PROJECTS]).delete()
    Organisation.objects.filter(code__in=[o["code"] for o in ORGANISATIONS]).delete()
    User.objects.filter(username__in=[u.username for u in DEMO_USERS]).delete()
    table_remove()
    security_demo_remove()
    elections_demo_remove()
    # The audit trail the demo's writes left (committed outside any test's transaction):
    # later modules count entries from an empty trail.
    from musow.audit.models import Entry

    Entry.objects.all().delete()


def protection_demo_remove() -> None:
    """The SGBV programme's illustrative provider reports and their agreements."""
    from musow.protection.models import Agreement, ProviderReport

    ProviderReport.objects.all().delete()
    Agreement.objects.all().delete()


def elections_demo_remove() -> None:
    """The elections the demo records (public totals and the illustrative Gao lists)."""
    from musow.elections.models import CandidateList, Election

    elections = Election.objects.filter(
        code__in=["communales-2009", "communales-2016", "communales-partielles-gao-illustratif"]
    )
    CandidateList.objects.filter(election__in=elections).delete()
    elections.delete()


def security_demo_remove() -> None:
    """The security sector and DDR's illustrative strengths and programme figures."""
    from musow.security.models import Report, Strength

    Report.objects.filter(is_illustrative=True).delete()
    Strength.objects.filter(is_illustrative=True).delete()


def table_remove() -> None:
    """Women at the table's demo bodies, their compositions, sittings, submissions and
    agreements, and its process."""
    from musow.demo.table import BODIES, PROCESSES
    from musow.representation.models import (
        Agreement,
        Body,
        Composition,
        Process,
        Sitting,
        Submission,
    )

    bodies = [b["code"] for b in BODIES]
    Submission.objects.filter(body__code__in=bodies).delete()  # with their follow-ups
    Agreement.objects.filter(body__code__in=bodies).delete()
    Sitting.objects.filter(body__code__in=bodies).delete()
    Composition.objects.filter(body__code__in=bodies).delete()
    Body.objects.filter(code__in=bodies).delete()
    Process.objects.filter(code__in=[p["code"] for p in PROCESSES]).delete()


@pytest.fixture
def demo(demo_output, db) -> str:
    return demo_output


def contacts(key_prefix: str, *, validated: bool = True) -> int:
    qs = Participation.objects.filter(
        activity__source=SOURCE, activity__source_key__startswith=key_prefix
    )
    if validated:
        qs = qs.filter(activity__status="validated")
    return qs.aggregate(n=Sum("count"))["n"]


def test_the_demo_reproduces_the_four_seed_figures_exactly(demo):
    for code, value in SEED_FIGURES.items():
        assert compute(code, "2014").total == value, code


def test_figures_prints_the_seed_in_french(demo):
    out = run("figures", "--year", "2014", "--lang", "fr")
    assert "258 étudiants sensibilisés sur les violences faites aux femmes" in out
    assert f"5{NNBSP}400 personnes sensibilisées" in out
    assert "Résolution 1325 vulgarisée auprès de 520 femmes et jeunes filles" in out
    assert f"1{NNBSP}113 membres du personnel nouvellement recrutés" in out


def test_figures_prints_the_seed_in_english(demo):
    out = run("figures", "--year", "2014", "--lang", "en")
    assert "258 students sensitised on violence against women" in out
    assert "5,400 people sensitised on violence against women and girls" in out
    assert "520 women and girls" in out
    assert "1,113 newly recruited Mission personnel" in out


def test_figures_as_json(demo):
    payload = json.loads(run("figures", "--year", "2014", "--format", "json", "--lang", "en"))
    assert {f["indicator"]: f["total"] for f in payload["figures"]} == SEED_FIGURES
    assert payload["provisional"] is False
    assert all(f["sentence"] for f in payload["figures"])


def test_figures_list_their_provenance(demo):
    payload = json.loads(
        run(
            "figures",
            "--year",
            "2014",
            "--format",
            "json",
            "--lang",
            "en",
            "--indicator",
            "women-girls-reached-1325",
            "--by",
            "region",
            "--provenance",
        )
    )
    figure = payload["figures"][0]
    assert figure["total"] == 520
    assert {a["place"] for a in figure["activities"]} == {"ML05", "ML06", "ML07", "ML09"}
    assert all(a["source"] == "demo" and a["key"] for a in figure["activities"])
    text = run(
        "figures", "--year", "2014", "--indicator", "women-girls-reached-1325", "--provenance"
    )
    assert all(f"#{a['id']} " in text for a in figure["activities"])


def test_a_second_run_changes_nothing(demo):
    before = {code: compute(code, "2014").total for code in SEED_FIGURES}
    activities = Activity.objects.count()
    out = run("demo", "--lang", "en")
    n = len(records())
    assert f"activities: 0 created, 0 updated, {n} unchanged" in out
    assert "organisations: 0 created, 0 updated," in out
    assert "created" not in out.replace("0 created", "")
    assert "admin (unit admin): unchanged" in out
    assert Activity.objects.count() == activities == n
    assert {code: compute(code, "2014").total for code in SEED_FIGURES} == before


def test_the_first_run_says_what_it_created(demo):
    assert f"activities: {len(records())} created, 0 updated, 0 unchanged" in demo
    assert "Demo login:" in demo and "admin" in demo and DEMO_PASSWORD in demo


def test_provisional_figures_differ_as_designed(demo):
    for code, value in PROVISIONAL_FIGURES.items():
        assert compute(code, "2014", provisional=True).total == value, code
    assert PROVISIONAL_FIGURES != SEED_FIGURES
    out = run("figures", "--year", "2014", "--lang", "en", "--provisional")
    assert "5,580 people" in out and "1,151 newly recruited" in out
    assert Activity.objects.exclude(status="validated").count() >= 3


def test_unique_persons_are_fewer_than_contacts(demo):
    # Some students and some personnel came to more than one session.
    assert contacts("2014-etudiants-") == 343
    assert (
        Attendance.objects.filter(activity__source_key__startswith="2014-etudiants-").count() == 343
    )
    assert compute("students-sensitised-gbv", "2014").total == 258
    assert contacts("2014-induction-") == 1113 + 10 * 4 + 3 + 5  # repeats and unsigned
    assert compute("mission-staff-trained-gender", "2014").total == 1113


def test_students_are_not_counted_in_the_16_days(demo):
    assert not Participation.objects.filter(
        activity__campaign__series__code="16-days", audience__code="students"
    ).exists()
    assert contacts("2014-16-jours-") == 5400 + 25  # the advocacy meeting is not a session


def test_figures_are_disaggregated_by_sex_and_age(demo):
    for code in SEED_FIGURES:
        by = ("age_group",) if code == "women-girls-reached-1325" else ("sex", "age_group")
        result = compute(code, "2014", by=by)
        assert len(result.rows) > 1, code
        if code != "women-girls-reached-1325":
            assert {row.key["sex"].code for row in result.rows} >= {"f", "m"}, code
    girls = compute("women-girls-reached-1325", "2014", by=("age_group",))
    ages = {row.key["age_group"].code: row.value for row in girls.rows}
    assert ages["under-18"] > 0 and sum(ages.values()) == 520
    people = compute("people-sensitised-vawg", "2014", by=("sex",))
    assert sum(row.value for row in people.rows) == 5400


def test_the_1325_figure_counts_women_only_in_the_four_places_and_no_listeners(demo):
    regions = compute("women-girls-reached-1325", "2014", by=("region",))
    assert {row.key["region"].code for row in regions.rows} == {"ML05", "ML06", "ML07", "ML09"}
    men = Participation.objects.filter(
        activity__campaign__series__code="open-day-1325",
        activity__activity_type__code__in=["open-day", "conference"],
        sex="m",
    )
    assert men.exists()
    assert compute("media-audience", "2014").total > 0


def test_the_demo_admin_signs_in(demo, client):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.role == User.Role.ADMIN
    assert "démonstration" in admin.last_name
    # Through the sign-in page: django-axes watches every sign-in, so it needs the request.
    response = client.post(reverse("web:login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_serve_says_how_to_sign_in_with_the_demo_account_until_its_password_changes(demo):
    # `musow serve` asks every app what to say at start; the demo app answers, while its
    # admin has the demo password (serve imports no demo module: docs/architecture.md).
    from musow.web.management.commands.serve import serve_notes

    with translation.override("en"):
        notes = serve_notes("http://127.0.0.1:8000")
        assert len(notes) == 1 and "Demo login: http://127.0.0.1:8000/" in notes[0]
        assert DEMO_PASSWORD in notes[0]
        admin = User.objects.get(username="admin")
        admin.set_password("a-real-secret-now")
        admin.save()
        assert serve_notes("http://127.0.0.1:8000") == []


def test_a_changed_password_is_not_reset(demo):
    admin = User.objects.get(username="admin")
    admin.set_password("a-real-secret-now")
    admin.save()
    out = run("demo", "--lang", "en")
    assert "password changed since, left as it is" in out
    assert "Demo login:" not in out
    assert User.objects.get(username="admin").check_password("a-real-secret-now")


def test_every_activity_is_written_in_french_with_dates_in_2014(demo):
    for activity in Activity.objects.filter(source=SOURCE):
        assert activity.title and activity.description
        assert activity.start_date.year == 2014
    titles = " ".join(Activity.objects.values_list("title", flat=True))
    assert "pourparlers inclusifs d'Alger" in titles
    assert Activity.objects.filter(project__code="acces-justice-vsbg").count() >= 6
    assert Activity.objects.filter(activity_type__code="training", themes__code="ssr-ddr").exists()
