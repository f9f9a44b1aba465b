"""`musow import`: templates in CSV and XLSX, French or English headers or HXL hashtags,
all or nothing, idempotent, tolerant of what the field sends, scopes enforced."""

import pytest
from django.db.models import Sum

from musow.accounts.models import User
from musow.activities.models import Activity, Attendance, Attendee, Participation
from musow.activities.services import attendee_key
from musow.audit.models import Entry
from musow.geo.models import Place
from tests.intake_helpers import EN_HEADER, TAGS, row, run_import, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def entries(**filters):
    """Audit entries of this test's activities (other modules may leave entries behind)."""
    ids = [str(pk) for pk in Activity.objects.values_list("pk", flat=True)]
    return Entry.objects.filter(target_type="activities.activity", target_id__in=ids, **filters)


def contacts() -> int:
    return Participation.objects.aggregate(n=Sum("count"))["n"] or 0


def test_it_imports_a_french_csv_with_semicolons_and_an_hxl_row(tmp_path):
    path = write_csv(tmp_path / "activites.csv", [row("GAO-1"), row("GAO-2", region="Tombouctou")])
    ok, out = run_import(path)
    assert ok, out
    assert "2 created, 0 updated, 0 unchanged, 0 rejected" in out
    gao = Activity.objects.get(source="import", source_key="GAO-1")
    assert gao.place.pcode == "ML07"
    assert gao.status == "validated"
    assert gao.end_date == gao.start_date
    assert contacts() == 100
    assert "activites.csv" in gao.origin and "row 3" in gao.origin


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("A-1"), row("A-2")])
    assert run_import(path)[0]
    versions = list(Activity.objects.values_list("version", flat=True))
    ok, out = run_import(path)
    assert ok and "0 created, 0 updated, 2 unchanged" in out
    assert list(Activity.objects.values_list("version", flat=True)) == versions
    assert entries(action="create").count() == 2


def test_a_changed_row_updates_its_activity(tmp_path):
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1"), row("A-2")]))[0]
    ok, out = run_import(write_csv(tmp_path / "b.csv", [row("A-1", f=31), row("A-2")]))
    assert ok and "0 created, 1 updated, 1 unchanged" in out
    assert contacts() == 101
    activity = Activity.objects.get(source_key="A-1")
    assert activity.version == 2
    assert entries(action="update").count() == 1


def test_one_bad_row_writes_nothing_and_every_problem_is_listed(tmp_path):
    rows = [row("A-1"), row("A-2", f=-3), row("A-3", region="Atlantis", start="31/02/2014")]
    audit = Entry.objects.count()
    ok, message = run_import(write_csv(tmp_path / "a.csv", rows))
    assert not ok
    assert "Nothing was written: 3 problem(s)" in message
    assert "2 row(s) rejected of 3 read" in message
    assert "row 4, column Femmes (18 ans et plus) “-3”" in message
    assert "cannot be negative" in message
    assert "row 5, column Région “Atlantis”: Unknown place name" in message
    assert "row 5, column Date de début “31/02/2014”" in message
    assert Activity.objects.count() == 0
    assert Entry.objects.count() == audit


def test_a_problem_found_after_chunks_were_written_still_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("musow.intake.importer.CHUNK", 2)
    rows = [row(f"A-{i}") for i in range(5)] + [row("A-bad", f="beaucoup")]
    ok, message = run_import(write_csv(tmp_path / "a.csv", rows))
    assert not ok and "“beaucoup” is not a whole number" in message
    assert Activity.objects.count() == 0


def test_dry_run_counts_but_writes_nothing(tmp_path):
    ok, out = run_import(write_csv(tmp_path / "a.csv", [row("A-1")]), "--dry-run")
    assert ok and "Dry run, nothing written" in out and "would create 1" in out
    assert Activity.objects.count() == 0


