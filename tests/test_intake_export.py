"""`musow export`: the 2014 demo data set exported and imported into a fresh setup gives
the same figures, and imported again into the same database changes nothing, whatever door
created each activity; attendee keys leave only in the unit admin's export; exports are
neutralised against formula injection; scopes apply."""

import re
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from musow.accounts.models import User
from musow.activities.models import (
    Activity,
    Attendance,
    Attendee,
    Campaign,
    Organisation,
    Project,
)
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_save
from musow.audit.models import Entry
from musow.demo.data2014 import SEED_FIGURES
from musow.demo.load import demo_load
from musow.geo.models import Place
from musow.indicators.engine import compute, get_indicator
from tests.factories import record
from tests.intake_helpers import run_import
from tests.web_fixtures import url

pytestmark = pytest.mark.django_db

INDICATORS = [
    *SEED_FIGURES,
    "participants-all",
    "women-participants",
    "activities-all",
    "media-audience",
    "fds-trained-gender",
]


def figures() -> dict:
    result = {}
    for code in INDICATORS:
        allowed = set(get_indicator(code).disaggregations or ())
        for provisional in (False, True):
            for dim in ("region", "sex", "age_group", "audience"):
                by = (dim,) if dim in allowed else ()
                r = compute(code, "2014", by=by, provisional=provisional)
                rows = sorted(
                    (tuple(m.code for m in row.key.values()), row.value) for row in r.rows
                )
                result[(code, provisional, by)] = (r.total, rows)
    return result


def empty_database() -> None:
    Activity.objects.all().delete()
    Attendee.objects.all().delete()
    Entry.objects.all().delete()


def fresh_setup() -> None:
    """What `musow setup` leaves: the shipped vocabularies, none of the demo's entries."""
    empty_database()
    for model in (Organisation, Campaign, Project):
        model.objects.all().delete()


def used_entries() -> tuple[set[str], set[str], set[str]]:
    """The organisations, campaigns and projects the activities name, by code."""
    organisers = Activity.objects.values_list("organiser__code", flat=True)
    partners = Activity.partners.through.objects.values_list("organisation__code", flat=True)
    return (
        ({*organisers, *partners} - {None}),
        set(Activity.objects.values_list("campaign__code", flat=True)) - {None},
        set(Activity.objects.values_list("project__code", flat=True)) - {None},
    )


def entry_details() -> list:
    used = used_entries()
    return [
        sorted(
            Organisation.objects.filter(code__in=used[0]).values_list(
                "code", "name", "acronym", "kind", "place__pcode"
            )
        ),
        sorted(
            Campaign.objects.filter(code__in=used[1]).values_list(
                "code", "series__code", "name_fr", "name_en", "start_date", "end_date"
            )
        ),
        sorted(
            Project.objects.filter(code__in=used[2]).values_list(
                "code", "name_fr", "name_en", "description_fr", "description_en", "start_date"
            )
        ),
    ]


def activities_all() -> str:
    out = StringIO()
    call_command("figures", "--year", "2014", "--indicator", "activities-all", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imported_into_a_fresh_setup_gives_the_same_figures(tmp_path, fmt):
    demo_load()
    before, shown = figures(), activities_all()
    assert before[("students-sensitised-gbv", False, ("region",))][0] == 258
    count = Activity.objects.count()
    entries, details = used_entries(), entry_details()
    target = tmp_path / ("export.xlsx" if fmt == "xlsx" else "export")
    call_command("export", "--format", fmt, "--out", str(target), "--lang", "en", stdout=StringIO())
    fresh_setup()
    files = [target] if fmt == "xlsx" else sorted(target.glob("*.csv"))
    ok, out = run_import(*files)
    assert ok, out
    assert f"{count} created" in out
    assert used_entries() == entries
    assert set(Organisation.objects.values_list("code", flat=True)) == entries[0]
    assert entry_details() == details
    assert figures() == before and activities_all() == shown
    ok, out = run_import(*files)
    assert ok and f"0 created, 0 updated, {count} unchanged" in out


def test_activities_entered_in_the_web_form_or_the_admin_import_back_as_a_no_op(tmp_path):
    demo_load()
    for source in ("web", "admin"):  # what those doors write: a source and no key
        activity_save(data=activity_input_from_record(record(key=""), source=source))
    shown, count = activities_all(), Activity.objects.count()
    assert Activity.objects.filter(source_key="").count() == 0
    call_command("export", "--out", str(tmp_path / "x.xlsx"), stdout=StringIO())
    ok, out = run_import(tmp_path / "x.xlsx")
    assert ok and f"0 created, 0 updated, {count} unchanged" in out
    assert Activity.objects.count() == count and activities_all() == shown


def test_activities_without_a_key_are_given_one_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "musow.activities.migrations.0004_every_activity_keyed_and_texts_within_limits"
    )
    activity = activity_save(data=activity_input_from_record(record(key="x"), source=""))
    Activity.objects.filter(pk=activity.pk).update(source="", source_key="")  # as before
    migration.key_every_activity(apps, None)
    activity.refresh_from_db()
    assert activity.source == "musow" and len(activity.source_key) == 32


