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
    # How long the most overdue message has been due without being done: a message waiting for
    # its retry after a failure is not overdue (it is due later), one the broker or the workers
    # have not taken is. None when nothing is due.
    overdue: timedelta | None = None


def outbox_status() -> OutboxStatus:
    now = timezone.now()
    pending = Message.objects.pending()
    summary = pending.aggregate(oldest=Min("created_at"), due=Min("due_at"))
    oldest, due = summary["oldest"], summary["due"]
    return OutboxStatus(
        pending=pending.count(),
        oldest_age=now - oldest if oldest is not None else None,
        failed=Message.objects.filter(failed_at__isnull=False).count(),
        oldest_at=oldest,
        overdue=now - due if due is not None and due <= now else None,
    )
