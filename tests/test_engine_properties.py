"""Property test: for random registers, the engine agrees with a plain Python count."""

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.indicators.engine import compute
from tests.factories import make_activity

pytestmark = pytest.mark.django_db

REGIONS = ["ML05", "ML06", "ML07", "ML09"]
AUDIENCES = ["students", "general-public", "women-leaders"]
SEXES = ["f", "m", "u"]
AGES = ["under-18", "18-plus", "age-unknown"]
PEOPLE = ["P1", "P2", "P3", "P4", "P5"]

cell = st.tuples(st.sampled_from(AUDIENCES), st.sampled_from(SEXES), st.sampled_from(AGES))
activity = st.fixed_dictionaries(
    {
        "day": st.integers(min_value=0, max_value=800),  # 2014-01-01 + day: spans 2014–2016
        "region": st.sampled_from(REGIONS),
        "status": st.sampled_from(["draft", "submitted", "validated"]),
        "themes": st.sets(st.sampled_from(["gbv", "wps-1325", "empowerment"]), min_size=1),
        "cells": st.dictionaries(cell, st.integers(min_value=0, max_value=500), max_size=6),
        "people": st.sets(st.sampled_from(PEOPLE)),
    }
)


def load(specs):
    for i, spec in enumerate(specs):
        start = date(2014, 1, 1) + timedelta(days=spec["day"])
        total = sum(spec["cells"].values())
        people = sorted(spec["people"])[:total]
        make_activity(
            source_key=f"h{i}",
            type="awareness-session",
            start=start.isoformat(),
            end=start.isoformat(),
            place=spec["region"],
            status=spec["status"],
            themes=sorted(spec["themes"]),
            participation=[
                {"audience": a, "sex": s, "age": g, "count": n}
                for (a, s, g), n in spec["cells"].items()
            ],
            attendance=[
                {"code": person, "sex": "f", "audience": "students", "age": "18-plus"}
                for person in people
            ],
        )


def in_2014(spec) -> bool:
    return spec["day"] < 365


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(activity, max_size=6), st.booleans())
def test_contacts_by_sex_and_region_match_a_plain_count(specs, provisional):
    with transaction.atomic():
        load(specs)
        expected: Counter = Counter()
        for spec in specs:
            if not in_2014(spec) or (spec["status"] != "validated" and not provisional):
                continue
            for (_audience, sex, _age), n in spec["cells"].items():
                expected[(sex, spec["region"])] += n
        result = compute("participants-all", "2014", by=["sex", "region"], provisional=provisional)
        got = {(row.key["sex"].code, row.key["region"].code): row.value for row in result.rows}
        assert {k: v for k, v in got.items() if v} == {k: v for k, v in expected.items() if v}
        assert result.total == sum(expected.values())
        transaction.set_rollback(True)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(activity, max_size=6))
def test_unique_persons_match_a_plain_set_count(specs):
    with transaction.atomic():
        load(specs)
        people = set()
        by_region = defaultdict(set)
        for spec in specs:
            if not in_2014(spec) or spec["status"] != "validated" or "gbv" not in spec["themes"]:
                continue
            listed = sorted(spec["people"])[: sum(spec["cells"].values())]
            people.update(listed)
            by_region[spec["region"]].update(listed)
        assert compute("students-sensitised-gbv", "2014").total == len(people)
        result = compute("students-sensitised-gbv", "2014", by=["region"])
        assert {row.key["region"].code: row.value for row in result.rows} == {
            r: len(s) for r, s in by_region.items() if s
        }
        transaction.set_rollback(True)
