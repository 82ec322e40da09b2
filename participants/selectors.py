"""Reads scoped to a cell (the views have already checked the member's role)."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from livc.accounts.models import User
from livc.cells.models import Cell
from livc.http import once_per_request
from participants.models import (
    CONFIDENTIALITY_STATEMENT_VERSION,
    ConfidentialityAcknowledgement,
    Invitation,
    InvitationStatus,
    Organisation,
    Participant,
    RulesOfProcedure,
    RulesStatus,
)

if TYPE_CHECKING:
    from livc.http import CellRequest


def organisation_list(*, cell: Cell) -> QuerySet[Organisation]:
    return Organisation.objects.filter(cell=cell).order_by("name")


def participant_list(*, cell: Cell, active: bool | None = True) -> QuerySet[Participant]:
    participants = Participant.objects.filter(cell=cell).select_related(
        "membership__user", "organisation", "substitute__membership__user"
    )
    if active is not None:
        participants = participants.filter(membership__is_active=active)
    return participants.order_by("organisation__name", "membership__user__name")


def invitation_list(*, cell: Cell, status: str | None = None) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(cell=cell).select_related("organisation", "proposed_by")
    if status:
        invitations = invitations.filter(status=status)
    return invitations.order_by("-created_at")


def invitation_counts(*, cell: Cell) -> dict[str, int]:
    counts = dict.fromkeys(InvitationStatus.values, 0)
    for status in Invitation.objects.filter(cell=cell).values_list("status", flat=True):
        counts[status] += 1
    return counts


def pending_approval_list(*, cell: Cell) -> QuerySet[Invitation]:
    return invitation_list(cell=cell, status=InvitationStatus.PENDING).order_by("created_at")


def rules_in_force(*, cell: Cell) -> RulesOfProcedure | None:
    return RulesOfProcedure.objects.filter(cell=cell, status=RulesStatus.IN_FORCE).first()


def rules_list(*, cell: Cell) -> QuerySet[RulesOfProcedure]:
    return (
        RulesOfProcedure.objects.filter(cell=cell)
        .select_related("drafted_by", "approved_by")
        .order_by("-version")
    )


def has_acknowledged(*, cell: Cell, user: User) -> bool:
    """Acknowledged the current statement under the rules of procedure now in force."""
    return _acknowledged(cell=cell, user=user, rules=rules_in_force(cell=cell))


def _acknowledged(*, cell: Cell, user: User, rules: RulesOfProcedure | None) -> bool:
    return ConfidentialityAcknowledgement.objects.filter(
        cell=cell, user=user, statement_version=CONFIDENTIALITY_STATEMENT_VERSION, rules=rules
    ).exists()


@once_per_request
def request_rules_in_force(request: "CellRequest") -> RulesOfProcedure | None:
    """`rules_in_force` for the request's cell, read once per request (the secrecy gate and the
    notices both need it). Approving a version redirects, so it cannot change mid-request."""
    return rules_in_force(cell=request.cell)


@once_per_request
def request_has_acknowledged(request: "CellRequest") -> bool:
    """`has_acknowledged` for the requesting member, asked once per request (the page and its
    notices both need it). Acknowledging redirects, so the answer cannot change mid-request."""
    return _acknowledged(cell=request.cell, user=request.user, rules=request_rules_in_force(request))