def test_columns_are_recognised_by_english_header_or_hxl_alone_in_any_order(tmp_path):
    order = [10, 2, 0, 1, 3, 4, 5, 6, 7, 8, 9]
    header = [EN_HEADER[i] for i in order]
    english = write_csv(
        tmp_path / "en.csv", [[row("E-1")[i] for i in order]], header=header, tags=None, sep=","
    )
    assert run_import(english)[0]
    tags_only = write_csv(
        tmp_path / "hxl.csv",
        [[row("H-1")[i] for i in order]],
        header=[TAGS[i].replace("+f+adults", "+adults+f") for i in order],
        tags=None,
    )
    assert run_import(tags_only)[0]
    assert Activity.objects.count() == 2


def test_unknown_columns_are_reported_not_silently_dropped(tmp_path):
    header = ["Identifiant", "Type", "Remarques"]
    path = write_csv(tmp_path / "a.csv", [], header=EN_HEADER + ["Remarks"], tags=None)
    path = write_csv(
        tmp_path / "a.csv", [row("A-1") + ["ok"]], header=EN_HEADER + ["Remarks"], tags=None
    )
    ok, out = run_import(path)
    assert ok and "columns not recognised, ignored: “Remarks”" in out
    assert header


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1252", False), ("latin-1", False)]
)
def test_it_reads_the_encodings_old_and_new_excel_write(tmp_path, encoding, bom):
    path = write_csv(tmp_path / "a.csv", [row("A-1", region="Ségou")], encoding=encoding)
    if bom:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    ok, out = run_import(path)
    assert ok, out
    assert Activity.objects.get().place.pcode == "ML04"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("2014-11-25", "2014-11-25"), ("25/11/2014", "2014-11-25"), ("41968", "2014-11-25")],
)
def test_dates_may_be_iso_day_first_or_excel_serials(tmp_path, given, expected):
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1", start=given)]))[0]
    assert Activity.objects.get().start_date.isoformat() == expected


def test_a_month_first_date_is_refused_not_guessed(tmp_path):
    ok, message = run_import(write_csv(tmp_path / "a.csv", [row("A-1", start="11/25/2014")]))
    assert not ok and "“11/25/2014” is not a date" in message


@pytest.mark.parametrize(
    ("region", "pcode"),
    [
        ("Tombouctou", "ML06"),
        ("Timbuktu", "ML06"),
        ("  tombouctou ", "ML06"),
        ("Ségou", "ML04"),
        ("Segou", "ML04"),
        ("District de Bamako", "ML09"),
        ("Bamako", "ML09"),
    ],
)
def test_regions_by_name_with_or_without_accents_in_french_or_english(tmp_path, region, pcode):
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1", region=region)]))[0]
    assert Activity.objects.get().place.pcode == pcode


def test_places_by_p_code_and_a_code_that_contradicts_its_name_is_refused(tmp_path):
    header = EN_HEADER + ["Region (P-code)"]
    tags = TAGS + ["#adm1+code"]
    good = row("A-1", region="") + ["ML07"]
    bad = row("A-2", region="Mopti") + ["ML07"]
    ok, message = run_import(write_csv(tmp_path / "a.csv", [good, bad], header=header, tags=tags))
    assert not ok
    assert "The P-code ML07 is Gao, not “Mopti”" in message
    assert "row 3" not in message


def test_a_name_shared_by_two_places_is_ambiguous(tmp_path):
    region = Place.objects.get(pcode="ML05")
    for pcode in ("ML0501", "ML0502"):
        Place.objects.create(
            gazetteer=region.gazetteer,
            pcode=pcode,
            level=2,
            parent=region,
            name_fr="Koro",
            name_en="Koro",
        )
    header = EN_HEADER + ["Cercle"]
    ok, message = run_import(
        write_csv(
            tmp_path / "a.csv", [row("A-1", region="Mopti") + ["Koro"]], header=header, tags=None
        )
    )
    assert not ok and "Several places have this name (ML0501, ML0502)" in message


def test_a_duplicate_id_within_the_file_is_refused(tmp_path):
    ok, message = run_import(write_csv(tmp_path / "a.csv", [row("A-1"), row("A-1")]))
    assert not ok and "This ID is already used on row 3" in message
    assert Activity.objects.count() == 0


def test_trailing_spaces_and_empty_trailing_rows_are_ignored(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row(" A-1 ", title=" Titre  "), [""] * 11, [""] * 11])
    assert run_import(path)[0]
    assert Activity.objects.get().source_key == "A-1"


