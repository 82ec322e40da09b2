"""The case table: seating a participant grants the django-guardian object permission that
lets them see the case; unseating revokes it. Nothing else grants or revokes it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import Case, Seat
from cases.services.common import require_role
from livc.accounts.models import User
from livc.cells.models import Membership, Role
from participants.models import Participant

VIEW_CASE = "cases.view_case"
VIEW_CASE_CODENAME = "view_case"


@transaction.atomic
def seat_participant(*, member: Membership, case: Case, participant: Participant) -> Seat:
    require_role(member, Role.COORDINATOR)
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
    return seat


@transaction.atomic
def unseat_participant(*, member: Membership, seat: Seat) -> None:
    require_role(member, Role.COORDINATOR)
    unseat(seat)


def unseat(seat: Seat) -> None:
    """Remove the seat and its grant: access ends with the next request."""
    remove_perm(VIEW_CASE, seat.participant.membership.user, seat.case)
    seat.delete()


@transaction.atomic
def unseat_everywhere(participant: Participant) -> int:
    """A revoked participant leaves every table of the cell; a later invitation starts afresh."""
    seats = list(
        Seat.objects.filter(participant=participant).select_related("case", "participant__membership__user")
    )
    for each in seats:
        unseat(each)
    return len(seats)
