"""The case table: seating a participant grants the django-guardian object permission that
lets them see the case; unseating revokes it. The one other grant is a substitute's, standing in
for a fixed representative at one meeting (`meetings/services/stand_ins.py`): the meetings app
registers a listener here (`on_seating_changed`) so that a change of seats keeps those grants in
step. An ad hoc invitation brings a new person to one case's table."""

import dataclasses
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import Case, CaseInvitation, Seat
from livc.accounts.models import User
from livc.cells.models import Membership, Role
from participants.models import Invitation, InvitationScope, Participant
from participants.services import InvitationData, invitation_propose, invitation_save_draft

VIEW_CASE = "cases.view_case"
VIEW_CASE_CODENAME = "view_case"

SeatingListener = Callable[[Case, Participant], None]
_listeners: list[SeatingListener] = []


def on_seating_changed(listener: SeatingListener) -> None:
    """Call `listener(case, participant)` after someone is seated at, or leaves, a case's table."""
    if listener not in _listeners:
        _listeners.append(listener)


def _seating_changed(case: Case, participant: Participant) -> None:
    for listener in _listeners:
        listener(case, participant)


@transaction.atomic
def seat_participant(*, member: Membership, case: Case, participant: Participant) -> Seat:
    member.require_role(Role.COORDINATOR)
    return seat(case=case, participant=participant, seated_by=member.user)


def seat(*, case: Case, participant: Participant, seated_by: User | None) -> Seat:
    """Seat without a role check, for the system (an ad hoc invitee accepting)."""
    membership = participant.membership
    if participant.cell_id != case.cell_id:
        raise ValidationError(_("This participant belongs to another cell."))
    if not membership.is_active:
        raise ValidationError(_("This participant no longer has access to the cell."))
    if membership.role != Role.PARTICIPANT:
        raise ValidationError(_("Mayor, coordinator and information officer see every case already."))
    seat, _created = Seat.objects.get_or_create(
        case=case, participant=participant, defaults={"seated_by": seated_by}
    )
    assign_perm(VIEW_CASE, membership.user, case)
    _seating_changed(case, participant)
    return seat


@transaction.atomic
def unseat_participant(*, member: Membership, seat: Seat) -> None:
    member.require_role(Role.COORDINATOR)
    unseat(seat)


def unseat(seat: Seat) -> None:
    """Remove the seat and its grant: access ends with the next request."""
    remove_perm(VIEW_CASE, seat.participant.membership.user, seat.case)
    seat.delete()
    _seating_changed(seat.case, seat.participant)


@transaction.atomic
def unseat_everywhere(participant: Participant) -> int:
    """A revoked participant leaves every table of the cell; a later invitation starts afresh."""
    seats = list(
        Seat.objects.filter(participant=participant).select_related("case", "participant__membership__user")
    )
    for each in seats:
        unseat(each)
    return len(seats)


@transaction.atomic
def case_invitation_propose(*, member: Membership, case: Case, data: InvitationData) -> Invitation:
    """An ad hoc invitation for this case only, proposed to the mayor like any other; the
    invitee is seated at this case's table when they accept (`cases.receivers`)."""
    data = dataclasses.replace(data, as_fixed_representative=False, scope=InvitationScope.AD_HOC)
    invitation = invitation_save_draft(member=member, data=data)
    CaseInvitation.objects.create(invitation=invitation, case=case)
    invitation_propose(member=member, invitation=invitation)
    return invitation
