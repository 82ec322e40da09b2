"""Follow-up actions: agreed at the table, owned by one participant, closed with a reason if undone."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from livc.cells.models import Cell, Membership, Role
from livc.cells.notices import figures_changed
from livc.notifications.models import Notification, NotificationKind
from livc.notifications.services import notify
from meetings.models import ACTION_NEEDS_REASON, Action, ActionStatus, AgendaItem
from participants.models import Participant


@transaction.atomic
def action_create(
    *,
    member: Membership,
    case: Case,
    description: str,
    owner: Participant,
    due_on: datetime.date,
    item: AgendaItem | None = None,
) -> Action:
    member.require_role(Role.COORDINATOR)
    if case.cell_id != member.cell_id or owner.cell_id != member.cell_id:
        raise PermissionDenied
    if item is not None and item.meeting.is_locked:
        raise ValidationError(_("The minutes of this meeting are finalised: add a correction instead."))
    errors = {}
    if not description.strip():
        errors["description"] = _("Say what is to be done.")
    if not owner.membership.is_active:
        errors["owner"] = _("This participant no longer has access to the cell.")
    if due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot lie in the past.")
    if errors:
        raise ValidationError(errors)
    figures_changed(member.cell_id)  # the overdue-actions notice counts afresh
    return Action.objects.create(
        cell=member.cell,
        case=case,
        item=item,
        description=description.strip(),
        owner=owner,
        organisation=owner.organisation,
        due_on=due_on,
        created_by=member.user,
    )


@transaction.atomic
def action_close(*, member: Membership, action: Action, status: str, reason: str = "") -> Action:
    """The coordinator or the action's owner records how it ended."""
    action = Action.objects.select_for_update().select_related("owner").get(pk=action.pk, cell=member.cell)
    if member.role != Role.COORDINATOR and action.owner.membership_id != member.pk:
        raise PermissionDenied(_("Only the coordinator and the action's owner close it."))
    if status not in ActionStatus.values or status == ActionStatus.OPEN:
        raise ValidationError({"status": _("Choose done, not possible or not undertaken.")})
    if status in ACTION_NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Say why the action was not possible or not undertaken.")})
    action.status, action.reason, action.closed_at = status, reason.strip(), timezone.now()
    action.save()
    figures_changed(member.cell_id)  # the overdue-actions notice counts afresh
    return action


def actions_due_notify(*, cell: Cell, today: datetime.date) -> int:
    """Tell the owner of each open action of the cell whose due date has come, once per action
    (its due date does not change; the notification's target is the action's id). Returns how
    many actions were told of now."""
    due = list(
        Action.objects.filter(cell=cell, status=ActionStatus.OPEN, due_on__lte=today)
        .select_related("case", "owner__membership__user")
        .order_by("due_on", "created_at")
    )
    told = set(
        Notification.objects.filter(
            cell=cell, kind=NotificationKind.ACTION_DUE, target__in=[str(action.pk) for action in due]
        ).values_list("target", flat=True)
    )
    path = reverse("meetings:actions", kwargs={"cell_slug": cell.slug})
    count = 0
    for action in due:
        if str(action.pk) in told:
            continue
        notify(
            users=[action.owner.membership.user], cell=cell, kind=NotificationKind.ACTION_DUE, path=path,
            reference=action.case.reference, target=str(action.pk),
        )  # fmt: skip
        count += 1
    return count
