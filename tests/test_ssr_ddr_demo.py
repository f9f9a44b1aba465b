"""The demo's security sector and DDR: everything ILLUSTRATIVE, said in the data; its
figures come out of the engine; loading again changes nothing."""

import pytest

from musow.demo.security import security_demo_load
from musow.indicators.engine import compute
from musow.security.models import Report, Strength

pytestmark = pytest.mark.django_db


def test_every_demo_figure_is_marked_illustrative_in_the_data():
    security_demo_load()
    records = [*Strength.objects.all(), *Report.objects.all()]
    assert records and all(r.is_illustrative for r in records)
    assert all("ILLUSTRATIVE" in r.note and "ILLUSTRATI" in r.source_document for r in records)
    assert {r.place.pcode for r in Report.objects.filter(programme="ddr")} == {"ML06", "ML07"}
    assert all(r.status == "validated" for r in records)


def test_the_demo_figures_come_out_of_the_engine():
    security_demo_load()
    series = compute("share-women-fds", "2015-01-01..2016-12-31", by=["year"])
    assert {r.key["year"].code: round(r.value, 3) for r in series.rows} == {
        "2015": round(3140 / 37500, 3),
        "2016": round(3760 / 39400, 3),
    }
    by_region = compute("ddr-registered-women", "2015-01-01..2016-12-31", by=["region"])
    assert {r.key["region"].code: r.value for r in by_region.rows} == {
        "ML06": 18 + 27,
        "ML07": 48 + 55,
    }


def test_loading_the_demo_again_changes_nothing():
    security_demo_load()
    again = security_demo_load()
    assert {kind: tally.changed for kind, tally in again.items()} == {"strengths": 0, "reports": 0}
