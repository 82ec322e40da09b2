"""The e-mails of notifications: one at once (handed over through the outbox by `notify`), and the
daily digest (beat schedule in settings). Arguments are ids only: nothing personal passes through
Redis. A mail says what the notification says, the kind's sentence, the reference and the link,
in the recipient's language; never a name, a pseudonym or a text about a case."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from livc.accounts.models import User
from livc.cells.models import Membership
from livc.database.tenancy import cell_scope, scope
from livc.mail import send_templated_mail
from livc.notifications.attachments import attachment_for
from livc.notifications.models import Delivery, Notification
from livc.notifications.sentences import sentence
from livc.outbox.services import enqueue


def _still_member(notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    """Those whose person still has an effective membership of the notification's cell."""
    member = Membership.objects.effective().filter(user_id=OuterRef("user_id"), cell_id=OuterRef("cell_id"))
    return notifications.filter(Exists(member))


def _link(notification: Notification) -> str:
    return settings.LIVC_BASE_URL + notification.path


@shared_task
def send_notification(*, notification_id: str, cell_id: int) -> bool:
    """Mail one notification whose person chose e-mail at once, with the kind's attachment if any,
    and note when it went. In the notification's cell (row-level security). A notification
    already mailed, or whose person left the cell meanwhile, is not mailed: True if it went."""
    with cell_scope(cell_id):
        notification = (
            _still_member(Notification.objects.filter(pk=notification_id, mailed_at=None))
            .select_related("user", "cell")
            .select_for_update(of=("self",))
            .first()
        )
        if notification is None:
            return False
        user = notification.user
        attachment = attachment_for(notification)
        context = {
            "user": user,
            "cell": notification.cell,
            "sentence": sentence(notification),
            "reference": notification.reference,
            "link": _link(notification),
        }
        send_templated_mail(
            template="emails/notification", context=context, to=user.email, language=user.language,
            attachments=[] if attachment is None else [
                (attachment.filename, attachment.content, attachment.mimetype)
            ],
        )  # fmt: skip
        notification.mailed_at = timezone.now()
        notification.save(update_fields=["mailed_at"])
    return True


def _digest_due() -> QuerySet[Notification]:
    return _still_member(Notification.objects.filter(delivery=Delivery.DIGEST, mailed_at=None))


@shared_task
def send_digests() -> int:
    """Daily: write one digest to the outbox for each person with digest notifications not yet
    mailed, all in one transaction. A person's digest is written once per day (the outbox key),
    so a second run the same day (beat restarted) adds nothing. Returns how many were written.
    Across cells: the workers' role reads every cell's notifications (who has some, no more)."""
    today = timezone.localdate()
    people = _digest_due().order_by("user_id").values_list("user_id", flat=True).distinct()
    count = 0
    with transaction.atomic():
        for user_id in people:
            key = f"notification-digest:{user_id}:{today.isoformat()}"
            if enqueue(send_digest, key=key, user_id=user_id):
                count += 1
    return count


@shared_task
def send_digest(*, user_id: int) -> int:
    """Mail the person one digest of their digest notifications not yet mailed, of every cell they
    are still a member of, oldest first, and note that they went. Read in the person's own scope
    (row-level security shows a person their own notifications, across cells). Returns how many
    the digest listed (0: nothing was sent)."""
    with scope(person_id=user_id):
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return 0
        notifications = list(
            _digest_due()
            .filter(user_id=user_id)
            .select_related("cell")
            .select_for_update(of=("self",))
            .order_by("created_at", "pk")
        )
        if not notifications:
            return 0
        items = [
            {
                "cell": notification.cell,
                "sentence": sentence(notification),
                "reference": notification.reference,
                "link": _link(notification),
                "created_at": notification.created_at,
            }
            for notification in notifications
        ]
        context = {"user": user, "items": items, "day": timezone.localdate()}
        send_templated_mail(
            template="emails/notification_digest", context=context, to=user.email, language=user.language
        )
        Notification.objects.filter(pk__in=[notification.pk for notification in notifications]).update(
            mailed_at=timezone.now()
        )
    return len(notifications)
