"""The map's bands of values: natural breaks found in the data (Jenks: the grouping that
keeps each band's values closest together), each break moved to the roundest number
between the two bands, written so that bands never overlap.

    bands([46, 300, 320, 340, 940, 1063, 1449, 4175])
    -> [Band(0, 500), Band(500, 2000), Band(2000, 4175, last=True)]
    written (integers) "0 – 499", "500 – 1 999", "2 000 – 4 175"

A band is [low, high): it holds the values from `low` up to, not including, `high`; the
last one includes its `high` (the largest value).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from musow.lib.svg import _fmt


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    integers: bool = True
    last: bool = False

    def holds(self, value: float) -> bool:
        return self.low <= value < self.high or (self.last and value == self.high)

    def label(self) -> str:
        """ "1 000 – 2 499" for counts; "1.5 to under 2" for fractions; the last band
        ends on the largest value."""
        if self.last or (self.integers and self.high - 1 <= self.low):
            high = self.high if self.last else self.high - 1
            if high == self.low:
                return _fmt(_whole(self.low, self.integers))
            return f"{_fmt(_whole(self.low, self.integers))} – {_fmt(_whole(high, self.integers))}"
        if self.integers:
            return f"{_fmt(int(self.low))} – {_fmt(int(self.high) - 1)}"
        return _("%(low)s to under %(high)s") % {"low": _fmt(self.low), "high": _fmt(self.high)}


def _whole(value: float, integers: bool) -> float:
    return int(value) if integers else value


def bands(values: Sequence[float], most: int = 3) -> list[Band]:
    """At most `most` bands that hold every value (none when there is no value)."""
    data = sorted(float(v) for v in values)
    if not data:
        return []
    integers = all(v.is_integer() for v in data)
    distinct = sorted(set(data))
    k = min(most, len(distinct))
    groups = _jenks(data, k)
    low = 0.0 if data[0] >= 0 else data[0]
    out: list[Band] = []
    for below, above in zip(groups, groups[1:], strict=False):
        cut = _roundest(below[-1], above[0], integers)
        if cut <= low:  # cannot happen with distinct groups, kept for safety
            continue
        out.append(Band(low, cut, integers))
        low = cut
    out.append(Band(low, data[-1], integers, last=True))
    return out


def band_index(value: float, all_bands: Sequence[Band]) -> int:
    for i, band in enumerate(all_bands):
        if band.holds(value):
            return i
    return len(all_bands) - 1


def _jenks(data: list[float], k: int) -> list[list[float]]:
    """`data` (sorted) cut into `k` runs of least total squared deviation (exact, by
    dynamic programming; a map has at most a few dozen values). Equal values stay in
    the same run."""
    n = len(data)
    if k <= 1:
        return [data]
    prefix = [0.0]
    squares = [0.0]
    for v in data:
        prefix.append(prefix[-1] + v)
        squares.append(squares[-1] + v * v)

    def cost(i: int, j: int) -> float:  # data[i:j]
        s = prefix[j] - prefix[i]
        return squares[j] - squares[i] - s * s / (j - i)

    # a run may only end where the next value differs
    ends = [j for j in range(1, n) if data[j] != data[j - 1]]
    best: dict[tuple[int, int], tuple[float, list[int]]] = {}

    def solve(start: int, runs: int) -> tuple[float, list[int]]:
        if (start, runs) in best:
            return best[(start, runs)]
        result: tuple[float, list[int]]
        if runs == 1:
            result = (cost(start, n), [])
        else:
            result = (math.inf, [])
            for end in ends:
                if end <= start:
                    continue
                rest, cuts = solve(end, runs - 1)
                total = cost(start, end) + rest
                if total < result[0]:
                    result = (total, [end, *cuts])
        best[(start, runs)] = result
        return result

    _cost, cuts = solve(0, k)
    bounds = [0, *cuts, n]
    return [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _roundest(below: float, above: float, integers: bool) -> float:
    """The roundest number in (below, above]: fewest significant digits, preferring
    multiples of 5, then 2, then 1 (340, 940 -> 500; 1 449, 4 175 -> 2 000)."""
    exponent = math.floor(math.log10(above)) if above > 0 else 0
    lowest = 0 if integers else exponent - 4
    for e in range(exponent, lowest - 1, -1):
        for factor in (5, 2, 1):
            step = factor * 10.0**e
            candidate = math.floor(below / step + 1) * step
            if below < candidate <= above:
                return float(round(candidate, 6))
    return above
