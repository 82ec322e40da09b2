"""Telling the DPOs when a breach's deadline to inform the authority is near
(`dpo/selectors.py::breaches_near_deadline`, the breaches the home's "waiting" list counts), once
per breach: a notification carries the breach's register number and the link to it, nothing of
what happened (`livc/notifications/`)."""

import datetime

from django.urls import reverse

from dpo.selectors import breaches_near_deadline
from livc.cells.models import Cell, Role
from livc.notifications.models import Notification, NotificationKind
from livc.notifications.services import notify_role


def breach_deadlines_notify(*, cell: Cell, now: datetime.datetime) -> int:
    """Notify the cell's DPOs of each breach whose deadline came near and of which they were not
    told yet (the notification's target is the breach's id). Returns how many breaches."""
    near = breaches_near_deadline(cell=cell, now=now)
    told = set(
        Notification.objects.filter(
            cell=cell, kind=NotificationKind.BREACH_DEADLINE, target__in=[str(breach.pk) for breach in near]
        ).values_list("target", flat=True)
    )
    count = 0
    for breach in sorted(near, key=lambda breach: breach.number):
        if str(breach.pk) in told:
            continue
        notify_role(
            cell=cell, role=Role.DPO, kind=NotificationKind.BREACH_DEADLINE,
            path=reverse("audit:breach", kwargs={"cell_slug": cell.slug, "pk": breach.pk}),
            reference=str(breach.number), target=str(breach.pk),
        )  # fmt: skip
        count += 1
    return count
