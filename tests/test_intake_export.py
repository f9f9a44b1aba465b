"""`musow export`: the 2014 demo data set exported and imported into an empty database
gives the same figures; exports are neutralised against formula injection; scopes apply."""

from io import StringIO

import pytest
from django.core.management import call_command

from musow.accounts.models import User
from musow.activities.models import Activity, Attendee
from musow.activities.records import activity_input_from_record
from musow.activities.services import activity_save
from musow.audit.models import Entry
from musow.demo.data2014 import SEED_FIGURES
from musow.demo.load import demo_load
from musow.geo.models import Place
from musow.indicators.engine import compute, get_indicator
from tests.factories import record
from tests.intake_helpers import run_import

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


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imported_into_an_empty_database_gives_the_same_figures(tmp_path, fmt):
    demo_load()
    before = figures()
    assert before[("students-sensitised-gbv", False, ("region",))][0] == 258
    count = Activity.objects.count()
    target = tmp_path / ("export.xlsx" if fmt == "xlsx" else "export")
    call_command("export", "--format", fmt, "--out", str(target), "--lang", "en", stdout=StringIO())
    empty_database()
    files = [target] if fmt == "xlsx" else sorted(target.glob("*.csv"))
    ok, out = run_import(*files)
    assert ok, out
    assert f"{count} created" in out
    assert figures() == before
    ok, out = run_import(*files)
    assert ok and f"0 created, 0 updated, {count} unchanged" in out


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
