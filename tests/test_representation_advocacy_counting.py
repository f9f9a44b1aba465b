"""What came of the advocacy, as figures: recommendations are a stock (each one made by
the period's end, once, at its latest follow-up status by then), checked against a plain
Python oracle for random submissions and follow-ups; submissions, agreements and their
signatories are flows; a share reflected stays in [0, 1] and "no data" is not 0."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.indicators.engine import Scope, compute
from musow.representation.models import FOLLOW_UP_RANK, FollowUp
from tests.representation_factories import (
    follow,
    make_agreement,
    make_body,
    make_organisation,
    make_submission,
    region,
)

pytestmark = pytest.mark.django_db

START = date(2014, 1, 1)
ORGS = ["cafo", "wildaf", "ajm"]
STEPS = ["acknowledged", "not-retained", "reflected"]

submission = st.fixed_dictionaries(
    {
        "day": st.integers(min_value=0, max_value=2 * 365),  # 2014 and 2015
        "status": st.sampled_from(["draft", "submitted", "validated"]),
        "orgs": st.sets(st.sampled_from(ORGS), min_size=1, max_size=2),
        # each recommendation: its follow-up steps (status, days after the previous one)
        "recommendations": st.lists(
            st.lists(
                st.tuples(st.sampled_from(STEPS), st.integers(min_value=0, max_value=300)),
                max_size=3,
            ),
            min_size=1,
            max_size=3,
        ),
    }
)


def forward(steps):
    """Keep the steps that move forward (the service refuses the others)."""
    kept, rank = [], 0
    for status, gap in steps:
        if FOLLOW_UP_RANK[FollowUp(status)] > rank:
            kept.append((status, gap))
            rank = FOLLOW_UP_RANK[FollowUp(status)]
    return kept


def load(specs):
    body = make_body("mediation", kind="mediation")
    for spec in specs:
        day = START + timedelta(days=spec["day"])
        texts = tuple(f"R{i}" for i in range(len(spec["recommendations"])))
        made = make_submission(
            body,
            day.isoformat(),
            recommendations=texts,
            organisations=tuple(sorted(spec["orgs"])),
            status=spec["status"],
        )
        for recommendation, steps in zip(
            made.recommendations.order_by("order"), spec["recommendations"], strict=True
        ):
            on = day
            for status, gap in forward(steps):
                on += timedelta(days=gap)
                follow(recommendation, status, on.isoformat())


def oracle(specs, end):
    """{status: recommendations} at `end` (each at its latest step by then), and
    {organisation: recommendations} of all statuses."""
    by_status, by_org = Counter(), Counter()
    for spec in specs:
        day = START + timedelta(days=spec["day"])
        if spec["status"] != "validated" or day > end:
            continue
        for steps in spec["recommendations"]:
            status, on = "submitted", day
            for step, gap in forward(steps):
                on += timedelta(days=gap)
                if on <= end:
                    status = step
            by_status[status] += 1
            for org in spec["orgs"]:
                by_org[org] += 1
    return by_status, by_org


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.lists(submission, max_size=5))
def test_recommendations_are_counted_once_at_their_latest_status_by_the_periods_end(specs):
    with transaction.atomic():
        load(specs)
        for year in (2014, 2015, 2016):
            by_status, by_org = oracle(specs, date(year, 12, 31))
            result = compute("recommendations", str(year), by=["follow_up"])
            got = {r.key["follow_up"].code: r.value for r in result.rows}
            assert got == {k: v for k, v in by_status.items() if v}
            assert result.total == (sum(by_status.values()) if by_status else None)
            orgs = compute("recommendations", str(year), by=["organisation"])
            assert {r.key["organisation"].code: r.value for r in orgs.rows} == dict(by_org)
        transaction.set_rollback(True)


@SETTINGS
@given(st.lists(submission, max_size=5))
def test_a_time_series_is_the_stock_at_each_years_end_never_a_sum_over_dates(specs):
    with transaction.atomic():
        load(specs)
        series = compute("recommendations-reflected", "2014-01-01..2016-12-31", by=["year"])
        shares = compute("share-recommendations-reflected", "2014-01-01..2016-12-31", by=["year"])
        got = {r.key["year"].code: r.value for r in series.rows}
        share = {r.key["year"].code: r.value for r in shares.rows}
        for year in (2014, 2015, 2016):
            by_status, _orgs = oracle(specs, date(year, 12, 31))
            everyone = sum(by_status.values())
            assert got.get(str(year)) == (by_status["reflected"] if everyone else None)
            if everyone:
                assert share[str(year)] == pytest.approx(by_status["reflected"] / everyone)
                assert 0 <= share[str(year)] <= 1
            else:
                assert share.get(str(year)) is None
        last, _orgs = oracle(specs, date(2016, 12, 31))
        assert series.total == (last["reflected"] if last else None)
        transaction.set_rollback(True)


def test_no_recommendation_is_no_data_and_none_reflected_is_0():
    body = make_body("mediation", kind="mediation")
    assert compute("share-recommendations-reflected", "2014").total is None
    assert compute("recommendations-reflected", "2014").total is None
    made = make_submission(body, "2014-09-01")
    assert compute("recommendations-reflected", "2014").total == 0
    assert compute("share-recommendations-reflected", "2014").total == 0
    follow(made.recommendations.first(), "reflected", "2015-05-15")
    assert compute("share-recommendations-reflected", "2014").total == 0
    assert compute("share-recommendations-reflected", "2015").total == pytest.approx(0.5)


def test_submissions_are_a_flow_by_organisation():
    body = make_body("mediation", kind="mediation")
    make_submission(body, "2014-09-01", organisations=("cafo", "wildaf"))
    make_submission(body, "2014-10-01", organisations=("cafo",))
    make_submission(body, "2015-02-01", organisations=("ajm",))
    make_submission(body, "2014-11-01", organisations=("ajm",), status="draft")
    result = compute("submissions", "2014", by=["organisation"])
    assert result.total == 2
    assert {r.key["organisation"].code: r.value for r in result.rows} == {"cafo": 2, "wildaf": 1}
    cafo = make_organisation("cafo")
    assert compute("submissions", "2014", Scope(organisations=(cafo.pk,))).total == 2


def test_agreements_with_and_without_each_provision_and_signatories_by_sex():
    body = make_body("mediation", kind="mediation")
    make_agreement(body, "2015-05-15", provisions=("womens-participation", "sgbv"), women=0, men=9)
    make_agreement(body, "2015-06-20", provisions=("sgbv",), women=1, men=4)
    make_agreement(body, "2015-09-01")  # no provision, signatories not given
    make_agreement(body, "2015-10-01", provisions=("sgbv",), women=5, status="draft")
    assert compute("agreements", "2015").total == 3
    assert compute("agreements-gender-provisions", "2015").total == 2
    assert compute("share-agreements-gender-provisions", "2015").total == pytest.approx(2 / 3)
    by_provision = compute("agreements", "2015", by=["provision"])
    assert {r.key["provision"].code: r.value for r in by_provision.rows} == {
        "none": 1,
        "sgbv": 2,
        "womens-participation": 1,
    }
    signatories = compute("signatories", "2015", by=["sex"])
    assert {r.key["sex"].code: r.value for r in signatories.rows} == {"f": 1, "m": 13}
    assert compute("signatories-women", "2015").total == 1
    assert compute("share-women-signatories-agreements", "2015").total == pytest.approx(1 / 14)
    assert compute("signatories", "2016").total is None  # no agreement: no data
    assert compute("agreements", "2016").total == 0


def test_a_focal_points_figures_count_only_their_regions_bodies():
    gao = make_body("conseil-gao", kind="regional-council", place="ML07")
    bamako = make_body("conseil-bamako", kind="regional-council", place="ML09")
    make_submission(gao, "2015-03-01")
    make_submission(bamako, "2015-03-01", recommendations=("A", "B", "C"))
    in_gao = Scope(regions=(region("ML07").pk,))
    assert compute("recommendations", "2015", in_gao).total == 2
    assert compute("recommendations", "2015").total == 5