# --- XLSX, several sheets ----------------------------------------------------------------


def test_the_xlsx_template_filled_in_imports(tmp_path):
    from openpyxl import load_workbook

    from musow.intake.templates import write_xlsx as template

    path = tmp_path / "modele.xlsx"
    template(path, lang="fr")
    book = load_workbook(path)
    sheet = book["Activités"]
    assert [c.value for c in sheet[2]][:3] == ["#activity+id", "#meta+source", "#activity+type"]
    assert sheet.data_validations.dataValidation, "choice columns have drop-down lists"
    assert "Listes" in book.sheetnames and "Instructions" in book.sheetnames
    headers = [c.value for c in sheet[1]]
    values = {
        "Identifiant": "MOP-1",
        "Type d'activité": "Conférence",
        "Titre": "Journée portes ouvertes 1325",
        "Date de début": "27/10/2014",
        "Région": "Mopti",
        "Thèmes": "Résolution 1325",
        "Public": "Grand public",
        "Femmes (18 ans et plus)": 40,
        "Filles (moins de 18 ans)": 5,
        "Hommes (18 ans et plus)": 12,
    }
    sheet.append([values.get(h) for h in headers])
    book.save(path)
    ok, out = run_import(path)
    assert ok, out
    activity = Activity.objects.get()
    assert activity.participation.count() == 3
    assert contacts() == 57
    assert activity.status == "draft"


def test_several_audiences_media_and_attendance_on_their_own_sheets(tmp_path, settings):
    header = ["ID", "Activity type", "Title", "Start date", "Region", "Total participants"]
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activities": [
                header,
                ["T-1", "training", "Induction", "2014-06-02", "ML09", 4],
                ["R-1", "radio-programme", "Émission", "2014-11-25", "ML09", None],
            ],
            "Participation": [
                ["ID", "Audience", "Sex", "Age group", "Number of participants"],
                ["T-1", "mission-military", "m", "18-plus", 2],
                ["T-1", "mission-police", "female", "18-plus", 2],
            ],
            "Media": [
                ["ID", "Medium", "Outlet", "Estimated audience"],
                ["R-1", "radio", "Studio Tamani", 250000],
                ["R-1", "radio", "Radio Klédu", 80000],
            ],
            "Attendance": [
                ["ID", "Participant code", "Full name", "Phone", "Year of birth", "Sex"],
                ["T-1", "MIL-0001", None, None, None, "m"],
                ["T-1", None, "Aminata Traoré", "+223 76 12 34 56", None, "f"],
                ["T-1", None, "Moussa Keïta", None, 1990, "m"],
            ],
        },
    )
    ok, out = run_import(path)
    assert ok, out
    training = Activity.objects.get(source_key="T-1")
    assert training.participation.count() == 2
    assert Activity.objects.get(source_key="R-1").media_reach.count() == 2
    keys = set(Attendance.objects.values_list("attendee__key", flat=True))
    assert attendee_key("MIL-0001") in keys and len(keys) == 3
    # Identities are not stored: only keyed hashes.
    stored = " ".join(str(v) for v in entries().values_list("changes", flat=True))
    assert "Traoré" not in stored and "Aminata" not in stored
    assert not Attendee.objects.filter(key__icontains="amin").exists()


def test_the_same_participants_on_both_sheets_is_refused(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activités": [EN_HEADER, row("A-1")],
            "Participation": [
                ["ID", "Audience", "Sex", "Age group", "Number of participants"],
                ["A-1", "students", "f", "18-plus", 3],
                ["B-9", "students", "f", "18-plus", 3],
            ],
        },
    )
    ok, message = run_import(path)
    assert not ok
    assert "either on this sheet or on the Participation sheet" in message
    assert "No activity with this ID on the sheet Activités" in message


def test_an_attendee_without_code_name_phone_or_year_is_refused(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "Activities": [EN_HEADER, row("A-1")],
            "Attendance": [["ID", "Full name"], ["A-1", "Aminata"]],
        },
    )
    ok, message = run_import(path)
    assert not ok and "Give a participant code, or a name with a phone number" in message


