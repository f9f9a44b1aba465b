"""What KoboToolbox and ODK Central really export imports right.

The files in tests/data/exports/ were made by the servers' own export code (formpack,
KoboCAT's parser and the v2 API's page shape; ODK Central's briefcase.js and zip.js)
from three submissions of musow's XLSForm (see its README). Each must import to the
same activities — participation, themes, places, media reach, attendance (unique
persons) and figures — as the same three submissions entered by hand through the write
path; a second import creates nothing; an edit made on the server updates its activity.
"""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction

from musow.activities.models import (
    Activity,
    Attendee,
    Campaign,
    CampaignSeries,
    Organisation,
    Project,
)
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_input_from, activity_save
from musow.demo import data2014
from musow.geo.models import Place
from musow.geo.services import SHIPPED_GAZETTEER
from musow.indicators.engine import compute
from tests.intake_helpers import run_import

pytestmark = pytest.mark.django_db

EXPORTS = Path(__file__).parent / "data" / "exports"
GAO, RADIO, WORKSHOP = (
    "5b0f2c6e-3c1a-4d0e-9a53-1f2e8b7c0a01",
    "9d4e7a12-6b38-4f21-8c0d-2a7b5e3f0b02",
    "c3a91f58-0e7d-4b6a-b2f4-7d1c9e8a0c03",
)
# Every export with the attendance lists, and those that hold the main table only.
WITH_ATTENDANCE = [
    "kobo-labels-fr.xlsx",
    "kobo-labels-en.xlsx",
    "kobo-xml-groups.xlsx",
    "kobo-xml-details.xlsx",
    "kobo-labels-dot.xlsx",
    "kobo-api.json",
    "odk.csv.zip",
]
MAIN_TABLE_ONLY = ["kobo-labels-fr.csv", "odk-main-split.csv", "odk-main-nogroups.csv"]
EDITED = [
    ("kobo-labels-fr.xlsx", "kobo-edited-labels-fr.xlsx"),
    ("kobo-api.json", "kobo-edited-api.json"),
    ("odk.csv.zip", "odk-edited.csv.zip"),
    ("odk-main-split.csv", "odk-main-split-edited.csv"),
]
INDICATORS = [
    "activities-all",
    "participants-all",
    "women-participants",
    "media-audience",
    "students-sensitised-gbv",  # distinct persons of the attendance lists
    "women-girls-reached-1325",
]

# The three submissions as a gender officer would enter them (activities/records.py).
BY_HAND = {
    GAO: {
        "type": "awareness-session",
        "title": "Séance de sensibilisation sur les VBG au lycée d'Ansongo",
        "start": "2014-11-26",
        "end": "2014-11-26",
        "place": "ML07",
        "themes": ["gbv"],
        "campaign": "16-jours-2014",
        "organiser": "minusma-unite-genre",
        "status": "submitted",
        "total": 40,
        "participation": [
            {"audience": "students", "sex": "f", "age": "18-plus", "count": 25},
            {"audience": "students", "sex": "m", "age": "18-plus", "count": 15},
        ],
        "attendance": [
            {"code": "GAO-0001", "sex": "f", "age": "18-plus"},
            {"code": "GAO-0002", "sex": "m", "age": "18-plus"},
            {"code": "GAO-0003", "sex": "f", "age": "under-18"},
        ],
    },
    RADIO: {
        "type": "radio-programme",
        "title": "Émission « Les femmes et la paix » sur Radio Bouctou",
        "description": "Débat en songhaï et en français, questions des auditrices.",
        "start": "2014-12-03",
        "end": "2014-12-03",
        "place": "ML06",
        "themes": ["wps-1325"],
        "campaign": "16-jours-2014",
        "organiser": "radio-bouctou",
        "status": "validated",  # approved by the reviewer on the server
        "media": [
            {
                "medium": "radio",
                "outlet": "Radio Bouctou",
                "audience": 5000,
                "method": "Estimation de la station (zone de couverture)",
            }
        ],
    },
    WORKSHOP: {
        "type": "workshop",
        "title": "Atelier sur la participation politique des femmes",
        "start": "2014-10-14",
        "end": "2014-10-15",
        "place": "ML09",
        "themes": ["wps-1325", "political-participation"],
        "project": "acces-justice-vsbg",
        "organiser": "wildaf-mali",
        "status": "submitted",
        "total": 23,
        "participation": [
            {"audience": "women-leaders", "sex": "f", "age": "18-plus", "count": 18},
            {"audience": "women-leaders", "sex": "f", "age": "age-unknown", "count": 2},
            {"audience": "women-leaders", "sex": "m", "age": "18-plus", "count": 3},
        ],
    },
}


