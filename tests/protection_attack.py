"""The adversary of the audit test: reads what a protected release SHOWS (numbers, "< 5",
"×"), knows how its tables add up and what every report obeys, and computes for each
cell shown as "< 5" the smallest and largest value consistent with all of it: an integer
linear programme over the unpublished microcells, solved by SciPy's HiGHS `linprog`.

Written apart from musow.protection.disclosure (which must not be trusted to check itself):
only the release's structure (which microcells each cell adds up) is shared."""

from typing import Any

import numpy as np
from scipy.optimize import linprog

from musow.protection.disclosure import Release
from musow.protection.release import Shown


def published(release: Release, shown: list[Shown]) -> dict[Any, str]:
    """Each cell's text as shown, by cell (a cell in several tables shows the same text)."""
    texts: dict[Any, str] = {}
    for table, page in zip(release.tables, shown, strict=True):
        has_totals = bool(table.row_totals)
        for (r, _label), line in zip(table.rows, page.rows, strict=True):
            keys = [table.grid[(r, c)] for c, _l in table.cols]
            keys += [table.row_totals[r]] if has_totals else []
            for key, text in zip(keys, line[1:], strict=True):
                assert texts.setdefault(key, text) == text, (key, texts[key], text)
        if page.footer is not None:
            keys = [table.col_totals[c] for c, _l in table.cols]
            keys += [table.total] if table.total is not None else []
            for key, text in zip(keys, page.footer[1:], strict=True):
                assert texts.setdefault(key, text) == text
    return texts


def _number(text: str) -> int | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits and not text.startswith("<") else None


def intervals(release: Release, texts: dict[Any, str], limit: int) -> dict[Any, tuple[int, int]]:
    """For each cell shown "< limit": (min, max) over every integer table consistent with
    what is shown."""
    index = {m: i for i, m in enumerate(release.micro)}
    n = len(index)

    def vector(micro: Any) -> Any:
        v = np.zeros(n)
        for m in micro:
            v[index[m]] = 1
        return v

    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for key, text in texts.items():
        cell = release.cells[key]
        first = vector(cell.definitions[0])
        for other in cell.definitions[1:]:
            a_eq.append(vector(other) - first)
            b_eq.append(0)
        value = _number(text)
        if text.startswith("<"):
            a_ub += [first, -first]
            b_ub += [limit - 1, -1]
        elif value is None:  # "×": hidden to protect another, so at least the threshold
            a_ub.append(-first)
            b_ub.append(-limit)
        else:
            a_eq.append(first)
            b_eq.append(value)
    for smaller, larger in release.at_most:
        a_ub.append(
            vector(release.cells[smaller].definitions[0])
            - vector(release.cells[larger].definitions[0])
        )
        b_ub.append(0)
    out = {}
    for key, text in texts.items():
        if not text.startswith("<"):
            continue
        c = vector(release.cells[key].definitions[0])
        bounds = []
        for sign in (1, -1):
            problem = {
                "A_ub": np.array(a_ub) if a_ub else None,
                "b_ub": np.array(b_ub) if b_ub else None,
                "A_eq": np.array(a_eq) if a_eq else None,
                "b_eq": np.array(b_eq) if b_eq else None,
                "bounds": (0, None),
                "integrality": np.ones(n),
                "method": "highs",
            }
            result = linprog(sign * c, **problem)
            if result.status == 2:
                # HiGHS's presolve has called a feasible integer programme infeasible (a
                # 4 × 2 × 2 cube published as two tables; the true table satisfied every
                # constraint): ask again without it before believing it.
                result = linprog(sign * c, **problem, options={"presolve": False})
            assert result.status in (0, 3), result.message
            bounds.append(np.inf if result.status == 3 else sign * round(result.fun))
        out[key] = (int(bounds[0]), int(min(bounds[1], 10**9)))
    return out


def structural(release: Release, limit: int) -> dict[Any, tuple[int, int]]:
    """The intervals when every non-zero cell is hidden: what the structure alone allows."""
    texts = {
        key: ("< x" if 0 < cell.value < limit else "×" if cell.value else "0")
        for key, cell in release.cells.items()
    }
    return intervals(release, texts, limit)


def disclosed(release: Release, shown: list[Shown], limit: int) -> list[str]:
    """The cells shown "< limit" that the adversary pins down more narrowly than the
    threshold allows (empty: the release is protected)."""
    found = intervals(release, published(release, shown), limit)
    baseline: dict[Any, tuple[int, int]] | None = None
    wrong = []
    for key, (low, high) in found.items():
        if high - low >= limit - 2:  # the whole "< 5": 1 to 4
            continue
        if baseline is None:
            baseline = structural(release, limit)
        b_low, b_high = baseline[key]
        if high - low < b_high - b_low:
            wrong.append(f"{key}: {low}..{high} (structure alone: {b_low}..{b_high})")
    return wrong
