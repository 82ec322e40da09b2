"""Background work of the meetings app. Arguments are ids only: nothing personal passes through Redis."""

import logging

from celery import shared_task
from django.utils import timezone

from livc.database.tenancy import in_each_cell
from meetings.minutes_pdf import document_fill
from meetings.models import MinutesDocument
from meetings.services.actions import actions_due_notify

logger = logging.getLogger(__name__)


@shared_task
def make_minutes_document(*, document_id: str) -> None:
    document = (
        MinutesDocument.objects.select_related("meeting__cell", "recipient").filter(pk=document_id).first()
    )
    if document is None:
        return  # deleted meanwhile (minutes changed, or the case was purged)
    if document.status != MinutesDocument.Status.PENDING:
        return  # made already (a message delivered twice), or failed and asked for again
    try:
        document_fill(document)
    except Exception:
        # The person sees "failed" and may ask again; the outbox does not retry it.
        MinutesDocument.objects.filter(pk=document_id).update(status=MinutesDocument.Status.FAILED)
        logger.exception("Minutes document %s could not be made", document_id)


@shared_task
def notify_actions_due() -> int:
    """Daily: the owners of open actions whose due date has come are told (once per action), each
    cell in its own scope (row-level security). Returns how many actions were told of."""
    today = timezone.localdate()
    return in_each_cell(lambda cell: actions_due_notify(cell=cell, today=today))