@pytest.fixture
def form_lists():
    """The demo's organisations, campaigns and project: the lists the form was made with."""
    for spec in data2014.ORGANISATIONS:
        values = {k: v for k, v in spec.items() if k not in ("code", "place")}
        place = Place.objects.get(gazetteer__code=SHIPPED_GAZETTEER, pcode=spec["place"])
        Organisation.objects.create(code=spec["code"], place=place, **values)
    for spec in data2014.CAMPAIGNS:
        Campaign.objects.create(
            code=spec["code"],
            series=CampaignSeries.objects.get(code=spec["series"]),
            name_fr=spec["name_fr"],
            name_en=spec["name_en"],
            start_date=date.fromisoformat(spec["start_date"]),
            end_date=date.fromisoformat(spec["end_date"]),
        )
    for spec in data2014.PROJECTS:
        values = {k: v for k, v in spec.items() if k != "code"}
        for name in ("start_date", "end_date"):
            values[name] = date.fromisoformat(spec[name])
        Project.objects.create(code=spec["code"], **values)


def content(activity: Activity) -> dict:
    """Everything an activity counts, in codes: what two doors must agree on."""
    data = activity_input_from(activity)

    def code(obj):
        return None if obj is None else getattr(obj, "code", None) or obj.pcode

    return {
        "type": code(data.activity_type),
        "title": data.title,
        "description": data.description,
        "dates": (data.start_date, data.end_date),
        "place": code(data.place),
        "themes": sorted(code(t) for t in data.themes),
        "campaign": code(data.campaign),
        "project": code(data.project),
        "organiser": code(data.organiser),
        "status": data.status,
        "participation": sorted(
            (code(p.audience), p.sex, code(p.age_group), p.count) for p in data.participation
        ),
        "media": sorted(
            (m.medium, m.outlet, m.estimated_audience, m.method) for m in data.media_reach
        ),
        "attendance": sorted(
            (a.key, a.sex, code(a.audience), code(a.age_group)) for a in data.attendance
        ),
    }


def state() -> tuple[dict, dict, int]:
    """(each activity's content by title, the figures, the number of distinct persons)."""
    activities = {a.title: content(a) for a in Activity.objects.all()}
    figures = {
        (code, provisional): compute(code, "2014", provisional=provisional).total
        for code in INDICATORS
        for provisional in (False, True)
    }
    return activities, figures, Attendee.objects.filter(attendance__isnull=False).distinct().count()


def by_hand(*, attendance: bool = True, edited: bool = False) -> tuple[dict, dict, int]:
    """The state after entering the three submissions by hand (then rolled back)."""
    result = None
    with transaction.atomic():
        for key, rec in BY_HAND.items():
            rec = dict(rec)
            if not attendance:
                rec.pop("attendance", None)
            if edited and key == GAO:
                rec["total"] = 41
                rec["participation"] = [{**rec["participation"][0], "count": 26}] + rec[
                    "participation"
                ][1:]
            activity_save(data=activity_input_from_record(rec, source="web"))
        result = state()
        transaction.set_rollback(True)
    return result


def test_the_fixtures_come_from_the_servers_export_code():
    # Nothing hand-written: every file the table of the issue lists, as the tools wrote it.
    readme = (EXPORTS / "README.md").read_text()
    for name in {*WITH_ATTENDANCE, *MAIN_TABLE_ONLY, *(e for pair in EDITED for e in pair)}:
        assert (EXPORTS / name).is_file(), name
        assert f"`{name}`" in readme, name
    api = json.loads((EXPORTS / "kobo-api.json").read_text())
    assert set(api) == {"count", "next", "previous", "results"}
    assert {"_uuid", "meta/rootUuid", "_status", "__version__"} <= set(api["results"][0])


@pytest.mark.parametrize("name", WITH_ATTENDANCE)
def test_an_export_imports_to_what_entering_the_submissions_by_hand_gives(form_lists, name):
    expected = by_hand()
    ok, out = run_import(EXPORTS / name)
    assert ok, out
    assert "3 created" in out
    assert "not recognised" not in out, out
    assert state() == expected
    assert set(Activity.objects.values_list("source_key", flat=True)) == {GAO, RADIO, WORKSHOP}
    ok, out = run_import(EXPORTS / name)
    assert ok and "0 created, 0 updated, 3 unchanged" in out, out


