"""Notices shown at the top of every cell page, contributed by the apps.

An app registers a function `(request) -> Notice | None` in its `AppConfig.ready()`;
`livc` itself need not know the apps that depend on it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from livc.http import CellRequest


@dataclass(frozen=True)
class Notice:
    text: str | Promise
    link_url: str = ""
    link_text: str | Promise = ""
    level: str = "warning"


NoticeSource = Callable[[CellRequest], Notice | None]
_sources: list[NoticeSource] = []


def register(source: NoticeSource) -> None:
    if source not in _sources:
        _sources.append(source)


def notices_for(request: CellRequest) -> list[Notice]:
    return [notice for source in _sources if (notice := source(request)) is not None]
