"""Small-number suppression: what the statistics report may show (docs/rules.md, the statistics rule).

The report's figures form one table of several dimensions with totals (`Dimension`): the kind of
event and its categories (the referrals received by organisation type add up to the referrals
received), the quarters and the year, and for a joint cell the municipalities and the whole cell.
Every figure is a cell of that table, and every total the sum of the cells below it in one
dimension (`Dimension.parent`): those sums are all a reader can combine.

- **Primary.** A count from 1 to `SMALL_MAX` is shown as "< 5" (`Mark.SMALL`); 0 is shown.
- **Secondary.** Some other cells are hidden too (`Mark.HIDDEN`, shown as `HIDDEN_TEXT` in
  `livc/statistics/selectors.py`), so that no hidden count can be worked out: each hidden cell
  is a corner of a *cube* of hidden cells. In each dimension a cube takes two coordinates,
  either two categories under one total (signs +1 and -1) or a category and its total (+1 and
  +1), or the one coordinate of a dimension where it has neither total nor categories; its
  corners are the cells of every combination, each signed with the product of its signs.
  Adding `shift` times those signs to the corners changes no sum anywhere, so the table so
  changed agrees with every shown figure; when it also keeps every corner within what a reader
  knows of it (1 to 4 for a "< 5"; anything from 0 to the grand total for a hidden mark), every
  corner could have held another value. The cube is the hidden cell's certificate.

The algorithm, deterministic: every count 1..4 is hidden as "< 5"; then each of them, in table
order, that is not yet a corner of a chosen cube gets the cube through it that hides the least
(`_cheapest_cube`: the smallest counts, sparing the totals); its corners that were shown are
hidden, and a "< 5" corner the shift would take out of 1..4 shows the hidden mark instead (it
may then be 0 or 5). Hiding more never breaks
a cube chosen before: its corners stay hidden and their bounds only widen. Kinds share no total,
so a cube stays within one kind.

`tests/statistics/test_suppression.py` checks the result independently: it sets up every sum as
an equation, fixes the shown figures, bounds the hidden ones, and finds by exact integer
optimisation a second value for each hidden cell.
"""

import enum
import itertools
import math
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

SMALL_MAX = 4  # counts from 1 to SMALL_MAX are not shown
SHIFTS = (1, -1, 2, -2, 3, -3)  # a "< 5" moves within 1..4: by 3 at most
# The cost of a cube: each newly hidden count, times TOTAL_WEIGHT for each dimension in which its
# cell is a total; and for each "< 5" that must take the hidden mark, as much as hiding a 5.
TOTAL_WEIGHT = 2
DEMOTION = SMALL_MAX + 1

Coordinate = Hashable
CellKey = tuple[Coordinate, ...]


