"""The demo's trainings: the 2014 induction sessions are sessions of one course whose
trainees are the seed's 1 113 newcomers (unchanged), with illustrative scores that say
so; an FDS course with its trainees; loading again changes nothing."""

import pytest

from musow.indicators.engine import compute
from musow.trainings.demo import FDS, INDUCTION
from musow.trainings.models import Course
from tests.test_demo import SEED_FIGURES, demo, demo_output, run  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _by_course(code: str) -> dict[str, float]:
    return {r.key["course"].code: r.value for r in compute(code, "2014", by=["course"]).rows}


def test_the_induction_course_counts_the_seeds_1113_newcomers():
    assert compute("mission-staff-trained-gender", "2014").total == 1113
    assert _by_course("training-trainees") == {INDUCTION: 1113, FDS: 40}
    assert compute("training-trainees", "2014").total == 1113 + 40


def test_the_demo_scores_are_plausible_and_labelled_illustrative():
    pre, post = _by_course("training-mean-pre"), _by_course("training-mean-post")
    for course in (INDUCTION, FDS):
        assert 25 < pre[course] < post[course] < 90
        assert "illustrative" in Course.objects.get(code=course).version
    assert 0 < compute("training-pass-rate", "2014").total < 1


def test_a_second_demo_run_leaves_the_trainees_unchanged():
    before = {code: compute(code, "2014").total for code in SEED_FIGURES}
    out = run("demo", "--lang", "en")
    assert "trainees: 0 created, 0 updated, 1231 unchanged" in out
    assert {code: compute(code, "2014").total for code in SEED_FIGURES} == before
