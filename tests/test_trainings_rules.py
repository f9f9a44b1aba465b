"""The trainings' figures go through the one engine and agree with a plain Python oracle:
a person tested twice counts once per course, a missing test is no data (not 0), means
are never summed."""

from collections import defaultdict
from datetime import date, timedelta
from statistics import fmean
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.indicators.engine import EngineError, compute
from musow.trainings.services import trainees_save
from tests.trainings_helpers import make_course, make_session, trainee

pytestmark = pytest.mark.django_db

PEOPLE = {"P1": "f", "P2": "m", "P3": "f", "P4": "m", "P5": "u"}
COMPONENTS = ["civilian", "military", "police", "fds"]
score = st.one_of(st.none(), st.integers(min_value=0, max_value=100))
person = st.fixed_dictionaries(
    {
        "component": st.sampled_from(COMPONENTS),
        "pre": score,
        "post": score,
        "completed": st.sampled_from([None, True, False]),
        "reaction": st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    }
)
session = st.fixed_dictionaries(
    {
        "course": st.sampled_from(["a", "b"]),
        "day": st.integers(min_value=0, max_value=400),  # a few fall in 2015
        "status": st.sampled_from(["validated", "validated", "draft"]),
        "people": st.dictionaries(st.sampled_from(sorted(PEOPLE)), person, min_size=1),
    }
)


def load(specs: list[dict[str, Any]]) -> None:
    courses = {c: make_course(c, pass_mark=60) for c in ("a", "b")}
    for i, spec in enumerate(specs):
        day = (date(2014, 1, 1) + timedelta(days=spec["day"])).isoformat()
        s = make_session(
            courses[spec["course"]],
            {code: PEOPLE[code] for code in spec["people"]},
            start=day,
            status=spec["status"],
            source_key=f"s{i}",
        )
        trainees_save(
            session=s, trainees=[trainee(code, **facts) for code, facts in spec["people"].items()]
        )


def oracle(specs: list[dict[str, Any]], provisional: bool) -> dict[str, Any]:
    """Each rule's figures by (sex, component), computed plainly."""
    rows = []
    for i, spec in enumerate(specs):
        if spec["day"] >= 365 or (spec["status"] != "validated" and not provisional):
            continue
        for code, facts in spec["people"].items():
            rows.append(
                {
                    "order": (spec["day"], i),
                    "course": spec["course"],
                    "code": code,
                    "sex": PEOPLE[code],
                    **facts,
                }
            )

    def counted(keep):
        groups: dict[tuple, set] = defaultdict(set)
        everyone = set()
        for r in rows:
            if keep(r):
                groups[(r["sex"], r["component"])].add((r["course"], r["code"]))
                everyone.add((r["course"], r["code"]))
        return len(everyone), {k: len(v) for k, v in groups.items()}

    def mean(value):
        latest: dict[tuple, dict] = {}
        for r in sorted(rows, key=lambda r: r["order"]):
            if value(r) is not None:
                latest[(r["course"], r["code"])] = r
        if not latest:
            return None, {}
        groups = defaultdict(list)
        for r in latest.values():
            groups[(r["sex"], r["component"])].append(value(r))
        return fmean(value(r) for r in latest.values()), {k: fmean(v) for k, v in groups.items()}

    def gain(r):
        return None if r["pre"] is None or r["post"] is None else r["post"] - r["pre"]

    return {
        "training-trainees": counted(lambda r: True),
        "training-completed": counted(lambda r: r["completed"] is True),
        "training-post-tested": counted(lambda r: r["post"] is not None),
        "training-passed": counted(lambda r: r["post"] is not None and r["post"] >= 60),
        "training-trained": counted(lambda r: r["completed"] is True and r["post"] is not None),
        "training-mean-pre": mean(lambda r: r["pre"]),
        "training-mean-post": mean(lambda r: r["post"]),
        "training-mean-gain": mean(gain),
        "training-mean-reaction": mean(lambda r: r["reaction"]),
    }


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-6


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(session, max_size=5), st.booleans())
def test_the_rules_match_a_plain_python_oracle(specs, provisional):
    with transaction.atomic():
        load(specs)
        for code, (total, by) in oracle(specs, provisional).items():
            result = compute(code, "2014", by=["sex", "component"], provisional=provisional)
            got = {(r.key["sex"].code, r.key["component"].code): r.value for r in result.rows}
            assert set(got) == set(by), code
            assert all(_close(got[k], by[k]) for k in by), code
            plain = compute(code, "2014", provisional=provisional)
            assert _close(plain.total, total) and _close(result.total, total), code
        transaction.set_rollback(True)