class Mark(enum.StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary: a count from 1 to 4, shown as "< 5"
    HIDDEN = "hidden"  # secondary: hidden so that no small count can be worked out


@dataclass(frozen=True)
class Dimension:
    """One dimension of the table: its coordinates in order, and for each that is part of a
    total, that total (`parent`). A total is never itself part of another total here."""

    name: str
    coordinates: tuple[Coordinate, ...]
    parent: Mapping[Coordinate, Coordinate] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for child, total in self.parent.items():
            assert child in self.coordinates and total in self.coordinates, (child, total)
            assert total not in self.parent, f"{total!r} is a total and a part: one level only"

    def children(self, total: Coordinate) -> tuple[Coordinate, ...]:
        return tuple(c for c in self.coordinates if self.parent.get(c) == total)

    def totals(self) -> tuple[Coordinate, ...]:
        return tuple(c for c in self.coordinates if self.children(c))

    def is_leaf(self, coordinate: Coordinate) -> bool:
        return not self.children(coordinate)

    def edges(self, coordinate: Coordinate) -> list[tuple[tuple[Coordinate, int], ...]]:
        """The ways a cube may pass through `coordinate` in this dimension, with their signs."""
        total = self.parent.get(coordinate)
        if total is not None:
            siblings = (
                [(coordinate, 1), (total, 1)],
                *([(coordinate, 1), (other, -1)] for other in self.children(total) if other != coordinate),
            )
            return [tuple(edge) for edge in siblings]
        parts = self.children(coordinate)
        if parts:
            return [((coordinate, 1), (part, 1)) for part in parts]
        return [((coordinate, 1),)]


def cells(dimensions: Sequence[Dimension]) -> Iterator[CellKey]:
    """Every cell of the table, totals included, in table order."""
    return itertools.product(*(d.coordinates for d in dimensions))


def aggregate(dimensions: Sequence[Dimension], leaves: Mapping[CellKey, int]) -> dict[CellKey, int]:
    """Every cell's count from the counts of the cells that are no total in any dimension."""
    values = dict.fromkeys(cells(dimensions), 0)
    for key, count in leaves.items():
        assert is_leaf(dimensions, key), key
        targets = (_self_and_total(d, c) for d, c in zip(dimensions, key, strict=True))
        for target in itertools.product(*targets):
            values[target] += count
    return values


def _self_and_total(dimension: Dimension, coordinate: Coordinate) -> tuple[Coordinate, ...]:
    total = dimension.parent.get(coordinate)
    return (coordinate,) if total is None else (coordinate, total)


def mark_of(value: int) -> Mark:
    return Mark.SMALL if 1 <= value <= SMALL_MAX else Mark.SHOWN


def fits(value: int, mark: Mark, ceiling: int) -> bool:
    """Whether a hidden cell could hold `value`, as a reader knows it: 1 to 4 for a "< 5", anything
    from 0 to the grand total for the hidden mark."""
    if mark == Mark.SMALL:
        return 1 <= value <= SMALL_MAX
    return 0 <= value <= ceiling


@dataclass(frozen=True)
class Cube:
    corners: dict[CellKey, int]  # each corner's sign
    shift: int  # each corner can move by this times its sign


@dataclass
class Suppression:
    marks: dict[CellKey, Mark]
    cubes: list[Cube]  # the cubes chosen: every hidden cell is a corner of one
    ceiling: int  # the grand total: no cell can be more


def suppress(dimensions: Sequence[Dimension], values: Mapping[CellKey, int]) -> Suppression:
    """Mark every cell of the table: shown, "< 5" (primary) or hidden (secondary)."""
    keys = list(cells(dimensions))
    marks = {key: mark_of(values[key]) for key in keys}
    ceiling = sum(values[key] for key in keys if is_leaf(dimensions, key))
    covered: set[CellKey] = set()
    chosen: list[Cube] = []
    for key in [key for key in keys if marks[key] == Mark.SMALL]:
        if key in covered:
            continue
        cube, hidden = _cheapest_cube(dimensions, values, marks, key, ceiling)
        for corner in hidden:
            marks[corner] = Mark.HIDDEN
        covered.update(cube.corners)
        chosen.append(cube)
    return Suppression(marks, chosen, ceiling)


def is_leaf(dimensions: Sequence[Dimension], key: CellKey) -> bool:
    """Whether the cell is no total in any dimension: each event is counted in one such cell."""
    return all(d.is_leaf(c) for d, c in zip(dimensions, key, strict=True))


def _weight(dimensions: Sequence[Dimension], key: CellKey) -> int:
    """What hiding one of a cell's events costs: doubled for each dimension in which the cell is a
    total (the totals are what a report is read for)."""
    return TOTAL_WEIGHT ** sum(1 for d, c in zip(dimensions, key, strict=True) if not d.is_leaf(c))


def _cheapest_cube(
    dimensions: Sequence[Dimension],
    values: Mapping[CellKey, int],
    marks: Mapping[CellKey, Mark],
    key: CellKey,
    ceiling: int,
) -> tuple[Cube, list[CellKey]]:
    """The cube through `key` that hides the least, with the corners it newly hides: the smallest
    cost (`TOTAL_WEIGHT`, `DEMOTION`), then the fewest cells newly hidden, then the first tried;
    with the first shift of `SHIFTS` that fits.

    One always fits: the cube from `key` toward a cell below it in every dimension that holds an
    event; every corner holds that event, and taking it away (shift -1) leaves each corner at 0
    or more, once the "< 5" that fall to 0 take the hidden mark."""
    best: tuple[tuple[int, int], Cube, list[CellKey]] | None = None
    for edges in itertools.product(*(d.edges(c) for d, c in zip(dimensions, key, strict=True))):
        corners = {
            tuple(coordinate for coordinate, _sign in corner): math.prod(sign for _c, sign in corner)
            for corner in itertools.product(*edges)
        }
        new = [corner for corner in corners if marks[corner] == Mark.SHOWN]
        loss = sum(values[corner] * _weight(dimensions, corner) for corner in new)
        if best is not None and (loss, len(new)) >= best[0]:
            continue  # no shift can make this cube cheaper than the best one
        for shift in SHIFTS:
            moved = {corner: values[corner] + sign * shift for corner, sign in corners.items()}
            if not all(fits(value, Mark.HIDDEN, ceiling) for value in moved.values()):
                continue
            demoted = [c for c in corners if marks[c] == Mark.SMALL and not 1 <= moved[c] <= SMALL_MAX]
            cost = (loss + DEMOTION * len(demoted), len(new) + len(demoted))
            if best is None or cost < best[0]:
                best = (cost, Cube(corners, shift), new + demoted)
            if not demoted:
                break
    assert best is not None, f"no cube through {key!r}"  # see the docstring: one always fits
    return best[1], best[2]
