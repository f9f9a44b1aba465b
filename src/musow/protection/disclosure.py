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
from scipy.sparse import csr_array

try:  # HiGHS itself, as SciPy ships it: one model per release, re-solved warm
    from scipy.optimize._highspy import _core as highs
except ImportError:  # pragma: no cover  (a SciPy that moved it: milp() per solve)
    highs = None

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


@dataclass
class _Solved:
    fun: float
    x: Any


class Attack:
    """The integer programme an adversary solves against a release: one row per cell (the
    microcells it adds up), one per other definition of a cell (equal to its first) and
    one per rule every report obeys, built once as a sparse matrix; what is published
    (each cell's status) only sets the rows' bounds.

    Each bound is found by the linear relaxation first (HiGHS's simplex): its optimum is
    also the integer programme's when it falls on an integer table, as it mostly does
    here (tables of counts are nearly network matrices); otherwise the integer programme
    is solved. Every integer table found is a *witness*: a primary cell that takes the
    value 1 (or threshold − 1) in one can take it under this status and under any that
    hides more, so it need not be asked again."""

    def __init__(self, release: Release, limit: int) -> None:
        self.release, self.limit = release, limit
        # A cell shown as 0 (never hidden) makes each of its microcells 0 for everyone:
        # they are left out of the programme.
        zero: set[Micro] = set()
        for cell in release.cells.values():
            if cell.value == 0:
                zero.update(*cell.definitions)
        index = {m: i for i, m in enumerate(m for m in release.micro if m not in zero)}
        self.n = len(index)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        self.row_of: dict[CellKey, int] = {}
        low: list[float] = []
        high: list[float] = []

        def add(plus: Iterable[Micro], minus: Iterable[Micro], lo: float, hi: float) -> int:
            row = len(low)
            for sign, micro in ((1.0, plus), (-1.0, minus)):
                for m in micro:
                    if m in index:
                        rows.append(row)
                        cols.append(index[m])
                        vals.append(sign)
            low.append(lo)
            high.append(hi)
            return row

        for key, cell in release.cells.items():
            first = cell.definitions[0]
            self.row_of[key] = add(first, (), 0, np.inf)
            for other in cell.definitions[1:]:
                add(other - first, first - other, 0, 0)
        for smaller, larger in release.at_most:
            a = release.cells[smaller].definitions[0]
            b = release.cells[larger].definitions[0]
            add(a - b, b - a, -np.inf, 0)
        self.matrix = csr_array((vals, (rows, cols)), shape=(len(low), self.n))
        self.low, self.high = np.array(low), np.array(high)
        self.cell_rows = np.array(list(self.row_of.values()), dtype=int)
        self.values = np.array([c.value for c in release.cells.values()], dtype=float)
        self.witnessed: dict[CellKey, set[int]] = {}
        self.model: Any = None
        self.passed = (np.zeros(len(low)), np.zeros(len(low)))  # the model's row bounds

    def _bounds(self, status: dict[CellKey, str]) -> tuple[Any, Any]:
        low, high = self.low.copy(), self.high.copy()
        low[self.cell_rows], high[self.cell_rows] = self.values, self.values
        for key, state in status.items():
            row = self.row_of[key]
            if state == PRIMARY:
                low[row], high[row] = 1, self.limit - 1
            elif state == SECONDARY:
                low[row], high[row] = self.limit, np.inf
        return low, high

    def _solve(
        self, objective: Any, bounds: tuple[Any, Any], integer: bool, feasible: bool = False
    ) -> Any:
        """An optimal table (None when unbounded; with `feasible`, any table, None when
        there is none)."""
        if highs is None:  # pragma: no cover
            return self._solve_milp(objective, bounds, integer, feasible)
        h, n = self._highs(), self.n
        inf = highs.kHighsInf
        low = np.where(np.isinf(bounds[0]), -inf, bounds[0])
        high = np.where(np.isinf(bounds[1]), inf, bounds[1])
        for row in np.flatnonzero((low != self.passed[0]) | (high != self.passed[1])):
            h.changeRowBounds(int(row), float(low[row]), float(high[row]))
        self.passed = (low, high)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), objective)
        kind = highs.HighsVarType.kInteger if integer else highs.HighsVarType.kContinuous
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, kind))
        h.run()
        state = h.getModelStatus()
        if state == highs.HighsModelStatus.kInfeasible:
            # HiGHS's presolve has been seen to call a feasible integer programme
            # infeasible: ask again without it before believing it.
            h.setOptionValue("presolve", "off")
            h.run()
            state = h.getModelStatus()
            h.setOptionValue("presolve", "choose")
        if state == highs.HighsModelStatus.kUnbounded:
            return None
        if feasible and state == highs.HighsModelStatus.kInfeasible:
            return None
        if state != highs.HighsModelStatus.kOptimal:
            raise ValueError(f"the release is inconsistent: {h.modelStatusToString(state)}")
        x = np.array(h.getSolution().col_value)
        return _Solved(float(objective @ x), x)

    def _highs(self) -> Any:
        """The release's model, passed to HiGHS once (its bounds and costs change)."""
        if self.model is None:
            self.model = highs._Highs()
            self.model.setOptionValue("output_flag", False)
            lp = highs.HighsLp()
            csc = self.matrix.tocsc()
            lp.num_col_, lp.num_row_ = self.n, self.matrix.shape[0]
            lp.col_cost_ = np.zeros(self.n)
            lp.col_lower_ = np.zeros(self.n)
            lp.col_upper_ = np.full(self.n, highs.kHighsInf)
            lp.row_lower_, lp.row_upper_ = self.passed
            lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
            lp.a_matrix_.start_ = csc.indptr
            lp.a_matrix_.index_ = csc.indices
            lp.a_matrix_.value_ = csc.data
            lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
            self.model.passModel(lp)
        return self.model

    def _solve_milp(  # pragma: no cover  (only where SciPy no longer ships HiGHS's model)
        self, objective: Any, bounds: tuple[Any, Any], integer: bool, feasible: bool
    ) -> Any:
        result = milp(
            objective,
            constraints=LinearConstraint(self.matrix, *bounds),
            integrality=np.ones(self.n) if integer else None,
            bounds=Bounds(0, np.inf),
        )
        if result.status == 3 or (feasible and result.status == 2):
            return None
        if not result.success:
            raise ValueError(f"the release is inconsistent: {result.message}")
        return result

    def _witness(self, x: Any, status: dict[CellKey, str], bounds: tuple[Any, Any]) -> None:
        """Keep the values the primary cells take in an integer table x (checked exactly
        against the release: a table off by the solver's tolerance is no witness)."""
        sums = self.matrix @ x
        if np.any(sums < bounds[0]) or np.any(sums > bounds[1]):  # pragma: no cover
            return
        for key, state in status.items():
            if state == PRIMARY:
                self.witnessed.setdefault(key, set()).add(round(sums[self.row_of[key]]))

    def _objective(self, key: CellKey, sign: int) -> Any:
        return sign * self.matrix[[self.row_of[key]], :].toarray()[0]

    def _integral(
        self, solved: Any, status: dict[CellKey, str], bounds: tuple[Any, Any], harvest: bool
    ) -> Any:
        x = np.round(solved.x)
        if harvest:
            self._witness(x, status, bounds)
        return x

    def bound(self, key: CellKey, sign: int, status: dict[CellKey, str], *, harvest: bool) -> float:
        """The smallest (sign 1) or largest (sign −1) value of the cell under `status`;
        `harvest` keeps the integer tables found as witnesses (only for a status that
        will only hide more from now on)."""
        objective = self._objective(key, sign)
        bounds = self._bounds(status)
        solved = self._solve(objective, bounds, integer=False)
        if solved is not None and not _is_integral(solved.x):
            solved = self._solve(objective, bounds, integer=True)
        if solved is None:
            return np.inf
        return sign * float(objective @ self._integral(solved, status, bounds, harvest))

    def reaches(self, key: CellKey, end: int, status: dict[CellKey, str]) -> bool:
        """Whether some integer table consistent with the release gives the cell the
        value `end` (1 or threshold − 1, the ends of "< 5"): the relaxation first (when
        it cannot go that far, no integer table can; when its optimum is an integer
        table, that is one), then an integer table with the cell fixed at `end`."""
        seen = self.witnessed.setdefault(key, set())
        if end in seen:
            return True
        sign = 1 if end == 1 else -1
        objective = self._objective(key, sign)
        bounds = self._bounds(status)
        relaxed = self._solve(objective, bounds, integer=False)
        if relaxed is not None and relaxed.fun > sign * end + 1e-6:
            return False
        if relaxed is not None and _is_integral(relaxed.x):
            # the integer optimum, and it is at the end or beyond: at the end
            self._integral(relaxed, status, bounds, harvest=True)
            return True
        fixed = bounds[0].copy(), bounds[1].copy()
        fixed[0][self.row_of[key]] = fixed[1][self.row_of[key]] = end
        found = self._solve(np.zeros(self.n), fixed, integer=True, feasible=True)
        if found is None:
            return False
        self._integral(found, status, fixed, harvest=True)
        return True

    def interval(
        self, key: CellKey, status: dict[CellKey, str], *, harvest: bool = False
    ) -> tuple[int, int]:
        """The smallest and the largest value of the cell consistent with the release."""
        low = self.bound(key, 1, status, harvest=harvest)
        high = self.bound(key, -1, status, harvest=harvest)
        return int(low), int(min(high, 10**9))

    def whole_range(self, key: CellKey, status: dict[CellKey, str]) -> bool:
        """Whether the primary cell can still be anything from 1 to threshold − 1."""
        return self.reaches(key, 1, status) and self.reaches(key, self.limit - 1, status)


