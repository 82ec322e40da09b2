"""The cell navigation, by role. Apps add their entries in `AppConfig.ready()`.

Kept as a registry so that `livc` need not import the apps that depend on it. Entries are
shown by `position`, so the menu's order does not depend on the order in which apps load.
"""

from dataclasses import dataclass

from django.utils.functional import Promise

from livc.cells.models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str  # reversed with the cell's slug
    label: str | Promise
    roles: frozenset[str]
    position: int = 100  # smaller first; entries of equal position keep their registration order


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def items_for(role: str) -> list[NavItem]:
    return sorted((item for item in _items if role in item.roles), key=lambda item: item.position)


ALL_ROLES = frozenset(Role.values)
