"""Disclosure control for public statistics: no published table may reveal a count small
enough to point at a person, nor let a reader work one out from the others.

A table is counts in rows and columns with its row totals, column totals and grand
total, all published together (`protect`); a list is its counts and their total
(`protect_list`: one addition). The rules:

1. **Primary suppression**: every count from 1 to `SMALL` (4) — in a cell or in a total —
   is hidden. Zero is shown: "nobody" points at no one.
2. **Secondary suppression**: a hidden count must not be recoverable from what is shown.
   The shown counts and the table's additions (each row adds up to its total, each column
   to its total, the totals to the grand total) are a system of linear equations in the
   hidden ones; a hidden count is recoverable exactly when its unit vector lies in the
   span of that system's rows. While one is, one more count is hidden, chosen from the
   rows and columns of the recoverable ones: a cell rather than a total, a cell whose row
   and column both already hide something (so the hidden cells close a cycle), the
   smallest count (least information lost), zeros last. This ends: with every cell of a table of two
   rows and two columns or more hidden, none is recoverable.

Exact arithmetic (fractions) decides what is recoverable, so no rounding can hide a
recoverable count; the elimination grows with the square of the hidden counts, which suits
the tables of a bulletin (tens of rows), not a table of thousands. Staff outputs do not
call this: they show exact counts.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

SMALL = 4  # counts from 1 to SMALL are hidden

Position = tuple[int, int]  # (row, column) in the grid with its totals


@dataclass
class Protected:
    """A table with its totals as published. `grid` has one more row (the column
    totals) and one more column (the row totals) than the counts; `grid[-1][-1]` is the
    grand total. A hidden count reads as None through `shown`."""

    grid: list[list[int]]
    primary: set[Position] = field(default_factory=set)
    secondary: set[Position] = field(default_factory=set)

    @property
    def hidden(self) -> set[Position]:
        return self.primary | self.secondary

    def shown(self, row: int, column: int) -> int | None:
        """The published value at (row, column) of the grid, or None when hidden;
        negative indices count from the end (-1: the totals)."""
        rows, columns = len(self.grid), len(self.grid[0])
        position = (row % rows, column % columns)
        return None if position in self.hidden else self.grid[position[0]][position[1]]

    def rows(self) -> list[list[int | None]]:
        return [[self.shown(i, j) for j in range(len(self.grid[0]))]
                for i in range(len(self.grid))]


def _with_totals(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    if not counts or not counts[0]:
        raise ValueError("a table needs at least one row and one column")
    width = len(counts[0])
    if any(len(row) != width for row in counts):
        raise ValueError("every row needs the same number of columns")
    if any(value < 0 for row in counts for value in row):
        raise ValueError("counts cannot be negative")
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(row[j] for row in grid) for j in range(width + 1)])
    return grid


def _lines(rows: int, columns: int) -> list[list[tuple[Position, int]]]:
    """Each addition of the grid as (position, coefficient) terms adding up to zero:
    every row, the column-totals row included, is its cells minus its total; every
    column, the row-totals column included, likewise."""
    lines = []
    for i in range(rows):
        lines.append([((i, j), 1) for j in range(columns - 1)] + [((i, columns - 1), -1)])
    for j in range(columns):
        lines.append([((i, j), 1) for i in range(rows - 1)] + [((rows - 1, j), -1)])
    return lines


def _recoverable(lines: list[list[tuple[Position, int]]],
                 hidden: set[Position]) -> list[Position]:
    """The hidden positions whose value the shown ones and the additions determine."""
    order = sorted(hidden)
    index = {position: k for k, position in enumerate(order)}
    # The system restricted to the hidden unknowns, reduced to row echelon form.
    matrix = [[Fraction(0)] * len(order) for _line in lines]
    for r, line in enumerate(lines):
        for position, coefficient in line:
            if position in index:
                matrix[r][index[position]] = Fraction(coefficient)
    pivots: list[int] = []
    row = 0
    for column in range(len(order)):
        pivot = next((r for r in range(row, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        lead = matrix[row][column]
        matrix[row] = [value / lead for value in matrix[row]]
        for r in range(len(matrix)):
            if r != row and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[row], strict=True)]
        pivots.append(column)
        row += 1
    # In reduced row echelon form, unknown k is determined exactly when some row is the
    # unit vector e_k: a pivot row with no other non-zero entry.
    found = []
    for r, column in enumerate(pivots):
        if all(value == 0 for k, value in enumerate(matrix[r]) if k != column):
            found.append(order[column])
    return found


def _next_to_hide(grid: list[list[int]], hidden: set[Position], exposed: list[Position],
                  totals: set[Position]) -> Position | None:
    """The cheapest count to hide next, among the rows and columns of the exposed ones."""
    rows, columns = len(grid), len(grid[0])
    candidates = {p for i, j in exposed
                  for p in [*((i, k) for k in range(columns)), *((k, j) for k in range(rows))]
                  if p not in hidden}
    if not candidates:
        return None

    def cost(p: Position) -> tuple[int, int, int, int, Position]:
        closes_cycle = any((p[0], k) in hidden for k in range(columns) if k != p[1]) and \
            any((k, p[1]) in hidden for k in range(rows) if k != p[0])
        value = grid[p[0]][p[1]]
        return (int(p in totals), int(not closes_cycle), int(value == 0), value, p)

    return min(candidates, key=cost)


def _protect(grid: list[list[int]], lines: list[list[tuple[Position, int]]],
             totals: set[Position]) -> Protected:
    result = Protected(grid=grid)
    result.primary = {(i, j) for i in range(len(grid)) for j in range(len(grid[0]))
                      if 1 <= grid[i][j] <= SMALL}
    while True:
        exposed = _recoverable(lines, result.hidden)
        if not exposed:
            return result
        extra = _next_to_hide(grid, result.hidden, exposed, totals)
        if extra is None:  # pragma: no cover - a recoverable count has a shown neighbour
            raise AssertionError("nothing left to hide")
        result.secondary.add(extra)


def protect(counts: Sequence[Sequence[int]]) -> Protected:
    """`counts` (rows of columns) with their totals, as they may be published."""
    grid = _with_totals(counts)
    rows, columns = len(grid), len(grid[0])
    totals = {(i, columns - 1) for i in range(rows)} | {(rows - 1, j) for j in range(columns)}
    return _protect(grid, _lines(rows, columns), totals)


def protect_list(counts: Sequence[int]) -> Protected:
    """A list of counts with its total: one row, `grid[0][-1]` the total, and one
    addition (the counts add up to the total)."""
    grid = [row[:] for row in _with_totals([list(counts)])[:1]]
    width = len(counts)
    line = [((0, j), 1) for j in range(width)] + [((0, width), -1)]
    return _protect(grid, [line], {(0, width)})
