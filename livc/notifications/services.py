"""Telling members that something waits for them (docs/rules.md, rule 19: no personal data).

`notify` is called by the app where the thing happened, inside the transaction of the change:
the notification exists if and only if the change was committed. Each recipient gets one in-app
notification; how else it reaches them is their `Preference` for the kind, fixed on the
notification when it is made: by e-mail at once (an outbox message, sent after the commit by
`livc.notifications.tasks.send_notification`), in the daily digest
(`livc.notifications.tasks.send_digests`), or not at all outside the app.

Recipients are people with an effective membership of the cell
(`livc/cells/models.py::MembershipQuerySet.effective`): a deactivated account, an ended
membership or an information officer whose clearance lapsed gets nothing.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from livc.accounts.models import User
from livc.cells.models import Cell, Membership
from livc.notifications.models import DEFAULT_DELIVERY, Delivery, Notification, NotificationKind, Preference
from livc.notifications.selectors import deliveries_of
from livc.notifications.tasks import send_notification
from livc.outbox.services import enqueue

REFERENCE_MAX = Notification._meta.get_field("reference").max_length or 40


def notify(
    *,
    users: Iterable[User],
    cell: Cell,
    kind: str,
    path: str,
    reference: str = "",
    target: str = "",
) -> list[Notification]:
    """One notification of `kind` for each distinct user with an effective membership of `cell`.

    `path` is a path inside the site (`reverse(...)`), the page where the person acts;
    `reference` at most a case reference, a register number or a date, shown with the kind's
    sentence; `target` the id of what it is about, for the app that made it (never shown)."""
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError("A notification's path is a path inside the site.")
    if len(reference) > REFERENCE_MAX:
        raise ValueError("A notification's reference is a short reference, not a text.")
    wanted = {user.pk for user in users}
    if not wanted:
        return []
    recipients = sorted(
        set(
            Membership.objects.effective()
            .filter(cell=cell, user_id__in=wanted)
            .values_list("user_id", flat=True)
        )
    )
    if not recipients:
        return []
    chosen = dict(
        Preference.objects.filter(user_id__in=recipients, kind=kind).values_list("user_id", "delivery")
    )
    now = timezone.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    cell=cell,
                    user_id=user_id,
                    kind=kind,
                    path=path,
                    reference=reference,
                    target=target,
                    created_at=now,
                    delivery=chosen.get(user_id, DEFAULT_DELIVERY),
                )
                for user_id in recipients
            ]
        )
        for notification in notifications:
            if notification.delivery == Delivery.EMAIL:
                enqueue(send_notification, notification_id=str(notification.pk), cell_id=cell.pk)
    return notifications


def notify_role(
    *,
    cell: Cell,
    role: str,
    kind: str,
    path: str,
    reference: str = "",
    target: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """`notify` everyone who holds `role` in the cell (an effective membership), but `exclude`
    (who did what the notification tells: she knows)."""
    holders = Membership.objects.effective().filter(cell=cell, role=role)
    if exclude is not None:
        holders = holders.exclude(user=exclude)
    users = User.objects.filter(pk__in=holders.values("user_id"))
    return notify(users=users, cell=cell, kind=kind, path=path, reference=reference, target=target)


def notification_open(*, notification: Notification) -> Notification:
    """Mark one's own notification read (the first time it is opened)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User, cell: Cell) -> int:
    """Mark every unread notification of the user in the cell read; returns how many."""
    return Notification.objects.filter(user=user, cell=cell, read_at=None).update(read_at=timezone.now())


def preferences_save(*, user: User, deliveries: dict[str, str]) -> int:
    """Keep the person's choice of delivery per kind (a kind left out keeps its choice); returns
    how many choices changed. A choice is kept as a row once it differs from the default."""
    for kind, delivery in deliveries.items():
        if kind not in NotificationKind.values or delivery not in Delivery.values:
            raise ValueError(f"Unknown kind or delivery: {kind!r}, {delivery!r}.")
    current = deliveries_of(user=user)
    changed = {kind: delivery for kind, delivery in deliveries.items() if current[kind] != delivery}
    with transaction.atomic():
        for kind, delivery in changed.items():
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    return len(changed)