def _two_sessions():
    course = make_course("induction", pass_mark=70)
    first = make_session(course, {"P1": "f", "P2": "m"}, start="2014-02-11")
    second = make_session(course, {"P1": "f"}, start="2014-06-10", source_key="second")
    trainees_save(
        session=first,
        trainees=[
            trainee("P1", component="police", pre=20, post=50, completed=True),
            trainee("P2", component="military", pre=40),  # no post-test: no data
        ],
    )
    trainees_save(
        session=second,
        trainees=[trainee("P1", component="police", pre=60, post=90, completed=True)],
    )
    return course


def test_a_trainee_tested_twice_counts_once_per_course():
    _two_sessions()
    assert compute("training-trainees", "2014").total == 2
    assert compute("training-trained", "2014").total == 1
    assert compute("training-mean-post", "2014").total == 90  # P1's latest, once
    assert compute("training-mean-pre", "2014").total == 50  # (60 + 40) / 2
    assert compute("training-mean-gain", "2014").total == 30
    assert compute("training-pass-rate", "2014").total == 1.0


def test_a_missing_test_is_no_data_not_zero():
    course = make_course()
    s = make_session(course, {"P1": "f", "P2": "m"})
    trainees_save(session=s, trainees=[trainee("P1", post=80), trainee("P2")])
    result = compute("training-mean-post", "2014", by=["sex"])
    assert result.total == 80
    assert {r.key["sex"].code: r.value for r in result.rows} == {"f": 80}
    assert compute("training-mean-gain", "2014").total is None


def test_a_mean_is_not_the_sum_of_its_breakdown():
    _two_sessions()
    result = compute("training-mean-pre", "2014", by=["component"])
    assert {r.key["component"].code: r.value for r in result.rows} == {
        "police": 60,
        "military": 40,
    }
    assert result.total == 50


def test_trainees_break_down_by_course_and_country_with_labels():
    course = make_course()
    s = make_session(course, {"P1": "f", "P2": "m"})
    trainees_save(
        session=s,
        trainees=[
            trainee("P1", component="police", category="ipo", country="SN"),
            trainee("P2", component="military", category="contingent", country="BD"),
        ],
    )
    result = compute("training-trainees", "2014", by=["course", "country", "category"])
    assert {
        (r.key["course"].code, r.key["country"].code, r.key["category"].code): r.value
        for r in result.rows
    } == {
        ("induction", "BD", "contingent"): 1,
        ("induction", "SN", "ipo"): 1,
    }
    assert result.computed_by[0].where.startswith("trainings (")
    assert "GROUP BY" in " ".join(result.computed_by[0].sql())


def test_it_refuses_a_breakdown_the_trainings_do_not_know():
    with pytest.raises(EngineError):
        compute("training-trainees", "2014", by=["audience"])


def test_the_share_applying_at_work_counts_follow_ups_not_the_untraced():
    course = make_course()
    s = make_session(course, {"P1": "f", "P2": "m", "P3": "f", "P4": "m"})
    trainees_save(
        session=s,
        trainees=[
            trainee("P1", follow_ups={3: "yes", 9: "no"}),
            trainee("P2", follow_ups={3: "partly"}),
            trainee("P3", follow_ups={3: "no"}),
            trainee("P4"),  # not followed up: not in the share
        ],
    )
    assert compute("training-applying-share-3m", "2014").total == 2 / 3
    assert compute("training-applying-share-9m", "2014").total == 0
    by_sex = compute("training-applying-share-3m", "2014", by=["sex"])
    assert {r.key["sex"].code: r.value for r in by_sex.rows} == {"f": 0.5, "m": 1.0}