def test_a_status_changed_on_the_activitys_page_since_the_last_import_is_no_change(tmp_path):
    from musow.activities.services import activity_validate

    make = activity_input_from_record(record(key="s1", status="submitted"), source="web")
    activity = activity_save(data=make)
    activity_validate(activity=activity)  # the page changes the status, not the fingerprint
    call_command("export", "--out", str(tmp_path / "x.xlsx"), stdout=StringIO())
    version = Activity.objects.get().version
    ok, out = run_import(tmp_path / "x.xlsx")
    assert ok and "1 unchanged" in out and "status change" not in out
    assert Activity.objects.get().version == version


# --- attendee keys: only in the unit admin's export ------------------------------------

HEX_KEY = re.compile(r"\b[0-9a-f]{64}\b")


def workbook_text(content: bytes) -> tuple[list[str], str]:
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content), read_only=True)
    cells = [str(v) for sheet in book for r in sheet.iter_rows(values_only=True) for v in r if v]
    return book.sheetnames, " ".join(cells)


def test_attendee_keys_leave_only_in_the_unit_admins_export(settings):
    from musow.demo.users import demo_users_ensure

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_load()
    demo_users_ensure()
    keys = set(Attendee.objects.values_list("key", flat=True))
    assert keys
    exports = {}
    for name in ("admin", "agent", "gao"):
        client = Client()
        client.force_login(User.objects.get(username=name))
        exports[name] = workbook_text(client.get(url("intake:export", lang="en")).content)
    sheets, text = exports["admin"]
    assert "Attendance" in sheets and keys <= set(HEX_KEY.findall(text))
    for name in ("agent", "gao"):
        sheets, text = exports[name]
        assert "Attendance" not in sheets and not HEX_KEY.findall(text), name


def test_an_export_without_keys_imports_back_keeping_the_attendance_lists(tmp_path):
    demo_load()
    officer = User.objects.create(username="agent2", role=User.Role.OFFICER)
    lists = sorted(Attendance.objects.values_list("activity__source_key", "attendee__key"))
    before, count = figures(), Activity.objects.count()
    call_command(
        "export", "--user", officer.username, "--out", str(tmp_path / "x.xlsx"), stdout=StringIO()
    )
    ok, out = run_import(tmp_path / "x.xlsx", "--user", officer.username)
    assert ok and f"0 created, 0 updated, {count} unchanged" in out
    assert sorted(Attendance.objects.values_list("activity__source_key", "attendee__key")) == lists
    assert figures() == before


def test_exported_cells_that_would_run_as_formulas_are_neutralised(tmp_path):
    from openpyxl import load_workbook

    activity_save(
        data=activity_input_from_record(
            record(key="f1", title='=HYPERLINK("http://x")', description="+1", status="draft"),
            source="t",
        )
    )
    call_command("export", "--out", str(tmp_path / "x.xlsx"), stdout=StringIO())
    sheet = load_workbook(tmp_path / "x.xlsx")["Activités"]
    values = [c.value for c in sheet[3]]
    assert '\'=HYPERLINK("http://x")' in values and "'+1" in values
    assert all(c.data_type != "f" for c in sheet[3])
    call_command("export", "--format", "csv", "--out", str(tmp_path / "csv"), stdout=StringIO())
    text = (tmp_path / "csv" / "activities.csv").read_text(encoding="utf-8-sig")
    assert ";'=HYPERLINK" in text.replace('"', "")
    # And the apostrophe goes away again on import.
    empty_database()
    assert run_import(tmp_path / "x.xlsx")[0]
    assert Activity.objects.get().title == '=HYPERLINK("http://x")'


def test_a_focal_point_exports_only_their_region(tmp_path):
    activity_save(data=activity_input_from_record(record(key="gao", place="ML07"), source="t"))
    activity_save(data=activity_input_from_record(record(key="mopti", place="ML05"), source="t"))
    user = User.objects.create(username="gao", role=User.Role.FOCAL_POINT)
    user.regions.add(Place.objects.get(pcode="ML07"))
    out = StringIO()
    call_command("export", "--user", "gao", "--out", str(tmp_path / "g.xlsx"), stdout=out)
    assert out.getvalue().startswith("1 ")


def test_only_the_unit_admin_adds_the_entries_an_import_carries(tmp_path):
    from tests.intake_helpers import EN_HEADER, row, write_xlsx

    gao = User.objects.create(username="gao", role=User.Role.FOCAL_POINT)
    gao.regions.add(Place.objects.get(pcode="ML07"))
    sheets = {
        "Activities": [EN_HEADER + ["Organiser"], row("G-1", status="") + ["new-cso"]],
        "Organisations": [
            ["Code", "Name", "Acronym", "Kind", "Place (P-code)"],
            ["new-cso", "Association des femmes de Gao", "AFG", "womens_org", "ML07"],
        ],
    }
    path = write_xlsx(tmp_path / "a.xlsx", sheets)
    ok, message = run_import(path, "--user", "gao")
    assert not ok and "only the unit admin adds organisations" in message
    assert not Organisation.objects.filter(code="new-cso").exists()
    ok, out = run_import(path)  # the command line: the unit admin
    assert ok and "1 created" in out and "Added to the register: 1 organisation." in out
    added = Organisation.objects.get(code="new-cso")
    assert (added.acronym, added.place.pcode) == ("AFG", "ML07")
    assert Entry.objects.for_target(added).get().action == "create"
    assert Activity.objects.get().organiser == added
