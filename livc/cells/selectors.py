"""Reads scoped to a cell and the requesting user."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from livc.accounts.models import User
from livc.cells.models import MEMBER_LIST_ROLES, MINIMUM_COMPOSITION, Cell, Membership


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The user's own effective memberships, for the cell picker."""
    return Membership.objects.effective().filter(user=user).select_related("cell").order_by("cell__name")


def member_list(*, cell: Cell, user: User) -> QuerySet[Membership]:
    """Everyone who holds or held a role in the cell; only for mayor and coordinator."""
    if not Membership.objects.effective().filter(cell=cell, user=user, role__in=MEMBER_LIST_ROLES).exists():
        raise PermissionDenied
    return Membership.objects.filter(cell=cell).select_related("user").order_by("role", "user__name")


def composition_missing(*, cell: Cell) -> list[str]:
    """What the cell lacks of its legal minimum (docs/rules.md, rule 1); empty when complete.

    A mayor (or delegate), a coordinator and an information officer with a valid clearance
    of level secret or higher. An expired clearance does not count.
    """
    present = set(Membership.objects.effective().filter(cell=cell).values_list("role", flat=True))
    return [role for role in MINIMUM_COMPOSITION if role not in present]