@pytest.mark.parametrize("name", MAIN_TABLE_ONLY)
def test_an_export_of_the_main_table_only_imports_and_says_the_attendance_lists_are_missing(
    form_lists, name
):
    expected = by_hand(attendance=False)
    ok, out = run_import(EXPORTS / name)
    assert ok, out
    assert "holds the main table only: the attendance lists" in out
    assert ".csv.zip" in out if name.startswith("odk") else "XLS export" in out
    assert state() == expected
    ok, out = run_import(EXPORTS / name)
    assert ok and "0 created, 0 updated, 3 unchanged" in out, out


@pytest.mark.parametrize(
    ("full", "main_only"),
    [("kobo-labels-fr.xlsx", "kobo-labels-fr.csv"), ("odk.csv.zip", "odk-main-split.csv")],
)
def test_an_export_of_the_main_table_only_keeps_the_lists_imported_before(
    form_lists, full, main_only
):
    ok, out = run_import(EXPORTS / full)
    assert ok and "3 created" in out, out
    expected = state()
    ok, out = run_import(EXPORTS / main_only)
    assert ok, out
    assert "has kept it" in out  # the warning says the lists imported before stay
    assert "0 created, 0 updated, 3 unchanged" in out, out
    assert state() == expected


def test_the_warning_is_in_french_too(form_lists):
    ok, out = run_import(EXPORTS / "kobo-labels-fr.csv", lang="fr")
    assert ok
    assert "listes de présence" in out


@pytest.mark.parametrize(("first", "later"), EDITED)
def test_an_edit_made_on_the_server_updates_the_same_activity(form_lists, first, later):
    expected = by_hand(attendance=first in WITH_ATTENDANCE, edited=True)
    ok, out = run_import(EXPORTS / first)
    assert ok, out
    before = Activity.objects.get(source_key=GAO)
    ok, out = run_import(EXPORTS / later)
    assert ok and "0 created, 1 updated, 2 unchanged" in out, out
    after = Activity.objects.get(source_key=GAO)
    assert after.pk == before.pk and after.version == before.version + 1
    assert state() == expected  # 26 women, 41 in all, counted once


def test_every_export_of_the_same_submissions_is_the_same_data(form_lists):
    # KoboToolbox's and ODK Central's files name the submissions by the same instance IDs:
    # after the first, every other export of the same three submissions changes nothing.
    ok, out = run_import(EXPORTS / WITH_ATTENDANCE[0])
    assert ok, out
    for name in WITH_ATTENDANCE[1:]:
        ok, out = run_import(EXPORTS / name)
        assert ok and "0 created, 0 updated, 3 unchanged" in out, (name, out)


def test_a_json_page_with_more_pages_says_so(form_lists):
    ok, out = run_import(EXPORTS / "kobo-api-page1.json")
    assert ok, out
    assert "2 created" in out
    assert "one page of an export: it holds 2 of 3 submissions" in out
    assert "start=2" in out
    ok, out = run_import(EXPORTS / "kobo-api.json")
    assert ok and "1 created, 0 updated, 2 unchanged" in out, out


def test_a_submission_rejected_on_the_server_is_a_draft_never_validated(form_lists, tmp_path):
    page = json.loads((EXPORTS / "kobo-api.json").read_text())
    for result in page["results"]:
        result["_validation_status"] = {
            "timestamp": 1417699200,
            "uid": "validation_status_not_approved",
            "by_whom": "unite_genre",
            "label": "Not Approved",
        }
    path = tmp_path / "rejected.json"
    path.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
    ok, out = run_import(path)
    assert ok, out
    assert set(Activity.objects.values_list("status", flat=True)) == {"draft"}
    assert "3 submissions rejected on the server were imported as drafts" in out


