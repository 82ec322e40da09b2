"""The data categories an information item of a cell may be filed under (docs/rules.md, rule 10):
livc/legal.py decides which list applies; the rules of procedure in force give a cell's own."""

from livc import legal
from livc.cells.models import Cell
from participants import selectors as participant_selectors


def categories_offered(cell: Cell) -> list[legal.Category]:
    """The decree's fourteen for a Flemish cell, in their order; otherwise the categories of the
    rules of procedure in force, then "other data" (which the owner must justify)."""
    return legal.data_categories(cell, defined=lambda: participant_selectors.rules_categories(cell=cell))
