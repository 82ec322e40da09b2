"""The identity providers a page offers buttons for (`livc/accounts/oidc.py`)."""

from django import template

from livc.accounts import oidc

register = template.Library()


@register.simple_tag
def identity_providers(cell: str | None = None) -> list[oidc.Provider]:
    """Every configured provider, or those that may log in to the cell with the slug `cell`."""
    return oidc.providers_for_cell(cell)
