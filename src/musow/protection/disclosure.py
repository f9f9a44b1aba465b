"""Statistical disclosure control of the SGBV programme's tables: what may be published.

A *release* is everything published together for one period and scope: several tables
of counts that share cells (the incidents' grand total appears in the table by type and
sex, the one by type and age band, the one by region, and equals the sum of the table by
time to report). Every published cell is a sum of *microcells*: the counts of the
finest cross-classification (incidents by type × sex × age band × region, …) that are
never published.

1. Primary suppression: a non-zero cell below the threshold (settings.SDC_THRESHOLD,
   default 5) is shown as "< 5", never as its value.
2. Secondary suppression: more cells (each at least the threshold, shown as "×") are
   hidden until no primary cell can be narrowed by an adversary who knows everything
   published — every shown cell, that "< 5" means 1 to threshold − 1 and "×" at least the
   threshold, how the tables add up, and the rules every report obeys (no justice stage
   larger than the one before it) — beyond what the "< 5" itself says, or, where the
   published structure alone narrows it (a "< 5" total of two "< 5" cells), beyond what
   it would be if every non-zero cell were hidden.

The adversary's bounds are computed exactly: for each primary cell, the smallest and the
largest value of that cell over every non-negative *integer* table consistent with what
is published (a mixed-integer linear programme over the microcells, solved by HiGHS
through SciPy). Cells are hidden greedily (the fewest and smallest, in the same rows and
columns as the cell to protect first) until every primary cell is protected: adding a
hidden cell only widens every bound, so this ends, at worst with every non-zero cell
hidden. Why not τ-ARGUS (pytauargus) or ACRO: see the README ("Disclosure control").
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.optimize import Bounds, LinearConstraint, milp

Micro = Any  # hashable
CellKey = Any  # hashable

PUBLISHED, PRIMARY, SECONDARY = "", "primary", "secondary"


@dataclass
class Cell:
    key: CellKey
    definitions: tuple[frozenset[Micro], ...]  # each: the microcells it is the sum of
    value: int = 0


@dataclass
class Table:
    code: str
    title: str
    rows: Sequence[tuple[Hashable, str]]
    cols: Sequence[tuple[Hashable, str]]
    grid: dict[tuple[Hashable, Hashable], CellKey]
    row_totals: dict[Hashable, CellKey] = field(default_factory=dict)
    col_totals: dict[Hashable, CellKey] = field(default_factory=dict)
    total: CellKey | None = None

    def cell_keys(self) -> list[CellKey]:
        keys = [*self.grid.values(), *self.row_totals.values(), *self.col_totals.values()]
        return keys + ([self.total] if self.total is not None else [])

    def lines(self) -> list[list[CellKey]]:
        """Each row and each column, with their totals: cells that share a line."""
        out = []
        for r, _label in self.rows:
            out.append([self.grid[(r, c)] for c, _l in self.cols] + _opt(self.row_totals.get(r)))
        for c, _label in self.cols:
            out.append([self.grid[(r, c)] for r, _l in self.rows] + _opt(self.col_totals.get(c)))
        out.append([*self.row_totals.values(), *_opt(self.total)])
        out.append([*self.col_totals.values(), *_opt(self.total)])
        return out


def _opt(key: CellKey | None) -> list[CellKey]:
    return [] if key is None else [key]


@dataclass
class Release:
    """Tables published together, their cells, the microcells and what everyone knows."""

    micro: dict[Micro, int]
    cells: dict[CellKey, Cell]
    tables: list[Table]
    at_most: Sequence[tuple[CellKey, CellKey]] = field(default_factory=list)  # a ≤ b, always

    def __post_init__(self) -> None:
        for cell in self.cells.values():
            cell.value = sum(self.micro.get(m, 0) for m in cell.definitions[0])


def threshold() -> int:
    return int(getattr(settings, "SDC_THRESHOLD", 5))


# --- the adversary ---------------------------------------------------------------------


class Attack:
    """The integer programme an adversary solves against a release with these statuses."""

    def __init__(self, release: Release, status: dict[CellKey, str], limit: int) -> None:
        self.release, self.limit = release, limit
        self.index = {m: i for i, m in enumerate(release.micro)}
        rows: list[Any] = []
        low: list[float] = []
        high: list[float] = []
        for key, cell in release.cells.items():
            first = self._vector(cell.definitions[0])
            state = status.get(key, PUBLISHED)
            bounds: tuple[float, float]
            if state == PUBLISHED:
                bounds = (cell.value, cell.value)
            elif state == PRIMARY:
                bounds = (1, limit - 1)
            else:
                bounds = (limit, np.inf)
            rows.append(first)
            low.append(bounds[0])
            high.append(bounds[1])
            for other in cell.definitions[1:]:
                rows.append(self._vector(other) - first)
                low.append(0)
                high.append(0)
        for smaller, larger in release.at_most:
            rows.append(
                self._vector(release.cells[smaller].definitions[0])
                - self._vector(release.cells[larger].definitions[0])
            )
            low.append(-np.inf)
            high.append(0)
        self.constraints = LinearConstraint(np.array(rows), np.array(low), np.array(high))

    def _vector(self, micro: Iterable[Micro]) -> Any:
        v = np.zeros(len(self.index))
        for m in micro:
            v[self.index[m]] = 1
        return v

    def interval(self, key: CellKey) -> tuple[int, int]:
        """The smallest and the largest value of the cell consistent with the release."""
        c = self._vector(self.release.cells[key].definitions[0])
        n = len(self.index)
        found: list[float] = []
        for sign in (1, -1):
            result = milp(
                sign * c,
                constraints=self.constraints,
                integrality=np.ones(n),
                bounds=Bounds(0, np.inf),
            )
            if result.status == 3:  # unbounded above: as wide as can be
                found.append(np.inf)
                continue
            if not result.success:
                raise ValueError(f"the release is inconsistent: {result.message}")
            found.append(sign * round(result.fun))
        return int(found[0]), int(min(found[1], 10**9))


def primary_cells(release: Release, limit: int) -> list[CellKey]:
    return [k for k, c in release.cells.items() if 0 < c.value < limit]


def required_width(release: Release, key: CellKey, limit: int) -> int:
    """How wide the adversary's interval for a primary cell must stay: the whole "< 5"
    (1 to limit − 1), unless the structure alone (every non-zero cell hidden) narrows it."""
    everything = {
        k: (PRIMARY if c.value < limit else SECONDARY) for k, c in release.cells.items() if c.value
    }
    low, high = _attack(release, everything, limit).interval(key)
    return min(limit - 2, high - low)


def _attack(release: Release, status: dict[CellKey, str], limit: int) -> Attack:
    return Attack(release, status, limit)


def suppress(release: Release, limit: int | None = None) -> dict[CellKey, str]:
    """Which cells to hide, and why (PRIMARY, SECONDARY); shown cells are absent."""
    limit = limit or threshold()
    status = {key: PRIMARY for key in primary_cells(release, limit)}
    for key in primary_cells(release, limit):
        need: int | None = None
        while True:
            low, high = _attack(release, status, limit).interval(key)
            if high - low >= limit - 2:
                break
            if need is None:
                need = required_width(release, key, limit)
            if high - low >= need:
                break
            candidate = _best_candidate(release, status, key, limit)
            if candidate is None:  # pragma: no cover  (every non-zero cell is hidden)
                break
            status[candidate] = SECONDARY
    return status


def _best_candidate(
    release: Release, status: dict[CellKey, str], key: CellKey, limit: int
) -> CellKey | None:
    """The shown cell whose hiding helps most and costs least: one in a line (row or
    column) with the cell to protect, then one that also lies in a line with another
    hidden cell (completing a rectangle), an interior cell before a total, a cell of
    few tables before a shared total, the smallest."""
    near: set[CellKey] = set()
    with_hidden: dict[CellKey, int] = {}
    interior: set[CellKey] = set()
    tables: dict[CellKey, int] = {}
    for table in release.tables:
        interior |= set(table.grid.values())
        for k in set(table.cell_keys()):
            tables[k] = tables.get(k, 0) + 1
        for line in table.lines():
            if key in line:
                near.update(line)
            if any(k in status and k != key for k in line):
                for k in line:
                    with_hidden[k] = with_hidden.get(k, 0) + 1
    shown = [k for k, c in release.cells.items() if k not in status and c.value >= limit]
    if not shown:
        return None
    return min(
        shown,
        key=lambda k: (
            k not in near,
            -min(with_hidden.get(k, 0), 2),
            k not in interior,
            tables.get(k, 0),
            release.cells[k].value,
        ),
    )


def audit(release: Release, status: dict[CellKey, str], limit: int) -> list[str]:
    """The primary cells an adversary narrows more than allowed (empty: protected)."""
    attack = _attack(release, status, limit)
    failures = []
    for key in primary_cells(release, limit):
        low, high = attack.interval(key)
        if high - low < limit - 2 and high - low < required_width(release, key, limit):
            failures.append(f"{key}: {low}–{high}")
    return failures


# --- showing a cell ----------------------------------------------------------------------


def shown(value: int, state: str, limit: int | None = None) -> str:
    """A cell as published: its value, "< 5" (in the locale's style) or "×"."""
    limit = limit or threshold()
    if state == PRIMARY:
        return _("< %(threshold)s") % {"threshold": number_format(limit)}
    if state == SECONDARY:
        return "×"
    return number_format(value, force_grouping=True)


def footnote(hidden: int, limit: int | None = None) -> str:
    limit = limit or threshold()
    return ngettext(
        "Small numbers (fewer than %(threshold)s) are hidden to protect the people "
        "concerned, and so are the cells (×) that would let them be worked out: "
        "%(hidden)s cell hidden.",
        "Small numbers (fewer than %(threshold)s) are hidden to protect the people "
        "concerned, and so are the cells (×) that would let them be worked out: "
        "%(hidden)s cells hidden.",
        hidden,
    ) % {"threshold": limit, "hidden": hidden}
