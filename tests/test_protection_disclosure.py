"""Disclosure control: no small number is shown, and none can be worked out from what is
shown with it (the adversary of tests/protection_attack.py, over random tables, shared
totals, the justice chain's order, and the programme's own release from the database)."""

import os
import subprocess
import sys
from itertools import product
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from musow.protection.disclosure import Cell, Release, Table, shown, suppress
from musow.protection.release import release_build, release_show
from tests.protection_attack import disclosed, intervals, published

LIMIT = 5
small_counts = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 30])


def cube_release(values: dict[tuple[int, int, int], int]) -> Release:
    """A cube type × sex × age published as two tables, type × sex and type × age, that
    share their row totals (by type) and grand total."""
    types = sorted({k[0] for k in values})
    sexes = sorted({k[1] for k in values})
    ages = sorted({k[2] for k in values})
    cells: dict[Any, Cell] = {}

    def cell(t: int | None, s: int | None, a: int | None) -> Any:
        key = (t, s, a)
        parts = frozenset(
            m for m in values if all(w is None or w == v for w, v in zip(key, m, strict=True))
        )
        cells.setdefault(key, Cell(key, (parts,)))
        return key

    def table(code: str, cols: list[int], at: Any) -> Table:
        return Table(
            code,
            code,
            [(t, str(t)) for t in types],
            [(c, str(c)) for c in cols],
            {(t, c): at(t, c) for t, c in product(types, cols)},
            {t: cell(t, None, None) for t in types},
            {c: at(None, c) for c in cols},
            cell(None, None, None),
        )

    tables = [
        table("by-sex", sexes, lambda t, s: cell(t, s, None)),
        table("by-age", ages, lambda t, a: cell(t, None, a)),
    ]
    return Release(dict(values), cells, tables)


@st.composite
def cubes(draw: Any) -> dict[tuple[int, int, int], int]:
    types = draw(st.integers(1, 4))
    ages = draw(st.integers(1, 3))
    return {key: draw(small_counts) for key in product(range(types), range(2), range(ages))}


def _check(release: Release) -> None:
    pages = release_show(release, whole=False, limit=LIMIT)
    texts = published(release, pages)
    for key, text in texts.items():
        value = release.cells[key].value
        if 0 < value < LIMIT:
            assert text.startswith("<"), (key, value, text)
        if text == "×":
            assert value >= LIMIT
    assert disclosed(release, pages, LIMIT) == []


# Where HiGHS's presolve once called the adversary's (feasible) programme infeasible.
PRESOLVE_TRAP = {
    **{(0, 0, 0): 5, (0, 0, 1): 8, (0, 1, 0): 0, (0, 1, 1): 2, (1, 0, 0): 2, (1, 0, 1): 0},
    **{(1, 1, 0): 8, (1, 1, 1): 5, (2, 0, 0): 2, (2, 0, 1): 4, (2, 1, 0): 2, (2, 1, 1): 0},
    **{(3, 0, 0): 3, (3, 0, 1): 6, (3, 1, 0): 5, (3, 1, 1): 4},
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(PRESOLVE_TRAP)
@given(cubes())
def test_no_small_cell_is_shown_or_recoverable_in_random_linked_tables(values) -> None:
    with translation.override("en"):
        _check(cube_release(values))


def test_the_audit_catches_a_small_cell_left_recoverable_by_its_total() -> None:
    """The adversary is not blind: hiding small cells alone (no secondary suppression)
    lets a row total give one back, and the audit says so."""
    release = cube_release({(0, 0, 0): 2, (0, 1, 0): 9, (1, 0, 0): 7, (1, 1, 0): 8})
    with translation.override("en"):
        pages = release_show(release, whole=True, limit=LIMIT)
        texts = {**published(release, pages), (0, 0, None): "< 5"}  # primary only
    assert intervals(release, texts, LIMIT)[(0, 0, None)] == (2, 2)  # 11 − 9
    assert suppress(release, LIMIT)  # and suppression hides more than the small cells
    _check(release)


def test_the_justice_chains_order_is_known_to_the_adversary_and_protected() -> None:
    """No stage exceeds the one before: with complaints 6 and investigations 6 shown, the
    hidden stages behind them could be worked out were the order ignored."""
    stages = ["complaints", "investigations", "court", "judgments", "convictions"]
    values = dict(zip(stages, [9, 6, 2, 1, 1], strict=True))
    micro = {s: v for s, v in values.items()}
    cells = {s: Cell(s, (frozenset({s}),)) for s in stages}
    table = Table(
        "justice", "justice", [(s, s) for s in stages], [("n", "n")], {(s, "n"): s for s in stages}
    )
    release = Release(micro, cells, [table], list(zip(stages[1:], stages, strict=False)))
    with translation.override("en"):
        _check(release)


@pytest.mark.django_db
def test_the_programmes_release_from_the_database_is_protected(demo_reports) -> None:
    from musow.indicators.periods import Period

    for period in ("2014", "2014-Q1", "2014-03"):
        release = release_build(Period.parse(period))
        assert any(0 < c.value < LIMIT for c in release.cells.values())  # small cells exist
        with translation.override("fr"):
            _check(release)


def test_a_small_number_is_shown_in_each_languages_style() -> None:
    with translation.override("fr"):
        assert shown(3, "primary", 5) == "<\u00a05"
        assert shown(1234, "", 5) == "1\u202f234"
    with translation.override("en"):
        assert shown(3, "primary", 5) == "< 5"
        assert shown(1234, "", 5) == "1,234"


def test_a_threshold_below_three_is_refused_at_start_up() -> None:
    env = {**os.environ, "MUSOW_SDC_THRESHOLD": "2", "DJANGO_SETTINGS_MODULE": "musow.settings"}
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and "MUSOW_SDC_THRESHOLD=2" in run.stderr
