from musow.indicators.engine import compute
from tests.factories import make_activity


def test_a_validated_activity_counts_its_participants(db):
    make_activity()
    assert compute("participants-all", "2014").total == 50


def test_a_draft_counts_only_in_provisional_figures(db):
    make_activity(status="draft")
    assert compute("participants-all", "2014").total == 0
    assert compute("participants-all", "2014", provisional=True).total == 50
