"""Law No. 2015-052's checks against a plain oracle (Hypothesis), and their words."""

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from musow.elections import law

sexes = st.lists(st.sampled_from("fm"), max_size=30)
councils = st.sampled_from(
    ["national-assembly", "hcct", "regional-council", "cercle-council", "communal-council", "other"]
)


def oracle_art2(s, council):
    if council == "other" or len(s) < 3:
        return "n/a"
    # no more than 70 %: 10 × count ≤ 7 × n, in integers
    return "fails" if max(s.count("f"), s.count("m")) * 10 > 7 * len(s) else "meets"


def oracle_art3(s, council):
    if council not in ("regional-council", "cercle-council", "communal-council") or len(s) < 3:
        return "n/a"
    text = "".join(s)
    return "fails" if "fff" in text or "mmm" in text else "meets"


def oracle_art1(women, men):
    if women + men == 0:
        return "n/a"
    return "fails" if min(women, men) * 10 < 3 * (women + men) else "meets"


@given(sexes, councils)
def test_art2_agrees_with_the_oracle(s, council):
    assert law.art2_list(s, council).outcome == oracle_art2(s, council)


@given(sexes, councils)
def test_art3_agrees_with_the_oracle(s, council):
    verdict = law.art3_list(s, council)
    assert verdict.outcome == oracle_art3(s, council)
    if verdict.outcome == "fails":
        third = law.first_run_of_three(s)
        assert third is not None and len(set(s[third - 3 : third])) == 1


@given(st.integers(0, 500), st.integers(0, 500))
def test_art1_agrees_with_the_oracle(women, men):
    assert law.art1_appointed(women, men).outcome == oracle_art1(women, men)


def test_it_says_why_a_list_fails_in_words():
    with translation.override("en"):
        art2, art3 = law.list_verdicts(list("mmmmf"), "communal-council")
    assert art2.outcome == "fails" and "4 of the 5 candidates are men" in art2.reason
    assert art3.outcome == "fails" and "Positions 1, 2 and 3 are all men" in art3.reason
    assert law.overall([art2, art3]) == "fails"


def test_exactly_30_percent_meets_art1_and_70_percent_meets_art2():
    assert law.art1_appointed(3, 7).meets is True
    assert law.art2_list(list("fffffffmmm"), "national-assembly").meets is True
    assert law.art1_appointed(None, 7).meets is None