def test_an_odk_review_state_sets_the_status(form_lists, tmp_path):
    text = (EXPORTS / "odk-main-split.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    head = lines[0].split(",")
    review = head.index("ReviewState")
    rows = []
    for line, state_ in zip(lines[1:], ("rejected", "approved", "hasIssues"), strict=True):
        cells = line.rsplit(",", len(head) - review)
        cells[1] = state_
        rows.append(",".join(cells))
    path = tmp_path / "reviewed.csv"
    path.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    ok, out = run_import(path)
    assert ok, out
    statuses = dict(Activity.objects.values_list("source_key", "status"))
    assert statuses == {GAO: "draft", RADIO: "validated", WORKSHOP: "submitted"}


def test_an_approved_submission_imported_by_someone_who_does_not_validate(form_lists):
    from musow.accounts.models import User

    User.objects.create_user("gao", password="x", role=User.Role.FOCAL_POINT)
    user = User.objects.get(username="gao")
    user.regions.set(Place.objects.filter(pcode__in=["ML06", "ML07", "ML09"], level=1))
    ok, out = run_import(EXPORTS / "kobo-api.json", "--user", "gao")
    assert ok, out
    assert Activity.objects.get(source_key=RADIO).status == "submitted"
    assert "1 submission approved on the server was not imported as validated" in out


def test_an_encrypted_odk_submission_is_left_out_and_named(form_lists, tmp_path):
    lines = (EXPORTS / "odk-main-nogroups.csv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    status = head.index("Status")
    cells = lines[3].rsplit(",", len(head) - status)
    cells[1] = "not decrypted"
    path = tmp_path / "encrypted.csv"
    path.write_text("\n".join([*lines[:3], ",".join(cells)]) + "\n", encoding="utf-8")
    ok, out = run_import(path)
    assert ok, out
    assert "2 created" in out
    assert f"encrypted and was not decrypted (uuid:{WORKSHOP}" not in out
    assert f"1 submission is encrypted and was not decrypted ({WORKSHOP})" in out


def test_the_odk_csv_files_unzipped_import_as_the_zip(form_lists, tmp_path):
    import zipfile

    with zipfile.ZipFile(EXPORTS / "odk.csv.zip") as archive:
        archive.extractall(tmp_path)
    main = tmp_path / "musow_activities.csv"
    repeat = tmp_path / "musow_activities-attendees.csv"
    expected = by_hand()
    ok, out = run_import(main, repeat)
    assert ok, out
    assert "main table only" not in out
    assert state() == expected


def test_a_zip_that_is_neither_a_workbook_nor_csv_files_is_refused(form_lists, tmp_path):
    import zipfile

    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff")
    ok, message = run_import(path)
    assert not ok
    assert "not an Excel workbook" in message


def test_a_kobo_repeat_sheet_without_root_uuid_is_joined_by_parent_index(form_lists, tmp_path):
    # Older KoboToolbox exports have no `meta/rootUuid`: the attendance sheet's rows name
    # their submission by `_parent_index` (its `_index` on the main sheet).
    from openpyxl import load_workbook

    path = tmp_path / "old.xlsx"
    shutil.copy(EXPORTS / "kobo-xml-groups.xlsx", path)
    book = load_workbook(path)
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        for name in ("meta/rootUuid", "_submission_meta/rootUuid", "_submission__uuid"):
            if name in header:
                sheet.delete_cols(header.index(name) + 1)
                header = [c.value for c in sheet[1]]
    book.save(path)
    expected = by_hand()
    ok, out = run_import(path)
    assert ok, out
    assert state() == expected


def test_a_kobo_export_with_the_hxl_row_is_read_by_its_hashtags_whatever_the_labels(
    form_lists, tmp_path
):
    # Labels renamed since (or in a language the form no longer has): the hashtag row
    # that KoboToolbox writes under the header (the XLSForm's `hxl` column) says it all.
    from openpyxl import load_workbook

    path = tmp_path / "relabelled.xlsx"
    book = load_workbook(EXPORTS / "kobo-labels-en.xlsx")
    for sheet in book.worksheets:
        for cell in sheet[1]:
            tag = sheet.cell(row=2, column=cell.column).value
            if tag and cell.value and not str(cell.value).startswith("_"):
                cell.value = f"Question {cell.column}"
    book.save(path)
    expected = by_hand()
    ok, out = run_import(path)
    assert ok, out
    assert state() == expected


@pytest.mark.parametrize("name", ["odk.csv.zip", "kobo-labels-fr.xlsx", "kobo-api.json"])
def test_an_export_uploaded_on_the_import_page_imports(form_lists, django_user_model, name):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from musow.accounts.models import User
    from tests.web_fixtures import url

    client = Client()
    client.force_login(django_user_model.objects.create_user("unit", role=User.Role.ADMIN))
    expected = by_hand()
    upload = SimpleUploadedFile(name, (EXPORTS / name).read_bytes())
    response = client.post(url("intake:home", lang="en"), {"file": upload})
    assert response.status_code == 200
    assert "3 created" in response.content.decode()
    assert state() == expected
