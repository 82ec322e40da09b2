"""What a page says of the law its cell works under, decided in livc/legal.py."""

from django import template

from livc import legal
from livc.cells.models import Cell

register = template.Library()


@register.simple_tag
def legal_framework(cell: Cell) -> str:
    """The line naming the instruments the cell works under."""
    return str(legal.references(cell).framework)


@register.inclusion_tag("includes/confidentiality_statement.html")
def secrecy_statement(cell: Cell) -> dict[str, object]:
    """The secrecy statement a member of `cell` acknowledges."""
    return {"statement": legal.secrecy_statement(cell)}
