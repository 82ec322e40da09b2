"""Reads of the meetings app, scoped to a cell and the requesting member.

Which agenda items a member may read or attend follows from which cases they may see
(`cases.selectors.case_visible_list`, the one place that decides it): the minutes are split per
case, and a participant reads only the items of cases at whose table they sit
(docs/rules.md, rule 8).
"""

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.selectors import case_visible_list
from livc.cells.models import CELL_WIDE_CASE_ROLES, Membership, Role
from meetings.models import Action, ActionStatus, AgendaItem, ItemKind, Meeting, MeetingStatus
from participants.models import Participant


def _open_items(*, member: Membership, meeting: Meeting, items: list[AgendaItem]) -> list[AgendaItem]:
    """Every item for the roles that see every case; otherwise topics, the actions review and the
    items of cases the member may see."""
    if member.role in CELL_WIDE_CASE_ROLES:
        return items
    visible = set(
        case_visible_list(member=member).filter(agenda_items__meeting=meeting).values_list("pk", flat=True)
    )
    return [item for item in items if item.kind != ItemKind.CASE or item.case_id in visible]


def meeting_list(*, member: Membership) -> QuerySet[Meeting]:
    if member.role == Role.DPO:
        return Meeting.objects.none()
    return Meeting.objects.filter(cell=member.cell).select_related("rules").order_by("-starts_at")


def visible_items(*, member: Membership, meeting: Meeting) -> list[AgendaItem]:
    """The items a member may read: all for the core roles; otherwise topics, the actions
    review, the items of cases at whose table they sit (rule 8), and items erased under the
    retention rule (they hold nothing but the date: the minutes keep their structure)."""
    items = list(meeting.items.select_related("case__subject").order_by("position"))
    open_pks = {item.pk for item in _open_items(member=member, meeting=meeting, items=items)}
    return [item for item in items if item.pk in open_pks or item.removed_on is not None]


def items_open_to(*, participant: Participant, meeting: Meeting) -> list[AgendaItem]:
    """The items a participant may attend (an ad hoc invitee: their one case's items only)."""
    items = list(meeting.items.select_related("case"))
    return _open_items(member=participant.membership, meeting=meeting, items=items)


def open_action_list(*, member: Membership, case: Case | None = None) -> QuerySet[Action]:
    """Open actions of the cases the member may see, overdue first."""
    actions = Action.objects.filter(
        cell=member.cell, status=ActionStatus.OPEN, case__in=case_visible_list(member=member)
    )
    if case is not None:
        actions = actions.filter(case=case)
    return actions.select_related("case__subject", "owner__membership__user", "organisation").order_by(
        "due_on"
    )


def overdue_action_count(*, member: Membership) -> int:
    """Overdue actions for the dashboard: all of the cell for the coordinator, one's own otherwise."""
    overdue = Action.objects.filter(
        cell=member.cell, status=ActionStatus.OPEN, due_on__lt=timezone.localdate()
    )
    if member.role == Role.COORDINATOR:
        return overdue.count()
    return overdue.filter(owner__membership=member).count()


def agenda_candidates(*, member: Membership, meeting: Meeting) -> list[tuple[Case, bool]]:
    """Open cases not yet on the agenda, each with whether it is new since the last meeting."""
    last = (
        Meeting.objects.filter(cell=member.cell, status=MeetingStatus.FINALISED)
        .exclude(pk=meeting.pk)
        .first()
    )
    cases = (
        Case.objects.filter(cell=member.cell, status__in=[CaseStatus.OPEN, CaseStatus.FOLLOW_UP])
        .exclude(agenda_items__meeting=meeting)
        .select_related("subject")
        .order_by("reference")
    )
    return [(case, last is None or case.opened_at > last.starts_at) for case in cases]
