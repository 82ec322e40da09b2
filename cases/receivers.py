"""How the cases app answers events of the participants app (which does not know about cases)."""

from typing import Any

from cases.models import CaseInvitation
from cases.services.seats import seat, unseat_everywhere
from livc.cells.models import Membership
from participants.models import Invitation, InvitationScope, Participant


def seat_ad_hoc_invitee(sender: Any, invitation: Invitation, membership: Membership, **kwargs: Any) -> None:
    """An ad hoc invitee sits at the table of the one case they were invited for."""
    if invitation.scope != InvitationScope.AD_HOC:
        return
    link = CaseInvitation.objects.filter(invitation=invitation).select_related("case").first()
    if link is None:
        return
    participant = Participant.objects.get(membership=membership)
    seat(case=link.case, participant=participant, seated_by=invitation.decided_by)


def clear_seats_of_revoked(sender: Any, participant: Participant, **kwargs: Any) -> None:
    unseat_everywhere(participant)
