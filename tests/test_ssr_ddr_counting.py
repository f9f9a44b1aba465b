"""The security sector and DDR's counting rules against a plain Python oracle: strengths
are a stock (each force's latest validated strength at the period's end, never summed
over dates; no strength is no data, not 0); programme figures a flow (summed over the
validated figures whose period ends within the figure's period only; none is no data);
shares stay in [0, 1]."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.indicators.engine import Scope, compute
from tests.security_factories import make_report, make_strength, place

pytestmark = pytest.mark.django_db

FORCES = ["fama", "police", "gendarmerie"]
START = date(2014, 1, 1)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

strength = st.fixed_dictionaries(
    {
        "force": st.sampled_from(FORCES),
        "day": st.integers(min_value=0, max_value=3 * 365),  # 2014 to 2016
        "status": st.sampled_from(["draft", "submitted", "validated"]),
        "women": st.integers(min_value=0, max_value=500),
        "men": st.integers(min_value=0, max_value=500),
    }
)


def strength_oracle(specs, end, sexes=("women", "men")):
    """The sum of each force's latest validated strength at `end`, or None."""
    latest = {}
    for spec in specs:  # in creation order: a later one on the same date wins
        day = START + timedelta(days=spec["day"])
        if spec["status"] == "validated" and day <= end:
            if spec["force"] not in latest or day >= latest[spec["force"]][0]:
                latest[spec["force"]] = (day, spec)
    if not latest:
        return None
    return sum(spec[sex] for _day, spec in latest.values() for sex in sexes)


def load_strengths(specs):
    for spec in specs:
        day = START + timedelta(days=spec["day"])
        make_strength(
            spec["force"],
            day.isoformat(),
            women=spec["women"],
            men=spec["men"],
            status=spec["status"],
        )


@SETTINGS
@given(st.lists(strength, max_size=7))
def test_strengths_are_each_forces_latest_validated_one_never_a_sum_over_dates(specs):
    with transaction.atomic():
        load_strengths(specs)
        series = compute("fds-strength-women", "2014-01-01..2016-12-31", by=["year"])
        got = {r.key["year"].code: r.value for r in series.rows}
        for year in (2014, 2015, 2016):
            assert got.get(str(year)) == strength_oracle(specs, date(year, 12, 31), ("women",))
        assert series.total == strength_oracle(specs, date(2016, 12, 31), ("women",))
        share = compute("share-women-fds", "2015", by=["force"])
        women = strength_oracle(specs, date(2015, 12, 31), ("women",))
        everyone = strength_oracle(specs, date(2015, 12, 31))
        if not everyone:
            assert share.total is None
        else:
            assert share.total == pytest.approx(women / everyone)
        for row in share.rows:
            assert row.value is None or 0 <= row.value <= 1
        transaction.set_rollback(True)


STAGES = ["ddr-registered", "ddr-demobilised", "ddr-reintegrated"]
report = st.fixed_dictionaries(
    {
        "pcode": st.sampled_from(["ML06", "ML07"]),
        "end": st.integers(min_value=0, max_value=3 * 365),
        "status": st.sampled_from(["draft", "submitted", "validated"]),
        # A funnel: registered >= demobilised >= reintegrated, per sex and age group.
        "cells": st.dictionaries(
            st.tuples(st.sampled_from(["f", "m"]), st.sampled_from(["under-18", "18-plus"])),
            st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=3).map(
                lambda ns: sorted(ns, reverse=True)
            ),
            min_size=1,
            max_size=4,
        ),
    }
)


def load_reports(specs):
    for spec in specs:
        end = START + timedelta(days=spec["end"])
        counts = {
            f"{STAGES[i].replace('-', '_')}__{sex}__{age.replace('-', '_')}": n
            for (sex, age), ns in spec["cells"].items()
            for i, n in enumerate(ns)
        }
        make_report(
            pcode=spec["pcode"],
            start=(end - timedelta(days=30)).isoformat(),
            end=end.isoformat(),
            status=spec["status"],
            **counts,
        )


