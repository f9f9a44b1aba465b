"""Candidates and elected are flows: for random lists, the engine agrees with a plain
Python oracle (sums over the validated lists of the period's elections; a sex not given
is no data, not 0; shares stay in [0, 1]; lists failing art. 2 and 3 counted)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musow.indicators.engine import compute
from tests.elections_factories import make_election, make_list

pytestmark = pytest.mark.django_db

ELECTIONS = [("communal", "2016-11-20"), ("legislative", "2020-03-29")]
COUNCILS = {"communal": "communal-council", "legislative": "national-assembly"}

a_list = st.fixed_dictionaries(
    {
        "election": st.integers(0, 1),
        "status": st.sampled_from(["draft", "submitted", "validated"]),
        "sexes": st.text(alphabet="FM", min_size=1, max_size=9),
        "elected_women": st.none() | st.integers(0, 9),
        "elected_men": st.none() | st.integers(0, 9),
        "place": st.sampled_from(["ML07", "ML09"]),
    }
)


def load(specs):
    elections = [make_election(kind, day) for kind, day in ELECTIONS]
    for spec in specs:
        sexes = spec["sexes"]
        women = spec["elected_women"]
        men = spec["elected_men"]
        make_list(
            elections[spec["election"]],
            sexes,
            council=COUNCILS[ELECTIONS[spec["election"]][0]],
            place=spec["place"],
            status=spec["status"],
            elected_women=None if women is None else min(women, sexes.count("F")),
            elected_men=None if men is None else min(men, sexes.count("M")),
        )


def counted(specs, year):
    return [
        s
        for s in specs
        if s["status"] == "validated" and ELECTIONS[s["election"]][1].startswith(year)
    ]


def clipped(spec, sex):
    value = spec["elected_women" if sex == "F" else "elected_men"]
    return None if value is None else min(value, spec["sexes"].count(sex))


def art2_fails(s):
    return len(s) >= 3 and max(s.count("F"), s.count("M")) * 10 > 7 * len(s)


def art3_fails(spec):
    s = spec["sexes"]
    return spec["election"] == 0 and ("FFF" in s or "MMM" in s)


SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.lists(a_list, max_size=6))
def test_candidates_and_elected_are_sums_over_the_periods_validated_lists(specs):
    with transaction.atomic():
        load(specs)
        for year in ("2016", "2020"):
            lists = counted(specs, year)
            women = sum(s["sexes"].count("F") for s in lists)
            everyone = sum(len(s["sexes"]) for s in lists)
            assert compute("candidates", year).total == (everyone if lists else None)
            assert compute("candidates-women", year).total == (women if lists else None)
            by_sex = compute("candidates", year, by=["sex"])
            got = {r.key["sex"].code: r.value for r in by_sex.rows}
            assert got == ({"f": women, "m": everyone - women} if lists else {})
            complete = [s for s in lists if s["elected_women"] is not None]
            complete = [s for s in complete if s["elected_men"] is not None]
            elected = sum(clipped(s, "F") + clipped(s, "M") for s in complete)
            elected_women = sum(clipped(s, "F") for s in complete)
            share = compute("share-women-elected", year).total
            if not complete or not elected:
                assert share is None
            else:
                assert share == pytest.approx(elected_women / elected)
                assert 0 <= share <= 1
            reported = [clipped(s, "F") for s in lists if s["elected_women"] is not None]
            assert compute("elected-women", year).total == (sum(reported) if reported else None)
            fails2 = sum(1 for s in lists if art2_fails(s["sexes"]))
            fails3 = sum(1 for s in lists if art3_fails(s))
            assert compute("lists-failing-art2", year).total == (fails2 if lists else None)
            assert compute("lists-failing-art3", year).total == (fails3 if lists else None)
        transaction.set_rollback(True)


def test_figures_break_down_by_kind_region_and_year_and_no_list_is_no_data():
    assert compute("candidates-women", "2016").total is None
    communal = make_election("communal", "2016-11-20")
    make_list(communal, "FMFMFM", place="ML07")
    make_list(communal, "MMMF", place="ML09")
    rows = compute("candidates-women", "2016", by=["election_kind", "region", "year"]).rows
    got = {(r.key["election_kind"].code, r.key["year"].code, r.value) for r in rows}
    assert got == {("communal", "2016", 3), ("communal", "2016", 1)}
    share = compute("share-women-candidates", "2016").total
    assert share == pytest.approx(4 / 10)


def test_a_total_giving_only_the_women_elected_never_makes_a_share():
    communal = make_election("communal", "2016-11-20")
    make_list(communal, "", place=None, is_total=True, party="Toutes", elected_women=2800)
    assert compute("elected-women", "2016").total == 2800
    assert compute("elected", "2016").total is None
    assert compute("share-women-elected", "2016").total is None
