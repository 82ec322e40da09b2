"""`{% named_rows rows as named %}`: the console's log rows with cases named by reference and pages
by title (`dpo/selectors.py::named_rows`, one query for the whole page)."""

from typing import Any

from django import template

from dpo import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def named_rows(context: template.Context, rows: list[Any]) -> list[selectors.NamedRow]:
    return selectors.named_rows(cell=context["cell"], rows=list(rows))