# --- scopes ------------------------------------------------------------------------------


@pytest.fixture
def gao_focal_point():
    user = User.objects.create(username="gao", role=User.Role.FOCAL_POINT)
    user.regions.add(Place.objects.get(pcode="ML07"))
    return user


def test_a_focal_point_imports_only_in_their_region(tmp_path, gao_focal_point):
    rows = [row("A-1", status=""), row("A-2", region="Mopti", status="")]
    ok, message = run_import(write_csv(tmp_path / "a.csv", rows), "--user", "gao")
    assert not ok
    assert "row 4" in message and "Outside your scope" in message
    assert "row 3" not in message
    assert Activity.objects.count() == 0
    ok, out = run_import(write_csv(tmp_path / "b.csv", rows[:1]), "--user", "gao")
    assert ok, out
    assert entries().get().actor == gao_focal_point


def test_a_focal_point_may_not_validate_by_import(tmp_path, gao_focal_point):
    ok, message = run_import(write_csv(tmp_path / "a.csv", [row("A-1")]), "--user", "gao")
    assert not ok and "You may not validate activities" in message


def test_an_id_outside_the_scope_is_not_an_update_of_that_activity(tmp_path, gao_focal_point):
    """The focal point's row makes their own activity (tests/test_import_keys.py)."""
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1", region="Mopti")]))[0]
    ok, message = run_import(
        write_csv(tmp_path / "b.csv", [row("A-1", status="")]), "--user", "gao"
    )
    assert ok and "1 created" in message
    assert Activity.objects.get(source="import").place.pcode == "ML05"


def test_an_unknown_user_is_refused(tmp_path):
    ok, message = run_import(write_csv(tmp_path / "a.csv", [row()]), "--user", "nobody")
    assert not ok and "No active user" in message


# --- the other commands ------------------------------------------------------------------


def test_the_template_command_writes_xlsx_and_csv_in_each_language(tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from openpyxl import load_workbook

    out = StringIO()
    call_command(
        "template", "activities", "--lang", "en", "--out", str(tmp_path / "t.xlsx"), stdout=out
    )
    book = load_workbook(tmp_path / "t.xlsx", read_only=True)
    assert book.sheetnames == [
        "Instructions",
        "Activities",
        "Participation",
        "Media",
        "Attendance",
        "Lists",
    ]
    call_command(
        "template",
        "activities",
        "--lang",
        "fr",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "t.csv"),
        stdout=out,
    )
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("Identifiant;Source;Type d'activité;Titre")
    assert "#activity+id;#meta+source" in text
    assert run_import(tmp_path / "t.csv")[1].count("no data rows") == 1


def test_large_files_report_progress_row_by_row(tmp_path):
    from musow.intake.importer import import_files

    seen: list[int] = []

    def progress(total):
        seen.append(-(total or 0))
        return seen.append

    path = write_csv(tmp_path / "a.csv", [row(f"A-{i}") for i in range(30)])
    assert import_files([path], dry_run=True, progress=progress).ok
    assert seen[0] == -32 and seen[-1] == 32  # lines in the file; the last data row


def test_the_command_line_imports_as_the_unit_admin(tmp_path):
    admin = User.objects.create(username="chef", role=User.Role.ADMIN)
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1")]))[0]
    activity = Activity.objects.get()
    assert activity.created_by == admin and activity.validated_by == admin
    assert entries().get().actor == admin


def test_a_focal_point_may_not_change_a_validated_activity_by_import(tmp_path, gao_focal_point):
    assert run_import(write_csv(tmp_path / "a.csv", [row("A-1")]))[0]  # validated, by the unit
    # Importing an export of it again is fine: nothing changes.
    ok, out = run_import(write_csv(tmp_path / "b.csv", [row("A-1")]), "--user", "gao")
    assert ok and "1 unchanged" in out
    changed = write_csv(tmp_path / "c.csv", [row("A-1", f=99, status="")])
    ok, message = run_import(changed, "--user", "gao")
    assert not ok and "only a gender officer or the unit admin can change it" in message
    assert Activity.objects.get().status == "validated"
