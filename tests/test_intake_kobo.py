"""`musow xlsform` and imports of KoboToolbox / ODK Central submission exports."""

import json
import xml.etree.ElementTree as ET
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from musow.activities.models import Activity, Campaign, CampaignSeries
from tests.intake_helpers import run_import, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

UUID = "7f2d3c1e-52c4-4b9e-a1a0-0c6b9c1f0001"


@pytest.fixture
def campaign():
    return Campaign.objects.create(
        code="16-jours-2014",
        series=CampaignSeries.objects.get(code="16-days"),
        name_fr="16 jours d'activisme 2014",
        name_en="16 Days of Activism 2014",
        start_date=date(2014, 11, 25),
        end_date=date(2014, 12, 10),
    )


def test_the_xlsform_is_built_from_live_lists_and_converts_to_an_xform(tmp_path, campaign):
    from pyxform.xls2xform import convert

    path = tmp_path / "form.xlsx"
    out = StringIO()
    call_command("xlsform", "--lang", "fr,en", "--out", str(path), stdout=out)
    assert "version" in out.getvalue()
    warnings: list[str] = []
    # ODK Validate (pyxform's ODK_Validate.jar, run by Java) checks what Collect will run.
    xform = convert(str(path), warnings=warnings, validate=True).xform
    root = ET.fromstring(xform)
    assert root.tag.endswith("html")
    assert "16-jours-2014" in xform and "16 Days of Activism 2014" in xform
    assert 'lang="Français (fr)"' in xform and 'lang="English (en)"' in xform
    assert 'constraint=". &gt;= 0"' in xform
    assert ". &gt;=  /data/start_date " in xform
    assert "coalesce( /data/f_adults , 0)" in xform
    assert "ML07" in xform


