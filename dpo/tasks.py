"""Background work of the DPO app. Arguments are ids only: nothing personal passes through Redis."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dpo.access_requests import details_expire
from dpo.deadlines import breach_deadlines_notify
from dpo.models import Breach
from dpo.selectors import breach_report_recipients
from livc.cells.models import Role
from livc.database.tenancy import in_each_cell
from livc.mail import send_templated_mail


@shared_task
def send_breach_report_notice(*, breach_id: str) -> int:
    """Tell the cell's DPOs (without one, its coordinators) that a member reported a suspected
    breach. The mail says only that a report waits, until when the authority must be informed
    and where to look: never what was reported, nor by whom. Returns how many were mailed."""
    breach = Breach.objects.select_related("cell").filter(pk=breach_id).first()
    if breach is None:
        return 0
    cell = breach.cell
    recipients = breach_report_recipients(cell=cell)
    if recipients.role == Role.DPO:
        page = reverse("audit:breach", kwargs={"cell_slug": cell.slug, "pk": breach.pk})
    else:  # the register is the DPO's alone: the coordinator is asked to appoint one
        page = reverse("participants:participants", kwargs={"cell_slug": cell.slug})
    context = {
        "cell": cell,
        "number": breach.number,
        "due": breach.authority_due_at,
        "link": settings.LIVC_BASE_URL + page,
        "to_dpo": recipients.role == Role.DPO,
    }
    for user in recipients.users:
        send_templated_mail(
            template="emails/breach_reported", context={**context, "user": user}, to=user.email,
            language=user.language,
        )  # fmt: skip
    return len(recipients.users)


@shared_task
def expire_access_request_details() -> int:
    """Daily: delete the details of answered requests for access that matched nobody, once the
    cell's period for a referral it did not retain has passed (`dpo/access_requests.py::details_expire`),
    each cell in its own scope (row-level security). Returns how many went."""
    today = timezone.localdate()
    return in_each_cell(lambda cell: details_expire(today=today, cell=cell))


@shared_task
def notify_breach_deadlines() -> int:
    """Hourly: the DPOs are told of each breach whose deadline to inform the authority is near (or
    past), once per breach, each cell in its own scope (row-level security). Returns how many."""
    now = timezone.now()
    return in_each_cell(lambda cell: breach_deadlines_notify(cell=cell, now=now))
