"""Project-wide periodic tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "livc:celery-heartbeat"


@shared_task
def heartbeat() -> str:
    """Record that the worker and beat are alive: the time of the last beat, in the cache."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now