def test_odk_validate_runs_and_refuses_a_form_collect_could_not_run(tmp_path):
    # The proof that the validation above is real: a form with an XPath function Collect
    # does not know converts without ODK Validate and is refused with it.
    from openpyxl import Workbook
    from pyxform.validators.odk_validate import ODKValidateError
    from pyxform.xls2xform import convert

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "calculation"])
    survey.append(["integer", "count", "Count", ""])
    survey.append(["calculate", "twice", "", "musow_unknown(${count})"])
    settings = book.create_sheet("settings")
    settings.append(["form_id"])
    settings.append(["bad"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    assert convert(str(path), validate=False).xform
    with pytest.raises(ODKValidateError, match="musow_unknown"):
        convert(str(path), validate=True)


def test_every_field_of_the_xlsform_carries_its_hxl_hashtag(campaign):
    from musow.intake.columns import ACTIVITY_COLUMNS, ATTENDANCE_COLUMNS
    from musow.intake.xlsform import xlsform_rows

    survey = xlsform_rows(["fr", "en"])["survey"]
    head = survey[0]
    tags = {row[1]: row[head.index("hxl")] for row in survey[1:] if row[1]}
    columns = {c.key: c.hxl for c in [*ATTENDANCE_COLUMNS, *ACTIVITY_COLUMNS]}
    answers = {name for name in tags if name not in ("start", "end", "attendees")}
    assert answers and all(tags[name] == columns[name] for name in answers)


def test_an_english_only_xlsform_and_a_bad_language(tmp_path):
    from pyxform.xls2xform import convert

    path = tmp_path / "form.xlsx"
    call_command("xlsform", "--lang", "en", "--out", str(path), stdout=StringIO())
    xform = convert(str(path), validate=True).xform
    assert 'lang="English (en)"' in xform and "Français" not in xform
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("xlsform", "--lang", "de", "--out", str(path), stdout=StringIO())


def submission(**over) -> dict:
    base = {
        "_id": 101,
        "_uuid": UUID,
        "__version__": "v1",
        "start": "2014-11-26T09:00:00.000Z",
        "grp/activity_type": "awareness-session",
        "grp/title": "Séance de sensibilisation à Ansongo",
        "grp/start_date": "2014-11-26",
        "grp/end_date": "2014-11-26",
        "grp/region_code": "ML07",
        "grp/themes": "gbv wps-1325",
        "grp/campaign": "16-jours-2014",
        "audience": "general-public",
        "f_adults": "25",
        "m_adults": "15",
        "total": "40",
        "_submission_time": "2014-11-26T18:00:00",
        "_attachments": [],
    }
    base.update(over)
    return base


def write_json(tmp_path, submissions, name="kobo.json"):
    path = tmp_path / name
    path.write_text(json.dumps(submissions, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_kobo_json_export_imports_keyed_by_instance_uuid(tmp_path, campaign):
    ok, out = run_import(write_json(tmp_path, [submission()]))
    assert ok, out
    assert "not recognised" not in out
    activity = Activity.objects.get()
    assert (activity.source, activity.source_key) == ("odk", UUID)
    assert activity.status == "submitted"
    assert sorted(activity.themes.values_list("code", flat=True)) == ["gbv", "wps-1325"]
    assert "submission " + UUID in activity.origin
    ok, out = run_import(write_json(tmp_path, [submission()]))
    assert ok and "1 unchanged" in out
    ok, out = run_import(write_json(tmp_path, [submission(f_adults="26", total="41")]))
    assert ok and "1 updated" in out


def test_an_odk_central_csv_export_imports_with_the_same_key(tmp_path, campaign):
    header = [
        "SubmissionDate",
        "activity_type",
        "title",
        "start_date",
        "end_date",
        "region_code",
        "themes",
        "audience",
        "f_adults",
        "meta-instanceID",
        "KEY",
        "ReviewState",
    ]
    values = [
        "2014-11-26T18:00:00Z",
        "conference",
        "Conférence",
        "2014-11-26",
        "2014-11-26",
        "ML07",
        "gbv",
        "general-public",
        "12",
        f"uuid:{UUID}",
        f"uuid:{UUID}",
        "",
    ]
    ok, out = run_import(
        write_csv(tmp_path / "odk.csv", [values], header=header, tags=None, sep=",")
    )
    assert ok, out
    assert Activity.objects.get().source_key == UUID


def test_a_kobo_xlsx_export_with_one_column_per_choice(tmp_path, campaign):
    header = [
        "activity_type",
        "title",
        "start_date",
        "region_code",
        "themes",
        "themes/gbv",
        "_uuid",
    ]
    path = write_xlsx(
        tmp_path / "kobo.xlsx",
        {
            "musow_activities": [
                header,
                ["conference", "Conf", "2014-11-26", "ML07", "gbv", 1, UUID],
            ]
        },
    )
    ok, out = run_import(path)
    assert ok, out
    assert "not recognised" not in out


def test_a_kobo_submission_with_a_choice_since_removed_names_it_not_kobos_version(
    tmp_path, campaign
):
    # `__version__` is KoboToolbox's version of its copy of the form, not the XLSForm's:
    # what changed is said by the fields and choices themselves.
    old = submission(**{"grp/activity_type": "ancien-type", "grp/old_question": "x"})
    ok, message = run_import(write_json(tmp_path, [old]))
    assert not ok
    assert "column grp/activity_type “ancien-type”: Unknown activity type" in message
    assert "columns not recognised, ignored: “grp/old_question”" in message
    assert "version v1" not in message
    assert Activity.objects.count() == 0


def test_a_submission_from_an_older_form_version_with_a_field_since_removed_still_imports(
    tmp_path, campaign
):
    ok, out = run_import(write_json(tmp_path, [submission(**{"grp/old_question": "x"})]))
    assert ok
    assert "columns not recognised, ignored: “grp/old_question”" in out


def test_every_field_of_the_xlsform_is_a_column_the_importer_knows(campaign):
    from musow.intake.columns import match_header
    from musow.intake.xlsform import xlsform_rows

    survey = xlsform_rows(["fr", "en"])["survey"]
    repeat = [r[0] for r in survey].index("begin_repeat")
    names = [r[1] for r in survey[1:repeat] if r[0] not in ("start", "end")]
    assert names and all(match_header("activities", n) is not None for n in names), [
        n for n in names if match_header("activities", n) is None
    ]


def test_a_kobo_attendance_list_becomes_pseudonymous_keys(tmp_path, campaign):
    from musow.activities.models import Attendance
    from musow.activities.services import attendee_key

    attendees = [
        {"attendees/participant_code": "GAO-0001", "attendees/sex": "f"},
        {
            "attendees/participant_code": "GAO-0002",
            "attendees/sex": "m",
            "attendees/age_group": "18-plus",
        },
    ]
    ok, out = run_import(write_json(tmp_path, [submission(attendees=attendees)]))
    assert ok, out
    keys = set(Attendance.objects.values_list("attendee__key", flat=True))
    assert keys == {attendee_key("GAO-0001"), attendee_key("GAO-0002")}


def test_a_kobo_xlsx_export_with_its_attendance_sheet(tmp_path, campaign):
    from musow.activities.models import Attendance

    header = [
        "activity_type",
        "title",
        "start_date",
        "region_code",
        "audience",
        "f_adults",
        "_uuid",
    ]
    path = write_xlsx(
        tmp_path / "kobo.xlsx",
        {
            "musow_activities": [
                header,
                ["conference", "Conf", "2014-11-26", "ML07", "students", 3, UUID],
            ],
            "attendees": [
                ["participant_code", "sex", "_index", "_parent_index", "_submission__uuid"],
                ["GAO-0001", "f", 1, 1, UUID],
                ["GAO-0002", "f", 2, 1, UUID],
            ],
        },
    )
    ok, out = run_import(path)
    assert ok, out
    assert Attendance.objects.count() == 2


def test_labels_joined_by_spaces_that_split_two_ways_are_settled_by_the_0_1_columns(
    tmp_path, campaign
):
    # "Paix Sécurité" is one theme, or the two themes "Paix" and "Sécurité": KoboToolbox's
    # label export writes both the labels joined by spaces and one 0/1 column per theme.
    from musow.activities.models import Theme

    for code, name in (("peace", "Paix"), ("security", "Sécurité"), ("both", "Paix Sécurité")):
        Theme.objects.create(code=code, name_fr=name, name_en=name)
    header = ["Type d'activité", "Titre", "Date de début", "Région", "Thèmes"]
    header += ["Thèmes/Paix", "Thèmes/Sécurité", "Thèmes/Paix Sécurité", "_uuid"]
    rows = [
        ["Conférence", "Deux thèmes", "2014-11-26", "Gao", "Paix Sécurité", 1, 1, 0, UUID],
        ["Conférence", "Un thème", "2014-11-27", "Gao", "Paix Sécurité", 0, 0, 1, UUID[:-1] + "2"],
    ]
    path = write_xlsx(tmp_path / "kobo.xlsx", {"musow_activities": [header, *rows]})
    ok, out = run_import(path)
    assert ok, out
    themes = {
        a.title: sorted(a.themes.values_list("code", flat=True)) for a in Activity.objects.all()
    }
    assert themes == {"Deux thèmes": ["peace", "security"], "Un thème": ["both"]}