def people_oracle(specs, start, end, *, stage, sexes=("f", "m"), regions=None):
    """{(region, age group): people} at `stage` in the validated figures ending in the
    period, and whether there are any."""
    out: Counter = Counter()
    has_data = False
    for spec in specs:
        day = START + timedelta(days=spec["end"])
        if spec["status"] != "validated" or not start <= day <= end:
            continue
        if regions and spec["pcode"] not in regions:
            continue
        for (sex, age), ns in spec["cells"].items():
            if len(ns) > STAGES.index(stage):
                has_data = True
                if sex in sexes:
                    out[(spec["pcode"], age)] += ns[STAGES.index(stage)]
    return out, has_data


@SETTINGS
@given(st.lists(report, max_size=6))
def test_ddr_figures_are_summed_over_the_period_only_and_none_is_no_data(specs):
    with transaction.atomic():
        load_reports(specs)
        for stage in STAGES:
            code = stage  # the indicators are named after their stage
            women, has_data = people_oracle(
                specs, date(2015, 1, 1), date(2015, 12, 31), stage=stage, sexes=("f",)
            )
            got = compute(f"{code}-women", "2015", by=["region", "age_group"])
            assert got.total == (sum(women.values()) if has_data else None)
            rows = {(r.key["region"].code, r.key["age_group"].code): r.value for r in got.rows}
            assert {k: v for k, v in rows.items() if v} == {k: v for k, v in women.items() if v}
            everyone, _ = people_oracle(specs, date(2015, 1, 1), date(2015, 12, 31), stage=stage)
            share = compute(f"share-women-{code}", "2015", by=["region"])
            if not has_data or not sum(everyone.values()):
                assert share.total is None
            else:
                assert share.total == pytest.approx(sum(women.values()) / sum(everyone.values()))
            for row in share.rows:
                assert row.value is None or 0 <= row.value <= 1
        gao = Scope(regions=(place("ML07").pk,))
        women, has_data = people_oracle(
            specs,
            date(2014, 1, 1),
            date(2016, 12, 31),
            stage="ddr-registered",
            sexes=("f",),
            regions={"ML07"},
        )
        got = compute("ddr-registered-women", "2014-01-01..2016-12-31", gao)
        assert got.total == (sum(women.values()) if has_data else None)
        transaction.set_rollback(True)


def test_no_figures_is_no_data_and_figures_without_women_are_0():
    assert compute("share-women-ddr-registered", "2015").total is None
    assert compute("ddr-registered-women", "2015").total is None
    assert compute("fds-strength-women", "2015").total is None
    make_report(ddr_registered__m__18_plus=12)
    make_strength("police", "2015-06-30", women=0, men=40)
    assert compute("ddr-registered-women", "2015").total == 0
    assert compute("share-women-ddr-registered", "2015").total == 0
    assert compute("share-women-fds", "2015").total == 0


def test_strengths_are_national_a_figure_limited_to_regions_has_none():
    make_strength("police", "2015-06-30", women=10, men=40)
    assert compute("fds-strength", "2015").total == 50
    assert compute("fds-strength", "2015", Scope(regions=(place("ML07").pk,))).total is None


def test_recruits_and_cvr_beneficiaries_by_force_and_stage():
    make_report("recruitment", force="gendarmerie", recruited__f__18_plus=14)
    make_report("recruitment", force="police", recruited__f__18_plus=6, recruited__m__18_plus=30)
    make_report("cvr", cvr_beneficiary__f__under_18=5, cvr_beneficiary__m__under_18=5)
    rows = compute("share-women-recruits", "2015", by=["force"]).rows
    assert {r.key["force"].code: r.value for r in rows} == {
        "gendarmerie": 1.0,
        "police": pytest.approx(6 / 36),
    }
    assert compute("recruits-women", "2015").total == 20
    assert compute("share-women-cvr-beneficiaries", "2015").total == 0.5
    assert compute("ddr-registered", "2015").total is None  # other programmes do not count
