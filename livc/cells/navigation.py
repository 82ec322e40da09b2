"""The cell navigation, by role. Apps add their entries in `AppConfig.ready()`.

Kept as a registry so that `livc` need not import the apps that depend on it. Entries are
shown by `position`, so the menu's order does not depend on the order in which apps load.
An entry that names a `count_source` shows the number of things waiting there, computed by
the same source as the home page's "Waiting for you" list (`livc/cells/waiting.py`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from livc.cells.models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str  # reversed with the cell's slug
    label: str | Promise
    roles: frozenset[str]
    position: int = 100  # smaller first; entries of equal position keep their registration order
    count_source: str = ""  # a source of `livc/cells/waiting.py`: the entry shows its count
    # For an entry meant for some members of a role only: asked with the request on every page
    # (so keep it cheap), the entry is shown when it answers True.
    shown: Callable[[Any], bool] | None = None


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)


def all_items() -> list[NavItem]:
    """Every entry, for any role (e.g. to name the pages the menu leads to)."""
    return sorted(_items, key=lambda item: item.position)


def items_for(role: str) -> list[NavItem]:
    return sorted((item for item in _items if role in item.roles), key=lambda item: item.position)


ALL_ROLES = frozenset(Role.values)
