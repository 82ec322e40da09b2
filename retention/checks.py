"""Deployment checks: the retention defaults must be values a cell could also choose."""

from typing import Any

from django.conf import settings
from django.core import checks

from retention.models import MAX_NOT_RETAINED_DAYS, MAX_WARNING_DAYS


def retention_defaults(**kwargs: Any) -> list[checks.CheckMessage]:
    limits = {
        "LIVC_RETENTION_NOT_RETAINED_DAYS": MAX_NOT_RETAINED_DAYS,
        "LIVC_RETENTION_WARNING_DAYS": MAX_WARNING_DAYS,
    }
    return [
        checks.Error(f"{name} must be at most {limit} (got {getattr(settings, name)}).", id="retention.E001")
        for name, limit in limits.items()
        if getattr(settings, name) > limit
    ]
