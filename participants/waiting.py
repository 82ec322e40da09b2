"""What waits in the participants app: invitations awaiting the mayor, the secrecy acknowledgement.

Registered when imported (`ParticipantsConfig.ready`); see `livc/cells/waiting.py`.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from livc.cells import waiting
from livc.cells.models import Role
from livc.cells.waiting import WaitingItem
from livc.http import CellRequest
from participants import selectors
from participants.models import Invitation, InvitationStatus

APPROVALS = "participants.approvals"
ACKNOWLEDGEMENT = "participants.acknowledgement"


def approvals(request: CellRequest) -> list[WaitingItem]:
    """Invitations awaiting a mayor: the mayor approves them, the coordinator waits for them."""
    role = request.membership.role
    if role not in (Role.MAYOR, Role.COORDINATOR):
        return []
    count = Invitation.objects.filter(cell=request.cell, status=InvitationStatus.PENDING).count()
    slug = request.cell.slug
    if role == Role.MAYOR:
        text = ngettext(
            "%(count)d invitation is waiting for your approval.",
            "%(count)d invitations are waiting for your approval.",
            count,
        )
        url, link = reverse("participants:approvals", kwargs={"cell_slug": slug}), _("Approve or reject")
    else:
        text = ngettext(
            "%(count)d invitation is waiting for the mayor's approval.",
            "%(count)d invitations are waiting for the mayor's approval.",
            count,
        )
        url = (
            reverse("participants:invitations", kwargs={"cell_slug": slug})
            + f"?status={InvitationStatus.PENDING}"
        )
        link = _("See the invitations")
    return [WaitingItem(text=text % {"count": count}, count=count, url=url, link_text=link)]


def acknowledgement(request: CellRequest) -> list[WaitingItem]:
    """The secrecy of the table, to acknowledge before any case content (rule 6); not the DPO's."""
    if request.membership.role == Role.DPO or selectors.request_has_acknowledged(request):
        return []
    text = _("You have not yet acknowledged the secrecy of the table: until you do, you see no case.")
    url = reverse("participants:acknowledge", kwargs={"cell_slug": request.cell.slug})
    return [WaitingItem(text=text, count=1, url=url, link_text=_("Read and acknowledge"), level="warning")]


waiting.register(ACKNOWLEDGEMENT, acknowledgement, position=10)
waiting.register(APPROVALS, approvals, position=20)
SOURCES = (ACKNOWLEDGEMENT, APPROVALS)  # the names this module registers
