"""Notices shown at the top of every cell page, contributed by the apps.

An app registers a function `(request) -> Notice | None` in its `AppConfig.ready()`;
`livc` itself need not know the apps that depend on it. The notices are computed once per
request (`notices_for`), however often the page's templates ask.

A notice that is costly to compute (the coordinator's upcoming purges: a walk over the cell's
cases) keeps its figures in Django's cache (Redis in production) per cell and per day, with
`figures_for_day`. The entry belongs to the cell's current *version*: whatever changes those
figures calls `figures_changed(cell_id)`, which gives the cell a new version, so the next page
computes them afresh. Only figures go in the cache (counts and dates, never a name or a
reference), and never the notice's text: that is written in the reader's language.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from livc.caching import remembered
from livc.http import CellRequest, once_per_request

logger = logging.getLogger(__name__)


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


@once_per_request
def notices_for(request: CellRequest) -> list[Notice]:
    return [notice for source in _sources if (notice := source(request)) is not None]


# --- Figures kept per cell and day --------------------------------------------------------

Figures = TypeVar("Figures")
# An entry's key names its day, so a new day computes afresh; the entry lives an hour at most,
# which bounds how long a change made without `figures_changed` (the admin, a shell) can hide.
FIGURES_SECONDS = 60 * 60


def _version_key(cell_id: int) -> str:
    return f"livc:cell-figures-version:{cell_id}"


def _new_version() -> str:
    # Random, not a counter: a version key the cache evicted can never come back as an old one.
    return uuid.uuid4().hex


def figures_for_day(cell_id: int, name: str, compute: Callable[[], Figures]) -> Figures:
    """`compute()`'s answer for the cell and today, from the cache while the cell's version holds.

    `compute` must return plain figures (numbers, dates, tuples of them): nothing personal goes
    into the cache. Without a cache (Redis down) the figures are computed on every call.
    """
    try:
        version = cache.get_or_set(_version_key(cell_id), _new_version, timeout=None)
    except Exception:
        logger.warning("The cache does not answer: computing the figures %s", name, exc_info=True)
        return compute()
    key = f"livc:cell-figures:{name}:{cell_id}:{version}:{timezone.localdate().isoformat()}"
    return remembered(key, compute, timeout=FIGURES_SECONDS)


def figures_changed(cell_ids: int | Iterable[int]) -> None:
    """Something that the cached figures count changed in these cells: the next page computes
    them again. Called by the services that change it, inside their transaction.

    The new version is set now (so this transaction's own later reads see the change) and again
    once the transaction commits (so that a page that read the old data meanwhile, and cached
    it under the first new version, is not believed either)."""
    ids = sorted({cell_ids} if isinstance(cell_ids, int) else set(cell_ids))
    if not ids:
        return
    _bump(ids)
    transaction.on_commit(lambda: _bump(ids))


def _bump(cell_ids: list[int]) -> None:
    try:
        cache.set_many({_version_key(cell_id): _new_version() for cell_id in cell_ids}, timeout=None)
    except Exception:
        # The entries in the cache may be stale for up to FIGURES_SECONDS; say so loudly.
        logger.error("The cache does not answer: cells %s keep their cached figures", cell_ids, exc_info=True)
