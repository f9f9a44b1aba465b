"""The programme's counting rules go through the one engine; what leaves it is protected
unless a protection page asks for the figures whole."""

import pytest

from musow.indicators.engine import Scope, compute
from musow.protection.figures import whole_figures
from tests.protection_helpers import region

pytestmark = pytest.mark.django_db


def test_incidents_by_type_are_counted_whole_for_a_protection_page(demo_reports):
    with whole_figures():
        result = compute("sgbv-incidents", "2014-03", by=["incident_type", "sex"])
    assert result.total == sum(r.value for r in result.rows)
    assert any(0 < r.value < 5 for r in result.rows)  # the demo has small cells
    assert {r.key["incident_type"].code for r in result.rows} >= {"rape"}


def test_every_other_door_gets_the_figures_protected(demo_reports):
    with whole_figures():
        whole = compute("sgbv-incidents", "2014-03", by=["incident_type", "sex"])
    protected = compute("sgbv-incidents", "2014-03", by=["incident_type", "sex"])
    hidden = [r for r in protected.rows if r.value is None]
    assert hidden
    values = {tuple(m.code for m in r.key.values()): r.value for r in protected.rows}
    for row in whole.rows:
        shown = values[tuple(m.code for m in row.key.values())]
        assert shown is None or shown == row.value >= 5 or shown == row.value == 0
    assert len(hidden) >= 2 or protected.total is None  # one hidden cell alone is recoverable


def test_the_share_reported_within_72_hours_and_the_justice_chain(demo_reports):
    with whole_figures():
        share = compute("sgbv-share-reported-72h", "2014")
        complaints = compute("sgbv-complaints", "2014").total
        convictions = compute("sgbv-convictions", "2014").total
        referred = compute("sgbv-referred-legal-aid", "2014").total
        gao = compute("sgbv-incidents", "2014", Scope(regions=(region("ML07").pk,))).total
        everywhere = compute("sgbv-incidents", "2014", by=["region"])
    assert 0 < share.total < 1
    assert complaints >= convictions and referred > 0
    assert {r.key["region"].code: r.value for r in everywhere.rows}["ML07"] == gao
    conversion = compute("sgbv-share-convicted", "2014").total
    assert conversion is None or 0 <= conversion <= 1
