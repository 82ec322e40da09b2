"""What waits for the member: the "Waiting for you" list of the cell home and the menu's counts.

Each app registers named sources `(request) -> list[WaitingItem]` when its `waiting` module is
imported (from its `AppConfig.ready()`); `livc` itself need not know the apps above it. A menu
entry that names a source (`NavItem.count_source`) shows the sum of that source's counts, so one
rule computes both the home page's sentence and the menu's number. A source answers with count
queries only, and each source runs at most once per request.

A source decides for its own items who may see them: it derives from the apps' selectors
(`cases/selectors.py::case_visible_list` for anything about cases) and gives nothing about
cases to a member who has not acknowledged the secrecy of the table (docs/rules.md, rule 6).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from livc.http import CellRequest


@dataclass(frozen=True)
class WaitingItem:
    text: str | Promise  # a sentence that says the count
    count: int
    url: str  # the page that deals with it
    link_text: str | Promise
    level: str = "info"  # "info", "warning" or "error"


WaitingSource = Callable[[CellRequest], list[WaitingItem]]


@dataclass(frozen=True)
class _Registered:
    name: str
    source: WaitingSource
    position: int


_sources: dict[str, _Registered] = {}
_CACHE = "_livc_waiting"


def register(name: str, source: WaitingSource, *, position: int = 100) -> None:
    """Register a source under `name` ("<app>.<what>"); smaller positions are listed first."""
    _sources[name] = _Registered(name, source, position)


def names() -> list[str]:
    return [registered.name for registered in _ordered()]


def _ordered() -> list[_Registered]:
    return sorted(_sources.values(), key=lambda registered: registered.position)


def items_of(request: CellRequest, name: str) -> list[WaitingItem]:
    """The items of one source, computed once per request; an unknown name gives nothing."""
    cache: dict[str, list[WaitingItem]] = request.__dict__.setdefault(_CACHE, {})
    if name not in cache:
        registered = _sources.get(name)
        cache[name] = [item for item in registered.source(request) if item.count] if registered else []
    return cache[name]


def waiting_for(request: CellRequest) -> list[WaitingItem]:
    """Everything that waits for the requesting member, in the sources' order."""
    return [item for registered in _ordered() for item in items_of(request, registered.name)]


def count_of(request: CellRequest, name: str) -> int:
    """The menu's number for a source: the sum of its items' counts."""
    return sum(item.count for item in items_of(request, name))
