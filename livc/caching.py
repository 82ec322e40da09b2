"""`remembered`: an answer kept in Django's cache (Redis in production), the one way the apps
read through the cache.

A cache that does not answer (Redis down) never fails the request: the answer is computed, and
the outage logged. Only what may outlive the request goes in: figures, flags and ids, never a
name or a text a person typed.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

Answer = TypeVar("Answer")


def remembered(
    key: str, compute: Callable[[], Answer], *, timeout: int, keep: Callable[[Answer], bool] = lambda _: True
) -> Answer:
    """`compute()`'s answer, from the cache under `key` while it holds one; a new answer is kept
    `timeout` seconds when `keep(answer)` (a "no" that must be asked again is not kept)."""
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("The cache does not answer: computing %s", key, exc_info=True)
        return compute()
    if found is not None:
        return found
    answer = compute()
    if keep(answer):
        try:
            cache.set(key, answer, timeout=timeout)
        except Exception:
            logger.warning("The cache does not answer: %s not kept", key, exc_info=True)
    return answer
