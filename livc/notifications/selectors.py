"""Reads of one's own notifications and delivery choices: a person sees only her own, and in a
cell only that cell's (another person's, or another cell's, is not found: 404)."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Role
from livc.notifications.models import DEFAULT_DELIVERY, Notification, NotificationKind, Preference

_AT_THE_TABLE = frozenset({Role.MAYOR, Role.COORDINATOR, Role.INFORMATION_OFFICER, Role.PARTICIPANT})

# Who may receive each kind, by role: the preferences page offers a person the kinds of the roles
# she holds. Meetings and actions are for anyone at the table; a referral is made by any member
# but the DPO.
KIND_ROLES: dict[str, frozenset[str]] = {
    NotificationKind.URGENT_REFERRAL: frozenset({Role.COORDINATOR}),
    NotificationKind.INVITATION_WAITING: frozenset({Role.MAYOR}),
    NotificationKind.AGENDA_PUBLISHED: _AT_THE_TABLE,
    NotificationKind.ACTION_DUE: _AT_THE_TABLE,
    NotificationKind.LTF_FEEDBACK: frozenset({Role.INFORMATION_OFFICER}),
    NotificationKind.BREACH_DEADLINE: frozenset({Role.DPO}),
    NotificationKind.REFERRAL_QUALIFIED: _AT_THE_TABLE,
}


def notification_list(*, user: User, cell: Cell) -> QuerySet[Notification]:
    """The person's notifications in the cell, newest first."""
    return Notification.objects.filter(user=user, cell=cell).order_by("-created_at", "-pk")


def notification_get(*, user: User, cell: Cell, pk: UUID | str) -> Notification:
    notification = Notification.objects.filter(pk=pk, user=user, cell=cell).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


def unread_count(*, user: User, cell: Cell) -> int:
    return Notification.objects.filter(user=user, cell=cell, read_at=None).count()


def relevant_kinds(*, user: User) -> list[str]:
    """The kinds the person may receive, by the roles of her effective memberships, in the
    kinds' order."""
    roles = set(Membership.objects.effective().filter(user=user).values_list("role", flat=True))
    return [kind for kind in NotificationKind.values if KIND_ROLES[kind] & roles]


def deliveries_of(*, user: User) -> dict[str, str]:
    """How each kind reaches the person: her choice, or `DEFAULT_DELIVERY`."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in NotificationKind.values}
