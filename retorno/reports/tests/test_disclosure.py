"""Disclosure control: small counts hidden, and nothing hidden recoverable from the rest.

The recoverability checks here are independent of the module's exact elimination: numpy's
rank (a hidden count is recoverable when adding its unit vector to the system of the
table's additions does not raise the rank), and, for tables with few hidden counts, a
brute force over every integer completion of the published table.
"""

import itertools
import random

import numpy
import pytest

from retorno.reports.disclosure import SMALL, protect, protect_list


def _completions(published: list[list[int | None]], bound: int) -> list[dict]:
    """Every assignment of the hidden positions (0..bound each) satisfying all rows and
    columns of the grid (cells add up to the last entry of their line)."""
    hidden = [(i, j) for i, row in enumerate(published) for j, v in enumerate(row)
              if v is None]
    found = []
    for values in itertools.product(range(bound + 1), repeat=len(hidden)):
        grid = [list(row) for row in published]
        for (i, j), value in zip(hidden, values, strict=True):
            grid[i][j] = value
        rows_ok = all(sum(row[:-1]) == row[-1] for row in grid)
        columns_ok = all(sum(grid[i][j] for i in range(len(grid) - 1)) == grid[-1][j]
                         for j in range(len(grid[0])))
        if rows_ok and columns_ok:
            found.append(dict(zip(hidden, values, strict=True)))
    return found


def _rank_recoverable(grid: list[list[int]], hidden: set[tuple[int, int]]) -> set:
    order = sorted(hidden)
    index = {p: k for k, p in enumerate(order)}
    rows, columns = len(grid), len(grid[0])
    system = []
    for i in range(rows):  # each row: its cells minus its total
        line = [0.0] * len(order)
        for j in range(columns):
            if (i, j) in index:
                line[index[i, j]] = -1.0 if j == columns - 1 else 1.0
        system.append(line)
    for j in range(columns):  # each column: its cells minus its total
        line = [0.0] * len(order)
        for i in range(rows):
            if (i, j) in index:
                line[index[i, j]] = -1.0 if i == rows - 1 else 1.0
        system.append(line)
    matrix = numpy.array(system)
    rank = numpy.linalg.matrix_rank(matrix)
    found = set()
    for position, k in index.items():
        unit = numpy.zeros((1, len(order)))
        unit[0, k] = 1.0
        if numpy.linalg.matrix_rank(numpy.vstack([matrix, unit])) == rank:
            found.add(position)
    return found


def _assert_safe(counts: list[list[int]]) -> None:
    result = protect(counts)
    published = result.rows()
    grid = result.grid
    # Every small count is hidden; every shown count is the true one.
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if 1 <= value <= SMALL:
                assert published[i][j] is None, (counts, i, j)
            if published[i][j] is not None:
                assert published[i][j] == value
    if not result.hidden:
        return
    assert not _rank_recoverable(grid, result.hidden), counts
    if len(result.hidden) <= 4 and grid[-1][-1] <= 30:
        completions = _completions(published, grid[-1][-1])
        assert completions, "the true table must be one of the completions"
        for position in result.hidden:
            values = {c[position] for c in completions}
            assert len(values) > 1, f"{counts}: hidden {position} is recoverable as {values}"


def test_a_hand_checked_table():
    # Returns by sex (rows) and two countries (columns).
    result = protect([[3, 12], [20, 15]])
    # 3 is small; hiding it alone would be undone by 15 - 12; the cheapest cell closing a
    # cycle with it: 12 (row 0) and then 20 and 15 would each leave one hidden in their
    # column, so the four cells are hidden, and every total is shown.
    assert result.primary == {(0, 0)}
    assert result.rows() == [[None, None, 15], [None, None, 35], [23, 27, 50]]


def test_zero_is_shown_and_large_counts_untouched():
    result = protect([[0, 12], [20, 15]])
    assert result.rows() == [[0, 12, 12], [20, 15, 35], [20, 27, 47]]


def test_a_list_hides_at_least_two():
    result = protect_list([2, 40, 55])
    shown = result.rows()[0]
    assert shown[0] is None and sum(v is None for v in shown[:-1]) >= 2
    assert shown[-1] == 97  # the total stays


def test_a_small_total_is_hidden_with_what_reveals_it():
    result = protect_list([1, 2])
    assert all(v is None for v in result.rows()[0])


@pytest.mark.parametrize("seed", range(60))
def test_generated_tables_hide_every_small_count_and_reveal_none(seed):
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 6), rng.randint(1, 5)
    counts = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 9]) for _c in range(columns)]
              for _r in range(rows)]
    _assert_safe(counts)


def test_refuses_malformed_tables():
    with pytest.raises(ValueError):
        protect([])
    with pytest.raises(ValueError):
        protect([[1, 2], [3]])
    with pytest.raises(ValueError):
        protect([[-1]])


def test_the_oracle_sees_a_count_left_alone():
    # The control for the checks above: one hidden small count in a 2 x 2 table is
    # recoverable, and both oracles say so.
    grid = [[3, 12, 15], [20, 15, 35], [23, 27, 50]]
    assert _rank_recoverable(grid, {(0, 0)}) == {(0, 0)}
    completions = _completions([[None, 12, 15], [20, 15, 35], [23, 27, 50]], 50)
    assert {c[0, 0] for c in completions} == {3}


def test_a_list_hides_no_more_than_it_must():
    # One small count, and the next smallest to keep it from the total: nothing else.
    shown = protect_list([82, 148, 0, 214, 40, 2, 0]).rows()[0]
    assert shown == [82, 148, 0, 214, None, None, 0, 486]


@pytest.mark.parametrize("seed", range(40))
def test_generated_lists_hide_every_small_count_and_reveal_none(seed):
    rng = random.Random(f"list{seed}")
    counts = [rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 40]) for _c in range(rng.randint(1, 9))]
    shown = protect_list(counts).rows()[0]
    total = sum(counts)
    assert not any(v is not None and 1 <= v <= SMALL for v in shown)
    hidden = [j for j, v in enumerate(shown[:-1]) if v is None]
    if shown[-1] is not None:
        # With the total shown, one hidden count alone would be the total less the rest.
        assert len(hidden) != 1
    else:
        assert 1 <= total <= SMALL
    # Every count shown is the true one.
    assert all(v == c for v, c in zip(shown, [*counts, total], strict=True) if v is not None)