def _is_integral(x: Any) -> bool:
    return bool(np.allclose(x, np.round(x), atol=1e-6))


def primary_cells(release: Release, limit: int) -> list[CellKey]:
    return [k for k, c in release.cells.items() if 0 < c.value < limit]


def required_width(release: Release, key: CellKey, limit: int, attack: Attack | None = None) -> int:
    """How wide the adversary's interval for a primary cell must stay: the whole "< 5"
    (1 to limit − 1), unless the structure alone (every non-zero cell hidden) narrows it."""
    everything = {
        k: (PRIMARY if c.value < limit else SECONDARY) for k, c in release.cells.items() if c.value
    }
    low, high = (attack or Attack(release, limit)).interval(key, everything)
    return min(limit - 2, high - low)


def suppress(release: Release, limit: int | None = None) -> dict[CellKey, str]:
    """Which cells to hide, and why (PRIMARY, SECONDARY); shown cells are absent."""
    limit = limit or threshold()
    status = {key: PRIMARY for key in primary_cells(release, limit)}
    if not status:
        return status
    attack = Attack(release, limit)
    for key in primary_cells(release, limit):
        need: int | None = None
        while not attack.whole_range(key, status):
            if need is None:
                need = required_width(release, key, limit, attack)
            if need < limit - 2:  # the structure alone narrows it: how far, exactly
                low, high = attack.interval(key, status, harvest=True)
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
    attack = Attack(release, limit)
    failures = []
    for key in primary_cells(release, limit):
        low, high = attack.interval(key, status)
        if high - low < limit - 2 and high - low < required_width(release, key, limit, attack):
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
