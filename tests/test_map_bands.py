"""The map's bands (musow.lib.bands): found in the data, never overlapping, written so a
reader knows which band a value falls in."""

from hypothesis import given
from hypothesis import strategies as st

from musow.lib.bands import band_index, bands


def labels(values, lang="en"):
    from django.utils import translation

    with translation.override(lang):
        return [band.label() for band in bands(values)]


def test_breaks_fall_between_the_data_s_natural_groups_on_round_numbers():
    values = [46, 300, 300, 320, 340, 940, 1063, 1449, 4175]
    assert labels(values) == ["0 – 499", "500 – 1,999", "2,000 – 4,175"]
    assert labels(values, "fr") == ["0 – 499", "500 – 1\u202f999", "2\u202f000 – 4\u202f175"]


def test_a_single_value_makes_a_single_band_and_fractions_say_under():
    assert labels([520]) == ["0 – 520"]
    assert labels([0.5, 0.5, 2.5, 2.5]) == ["0 to under 2", "2 – 2.5"]


@given(st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=40))
def test_every_value_falls_in_exactly_one_band_and_bands_never_overlap(values):
    found = bands(values)
    assert 1 <= len(found) <= 3
    for below, above in zip(found, found[1:], strict=False):
        assert below.high == above.low and below.low < below.high
    for value in values:
        holding = [band for band in found if band.holds(value)]
        assert len(holding) == 1
        assert found[band_index(value, found)] is holding[0]
    # each band holds at least one value: no colour in the legend that the map never shows
    assert all(any(band.holds(v) for v in values) for band in found)
    written = [band.label() for band in found]
    assert len(set(written)) == len(written)
