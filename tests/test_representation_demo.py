"""The demo's women at the table: the public figures with their sources, the rest marked
ILLUSTRATIVE in the data; loading again changes nothing."""

from datetime import date

import pytest

from musow.demo.table import table_load
from musow.indicators.engine import compute
from musow.representation.models import (
    Agreement,
    Body,
    Composition,
    FollowUpStep,
    Recommendation,
    Sitting,
    Submission,
)

pytestmark = pytest.mark.django_db


def test_the_public_figures_come_out_of_the_demo_with_their_sources():
    table_load()
    assert compute("share-women-seats-government", "2018").total == pytest.approx(11 / 32)
    assert compute("share-women-seats-government", "2017").total == pytest.approx(9 / 36)
    assert compute("share-women-seats-assembly", "2020").total == pytest.approx(42 / 147)
    assert compute("share-women-seats-assembly", "2019").total == pytest.approx(14 / 147)
    assert (
        compute(
            "seats-assembly-women", "2014..2020".replace("..", "-01-01..") + "-12-31", by=["year"]
        ).total
        == 42
    )
    public = Composition.objects.filter(is_illustrative=False)
    assert public.count() == 4 and all("Presse" in c.source_document for c in public)


def test_everything_else_is_marked_illustrative_in_the_data():
    table_load()
    invented = Body.objects.exclude(code__in=["gouvernement-mali", "assemblee-nationale"])
    assert invented.exists() and all(b.is_illustrative for b in invented)
    assert all("ILLUSTRATI" in b.name_fr and "ILLUSTRATI" in b.name_en for b in invented)
    assert all(
        c.is_illustrative and "ILLUSTRATIVE" in c.note
        for c in Composition.objects.filter(body__in=invented)
    )
    assert Sitting.objects.filter(is_illustrative=True).count() == 5
    delegations = compute("share-women-seats-delegations", "2014", by=["body"])
    assert 0 < delegations.total < 0.3


def test_loading_the_demo_again_changes_nothing():
    table_load()
    again = table_load()
    assert {kind: tally.changed for kind, tally in again.items()} == dict.fromkeys(
        ["processes", "bodies", "compositions", "sittings", "agreements", "submissions"], 0
    )
    assert FollowUpStep.objects.count() == 6  # written once


def test_the_algiers_submissions_and_the_2015_agreement_are_marked_illustrative():
    table_load()
    agreement = Agreement.objects.get()
    assert agreement.signed_on == date(2015, 5, 15) and "20 juin 2015" in agreement.note
    assert agreement.is_illustrative and "ILLUSTRATIVE" in agreement.note
    submissions = Submission.objects.all()
    assert submissions.count() == 2
    assert all(s.is_illustrative and "ILLUSTRATI" in s.title for s in submissions)
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "acknowledged", "reflected", "not-retained"}
    assert compute("share-recommendations-reflected", "2014").total == 0
    assert compute("share-recommendations-reflected", "2015").total == pytest.approx(2 / 6)
    assert compute("agreements-gender-provisions", "2015").total == 1
    assert compute("submissions", "2014", by=["organisation"]).total == 2
