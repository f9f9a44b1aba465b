"""The demo's elections: the 2016 and 2009 communal figures with their source (the men
elected not given: no data, no share), the ILLUSTRATIVE Gao lists marked in the data, one
failing art. 2 and one art. 3; loading again changes nothing."""

import pytest

from musow.demo.elections import elections_demo_load
from musow.elections.models import CandidateList, Election
from musow.indicators.engine import compute

pytestmark = pytest.mark.django_db


def test_the_public_figure_comes_out_with_its_source_and_no_invented_men():
    elections_demo_load()
    assert compute("elected-women", "2016").total == 2800
    assert compute("elected-women", "2009").total == 927
    assert compute("share-women-elected", "2016").total is None  # the men are not given
    public = CandidateList.objects.filter(is_illustrative=False)
    assert public.count() == 2
    assert all(c.elected_men is None and "Presse" in c.source_document for c in public)


def test_the_illustrative_lists_are_marked_and_show_each_failure():
    elections_demo_load()
    invented = CandidateList.objects.filter(is_illustrative=True)
    assert invented.count() == 3
    assert all("ILLUSTRATIF" in c.party and "ILLUSTRATIVE" in c.note for c in invented)
    assert Election.objects.get(is_illustrative=True).name_en.endswith("(ILLUSTRATIVE)")
    assert compute("lists-failing-art2", "2017").total == 1
    assert compute("lists-failing-art3", "2017").total == 1


def test_loading_again_changes_nothing():
    elections_demo_load()
    again = elections_demo_load()
    assert again["elections"].changed == 0 and again["lists"].changed == 0
