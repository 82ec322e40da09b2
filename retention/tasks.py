"""Background work of the retention app (beat schedule in settings). Arguments are ids only."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livc.cells.models import Cell, Membership, Role
from livc.database.tenancy import cell_scope
from livc.mail import send_templated_mail
from livc.outbox.services import enqueue
from retention import selectors, services

logger = logging.getLogger(__name__)


@shared_task
def purge_expired() -> dict[str, int]:
    """The nightly purge; the same as `manage.py purge_expired`. Returns counts only."""
    run = services.purge_expired()
    if run.locked_out:
        logger.warning("Retention purge skipped: another run holds the lock.")
    elif run.failed:
        logger.error("Retention purge: %d failed (left whole); see above.", len(run.failed))
    return {"cases": run.cases, "referrals": run.referrals, "failed": len(run.failed)}


@shared_task
def send_weekly_digest() -> int:
    """Write one digest per cell that has a coordinator to the outbox, all in one transaction;
    each cell's task mails its coordinators. A cell's digest is written once per ISO week, so a
    second run in the same week (beat restarted) adds nothing. Returns how many were written."""
    cells = (
        Membership.objects.effective()
        .filter(role=Role.COORDINATOR)
        .order_by("cell_id")
        .values_list("cell_id", flat=True)
        .distinct()
    )
    year, week, _day = timezone.localdate().isocalendar()
    count = 0
    with transaction.atomic():
        for cell_id in cells:
            key = f"retention-digest:{cell_id}:{year}-W{week:02d}"
            if enqueue(send_cell_digest, key=key, cell_id=cell_id):
                count += 1
    return count


@shared_task
def send_cell_digest(*, cell_id: int) -> int:
    """Mail each coordinator of the cell what will be purged within the warning period: case
    references and dates only, never a name. Nothing is sent when nothing is due. Read in the
    cell's scope (row-level security, docs/adr/0011): under the workers' role too, the digest
    can show no other cell's case."""
    cell = Cell.objects.filter(pk=cell_id).first()
    if cell is None:
        return 0
    with cell_scope(cell.pk):
        return _send_cell_digest(cell)


def _send_cell_digest(cell: Cell) -> int:
    upcoming = selectors.upcoming_get(cell=cell)
    if not upcoming.count:
        return 0
    coordinators = (
        Membership.objects.effective().filter(cell=cell, role=Role.COORDINATOR).select_related("user")
    )
    link = settings.LIVC_BASE_URL + reverse("retention:upcoming", kwargs={"cell_slug": cell.slug})
    sent = 0
    for membership in coordinators:
        user = membership.user
        context = {"cell": cell, "upcoming": upcoming, "link": link, "user": user}
        send_templated_mail(
            template="emails/retention_digest", context=context, to=user.email, language=user.language
        )
        sent += 1
    return sent
