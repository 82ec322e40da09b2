"""What the outbox holds: for the readiness check and the platform admin."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from livc.outbox.models import Message


@dataclass(frozen=True)
class OutboxStatus:
    pending: int  # messages whose work is neither done nor given up
    oldest_age: timedelta | None  # age of the oldest of them; None when none is pending
    failed: int  # messages given up after their last attempt
    oldest_at: datetime | None = None  # when the oldest pending message was written


def outbox_status() -> OutboxStatus:
    pending = Message.objects.pending()
    summary = pending.aggregate(oldest=Min("created_at"))
    oldest = summary["oldest"]
    return OutboxStatus(
        pending=pending.count(),
        oldest_age=timezone.now() - oldest if oldest is not None else None,
        failed=Message.objects.filter(failed_at__isnull=False).count(),
        oldest_at=oldest,
    )
