"""Reads scoped to a cell (the views have already checked the member's role)."""

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from livc import legal
from livc.accounts.models import User
from livc.caching import remembered
from livc.cells.models import Cell
from livc.http import once_per_request
from livc.legal import Category
from participants.models import (
    ConfidentialityAcknowledgement,
    Invitation,
    InvitationScope,
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


def structural(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """The structural members among `participants`: all but those invited ad hoc, for one case. A
    member whose accepted invitations were all ad hoc is not structural; one with a structural
    invitation, or added without an invitation (by the platform administrator), is."""
    accepted = Invitation.objects.filter(membership=OuterRef("membership"), status=InvitationStatus.ACCEPTED)
    ad_hoc = accepted.filter(scope=InvitationScope.AD_HOC)
    return participants.filter(~Exists(ad_hoc) | Exists(accepted.filter(scope=InvitationScope.STRUCTURAL)))


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


def rules_categories(*, cell: Cell) -> list[Category]:
    """The data categories the rules of procedure in force define (docs/rules.md, rule 10; a cell
    under the federal law only: livc/legal.py). Without rules in force, none."""
    rules = rules_in_force(cell=cell)
    return version_categories(rules) if rules else []


def version_categories(rules: RulesOfProcedure) -> list[Category]:
    """The data categories one version of the rules of procedure defines, in its order."""
    return [
        Category(entry["key"], entry["name"], special=bool(entry.get("special")), purpose=entry["purpose"])
        for entry in rules.data_categories
    ]


def rules_list(*, cell: Cell) -> QuerySet[RulesOfProcedure]:
    return (
        RulesOfProcedure.objects.filter(cell=cell)
        .select_related("drafted_by", "approved_by")
        .order_by("-version")
    )


def has_acknowledged(*, cell: Cell, user: User) -> bool:
    """Acknowledged the current statement under the rules of procedure now in force."""
    rules = rules_in_force(cell=cell)
    version = legal.secrecy_statement(cell).version
    return _acknowledged(
        cell_id=cell.pk, user_id=user.pk, rules_id=rules.pk if rules else None, version=version
    )


def _acknowledged(*, cell_id: int, user_id: int, rules_id: int | None, version: str) -> bool:
    return ConfidentialityAcknowledgement.objects.filter(
        cell_id=cell_id, user_id=user_id, statement_version=version, rules_id=rules_id
    ).exists()


# An acknowledgement, once given, holds for as long as its rules stay in force (rows are never
# changed), so a "yes" may be remembered: under a key that names the rules and the statement, so
# that new rules or a new statement ask again. A "no" is never remembered.
ACKNOWLEDGED_SECONDS = 60 * 60


def _acknowledged_key(cell_id: int, user_id: int, rules_id: int | None, version: str) -> str:
    return f"livc:acknowledged:{cell_id}:{user_id}:{rules_id or '-'}:{version}"


@once_per_request
def request_rules_in_force(request: "CellRequest") -> int | None:
    """The id of the request's cell's rules in force, if any, read once per request (the secrecy
    gate and the notices both need it). Approving a version redirects, so it cannot change
    mid-request. Read on every request, never kept: new rules must ask everyone again at once."""
    return (
        RulesOfProcedure.objects.filter(cell_id=request.cell.pk, status=RulesStatus.IN_FORCE)
        .values_list("pk", flat=True)
        .first()
    )


@once_per_request
def request_has_acknowledged(request: "CellRequest") -> bool:
    """`has_acknowledged` for the requesting member, asked once per request (the page and its
    notices both need it). Acknowledging redirects, so the answer cannot change mid-request."""
    cell_id, user_id, rules_id = request.cell.pk, request.user.pk, request_rules_in_force(request)
    version = legal.secrecy_statement(request.cell).version
    return remembered(
        _acknowledged_key(cell_id, user_id, rules_id, version),
        lambda: _acknowledged(cell_id=cell_id, user_id=user_id, rules_id=rules_id, version=version),
        timeout=ACKNOWLEDGED_SECONDS,
        keep=bool,
    )
