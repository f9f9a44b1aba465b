"""Seats are a stock: for random compositions, the engine agrees with a plain Python
oracle (each body's latest validated composition at the period's end, never summed over
dates; a body with no composition is no data, not 0); shares stay in [0, 1]."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.indicators.engine import Scope, compute
from musow.indicators.periods import Period
from tests.representation_factories import make_body, make_composition, make_sitting, region

pytestmark = pytest.mark.django_db

BODIES = [
    ("b0", "delegation", None),
    ("b1", "follow-up-committee", "ML07"),
    ("b2", "government", None),
]
ROLES = ["member", "president", "negotiator"]
START = date(2014, 1, 1)

composition = st.fixed_dictionaries(
    {
        "body": st.integers(min_value=0, max_value=len(BODIES) - 1),
        "day": st.integers(min_value=0, max_value=3 * 365),  # 2014 to 2016
        "status": st.sampled_from(["draft", "submitted", "validated"]),
        "cells": st.dictionaries(
            st.tuples(st.sampled_from(ROLES), st.sampled_from(["f", "m"])),
            st.integers(min_value=0, max_value=40),
            min_size=1,
            max_size=4,
        ),
    }
)


def load(specs):
    bodies = [make_body(code, kind=kind, place=place) for code, kind, place in BODIES]
    for spec in specs:
        day = START + timedelta(days=spec["day"])
        cells = {f"{role}_{sex}": n for (role, sex), n in spec["cells"].items()}
        make_composition(bodies[spec["body"]], day.isoformat(), status=spec["status"], **cells)


def oracle(specs, end, *, kinds=None, sexes=None):
    """{(role, sex): seats} of each body's latest validated composition at `end`, and
    whether any body has data."""
    latest = {}
    for spec in specs:  # in creation order: a later one on the same date wins
        day = START + timedelta(days=spec["day"])
        if spec["status"] == "validated" and day <= end:
            if spec["body"] not in latest or day >= latest[spec["body"]][0]:
                latest[spec["body"]] = (day, spec["cells"])
    seats: Counter = Counter()
    has_data = False
    for body, (_day, cells) in latest.items():
        if kinds and BODIES[body][1] not in kinds:
            continue
        has_data = True
        for (role, sex), n in cells.items():
            if sexes is None or sex in sexes:
                seats[(role, sex)] += n
    return seats, has_data


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.lists(composition, max_size=7))
def test_seats_are_each_bodys_latest_validated_composition(specs):
    with transaction.atomic():
        load(specs)
        expected, has_data = oracle(specs, date(2015, 12, 31))
        result = compute("seats", "2015", by=["role", "sex"])
        got = {(r.key["role"].code, r.key["sex"].code): r.value for r in result.rows}
        assert got == {k: v for k, v in expected.items() if (k in got or v)}
        assert result.total == (sum(expected.values()) if has_data else None)
        transaction.set_rollback(True)


@SETTINGS
@given(st.lists(composition, max_size=7))
def test_a_time_series_is_the_stock_at_each_years_end_never_a_sum_over_dates(specs):
    with transaction.atomic():
        load(specs)
        result = compute("seats-women", "2014-01-01..2016-12-31", by=["year"])
        got = {r.key["year"].code: r.value for r in result.rows}
        for year in (2014, 2015, 2016):
            seats, has_data = oracle(specs, date(year, 12, 31), sexes={"f"})
            assert got.get(str(year)) == (sum(seats.values()) if has_data else None)
        last, has_data = oracle(specs, date(2016, 12, 31), sexes={"f"})
        assert result.total == (sum(last.values()) if has_data else None)
        transaction.set_rollback(True)


@SETTINGS
@given(st.lists(composition, max_size=7))
def test_shares_of_women_stay_between_0_and_1_and_no_data_is_not_0(specs):
    with transaction.atomic():
        load(specs)
        kinds = {"delegation", "mediation"}
        women, has_data = oracle(specs, date(2016, 12, 31), kinds=kinds, sexes={"f"})
        everyone, _ = oracle(specs, date(2016, 12, 31), kinds=kinds)
        share = compute("share-women-seats-delegations", "2016", by=["role"])
        if not has_data or not sum(everyone.values()):
            assert share.total is None
        else:
            assert share.total == pytest.approx(sum(women.values()) / sum(everyone.values()))
        for row in share.rows:
            assert row.value is None or 0 <= row.value <= 1
        transaction.set_rollback(True)


def test_a_body_without_a_composition_is_no_data_and_one_without_women_is_0():
    body = make_body("comite", kind="follow-up-committee")
    assert compute("share-women-seats-follow-up", "2015").total is None
    assert compute("seats-follow-up-women", "2015").total is None
    make_composition(body, "2015-03-01", member_m=12)
    assert compute("share-women-seats-follow-up", "2015").total == 0
    assert compute("seats-follow-up-women", "2015").total == 0
    rows = compute("share-women-seats-follow-up", "2015", by=["body"]).rows
    assert [(r.key["body"].code, r.value) for r in rows] == [("comite", 0.0)]


def test_a_body_that_ended_before_the_period_does_not_count():
    body = make_body(
        "delegation-2014",
        kind="delegation",
        valid_from=date(2014, 7, 1),
        valid_to=date(2015, 6, 20),
    )
    make_composition(body, "2014-07-16", negotiator_f=2, negotiator_m=10)
    assert compute("seats-delegations", "2015").total == 12
    assert compute("seats-delegations", "2016").total is None


def test_a_focal_points_figures_count_only_bodies_of_their_regions():
    make_composition(make_body("gao", place="ML07"), "2015-03-01", member_f=4, member_m=4)
    make_composition(make_body("bamako", place="ML09"), "2015-03-01", member_f=1, member_m=9)
    gao = Scope(regions=(region("ML07").pk,))
    assert compute("seats-women", "2015", gao).total == 4
    assert compute("seats-women", "2015").total == 5
    assert compute("seats-women", "2015", Scope(organisations=(1,))).total is None


def test_attendance_at_sittings_is_a_flow_summed_over_the_period():
    body = make_body("comite", kind="follow-up-committee")
    make_sitting(body, "2015-03-01", member_f=2, member_m=10)
    make_sitting(body, "2015-04-01", member_f=3, member_m=9)
    make_sitting(body, "2015-05-01", status="draft", member_f=30)
    assert compute("sitting-attendance-women", "2015").total == 5
    share = compute("share-women-sitting-attendance", "2015", by=["month"])
    assert {r.key["month"].code: r.value for r in share.rows} == {
        "2015-03": pytest.approx(2 / 12),
        "2015-04": pytest.approx(3 / 12),
    }
    assert Period.parse("2015").code == "2015"


def test_a_share_by_year_reads_every_year_end_in_one_query_both_terms_together():
    body = make_body("comite-suivi", kind="follow-up-committee")
    make_composition(body, "2015-03-01", member_f=3, member_m=9)
    make_composition(body, "2016-06-01", member_f=6, member_m=6)
    with CaptureQueriesContext(connection) as queries:
        share = compute("share-women-seats-follow-up", "2015-01-01..2017-12-31", by=["year"])
    got = {r.key["year"].code: r.value for r in share.rows}
    assert got == {"2015": 0.25, "2016": 0.5, "2017": 0.5}
    assert share.total == 0.5
    stocks = [q for q in queries.captured_queries if "WITH parts" in q["sql"]]
    assert len(stocks) == 1  # seats of women and all seats, every year end and the total
    assert [len(c.sql()) for c in share.computed_by] == [1, 1]  # each term shows its SQL
