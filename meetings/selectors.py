"""Reads of the meetings app, scoped to a cell and the requesting member.

Which agenda items a member may read or attend follows from which cases they may see
(`cases.selectors.case_visible_list`, the one place that decides it): the minutes are split per
case, and a participant reads only the items of cases at whose table they sit
(docs/rules.md, rule 8).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cases.models import Case, CaseStatus, ItemUse
from cases.selectors import case_visible_list, decision_uses
from livc.accounts.models import User
from livc.cells.models import CELL_WIDE_CASE_ROLES, Cell, Membership, Role
from meetings.models import (
    Action,
    ActionStatus,
    Addendum,
    AgendaItem,
    AgendaProposal,
    Agreement,
    Attendance,
    AttendanceStatus,
    Decision,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ProposalStatus,
)
from participants.models import Participant
from participants.selectors import structural


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


def with_item_uses(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions, each with `item_uses`: the items it lists and where each owner's consent
    stands (the cases app's ledger, rule 9), in one query for all of them."""
    decisions = list(decisions)
    uses = decision_uses(decision_ids=[decision.pk for decision in decisions])
    for decision in decisions:
        decision.item_uses = uses.get(decision.pk, [])  # type: ignore[attr-defined]
    return decisions


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
    """Open cases not yet on the agenda, each with whether it is new: never yet discussed at a
    meeting whose minutes were finalised."""
    cases = (
        Case.objects.filter(cell=member.cell, status__in=[CaseStatus.OPEN, CaseStatus.FOLLOW_UP])
        .exclude(agenda_items__meeting=meeting)
        .select_related("subject")
        .order_by("reference")
    )
    return [(case, case.last_discussed_on is None) for case in cases]


# --- The complete minutes, as one reader may see them ---------------------------------------------

_ATTENDANCE_ORDER = {AttendanceStatus.PRESENT: 0, AttendanceStatus.EXCUSED: 1, AttendanceStatus.ABSENT: 2}


@dataclass(frozen=True)
class DecisionMinutes:
    """A decision as the minutes record it. For a decision that needs everyone's agreement:
    who agreed, who did not, and who was present for the item without answering (rule 12)."""

    decision: Decision
    agreed: list[Participant]
    disagreed: list[Participant]
    unanswered: list[Participant]
    uses: list[ItemUse] = field(default_factory=list)  # the items it lists (feedback, informing, sharing)


@dataclass(frozen=True)
class ItemMinutes:
    """One agenda item of the minutes: its number as the reader sees it, its text, its
    corrections, and the decisions and follow-up actions taken about it."""

    number: int
    item: AgendaItem
    addenda: list[Addendum]
    decisions: list[DecisionMinutes]
    actions: list[Action]

    @property
    def approved_addenda(self) -> list[Addendum]:
        return [addendum for addendum in self.addenda if addendum.approved_at_meeting_id is not None]


@dataclass(frozen=True)
class AttendanceMinutes:
    """One participant's attendance, with the numbers of the reader's items they were present for."""

    attendance: Attendance
    participant: Participant
    item_numbers: list[int]


@dataclass(frozen=True)
class MinutesContent:
    meeting: Meeting
    items: list[ItemMinutes]
    attendance: list[AttendanceMinutes]

    @property
    def cases(self) -> list[Case]:
        """The cases these minutes show something of (for the access log)."""
        return cases_of_items(row.item for row in self.items)


def cases_of_items(items: Iterable[AgendaItem]) -> list[Case]:
    """The cases of agenda items whose content is still there (a purged case's item shows none)."""
    return [item.case for item in items if item.case is not None and item.removed_on is None]


def minutes_content(*, member: Membership, meeting: Meeting) -> MinutesContent:
    """The complete minutes as this member may read them (rules 8 and 12).

    Items, their corrections, decisions and actions: only the items of `visible_items`, so a
    participant reads nothing of a case at whose table they do not sit. Attendance is
    meeting-level and shown to every reader of the meeting, but the items someone was present
    for are given only among the reader's own items.
    """
    items = visible_items(member=member, meeting=meeting)
    numbers = {item.pk: number for number, item in enumerate(items, start=1)}
    with_content = [item for item in items if item.removed_on is None]

    addenda: dict[UUID, list[Addendum]] = {}
    for addendum in Addendum.objects.filter(item__in=items).select_related(
        "approved_at_meeting", "created_by"
    ):
        addenda.setdefault(addendum.item_id, []).append(addendum)

    attendances = list(
        Attendance.objects.filter(meeting=meeting).select_related(
            "participant__membership__user", "participant__organisation", "stands_in_for__membership__user"
        )
    )
    attended: dict[int, set[UUID]] = {}
    for attendance_id, item_id in Attendance.items.through.objects.filter(
        attendance__meeting=meeting
    ).values_list("attendance_id", "agendaitem_id"):
        attended.setdefault(attendance_id, set()).add(item_id)
    present_for: dict[UUID, list[Participant]] = {}
    for attendance in attendances:
        if attendance.status == AttendanceStatus.PRESENT:
            for item_id in attended.get(attendance.pk, ()):
                present_for.setdefault(item_id, []).append(attendance.participant)
    # A substitute standing in answers in the representative's place (`present_participants`).
    replaced = {
        a.stands_in_for_id for a in attendances if a.stands_in_for_id and a.status == AttendanceStatus.PRESENT
    }
    present_for = {
        item_id: [p for p in present if p.pk not in replaced] for item_id, present in present_for.items()
    }

    decisions: dict[UUID, list[DecisionMinutes]] = {}
    agreements = Agreement.objects.select_related(
        "participant__membership__user", "participant__organisation"
    )
    taken = list(
        Decision.objects.filter(item__in=with_content)
        .prefetch_related(Prefetch("agreements", queryset=agreements))
        .order_by("recorded_at")
    )
    uses = decision_uses(decision_ids=[decision.pk for decision in taken])
    for decision in taken:
        answers = {agreement.participant_id: agreement for agreement in decision.agreements.all()}
        unanswered = []
        if decision.needs_consensus:
            unanswered = [p for p in present_for.get(decision.item_id, []) if p.pk not in answers]
        decisions.setdefault(decision.item_id, []).append(
            DecisionMinutes(
                decision=decision,
                agreed=_by_name([a.participant for a in answers.values() if a.agrees]),
                disagreed=_by_name([a.participant for a in answers.values() if not a.agrees]),
                unanswered=_by_name(unanswered),
                uses=uses.get(decision.pk, []),
            )
        )

    actions: dict[UUID | None, list[Action]] = {}
    for action in (
        Action.objects.filter(item__in=with_content)
        .select_related("owner__membership__user", "organisation")
        .order_by("due_on", "created_at")
    ):
        actions.setdefault(action.item_id, []).append(action)

    rows = [
        ItemMinutes(
            number=numbers[item.pk],
            item=item,
            addenda=addenda.get(item.pk, []),
            decisions=decisions.get(item.pk, []),
            actions=actions.get(item.pk, []),
        )
        for item in items
    ]
    attendance_rows = [
        AttendanceMinutes(
            attendance=attendance,
            participant=attendance.participant,
            item_numbers=sorted(numbers[pk] for pk in attended.get(attendance.pk, ()) if pk in numbers)
            if attendance.status == AttendanceStatus.PRESENT
            else [],
        )
        for attendance in attendances
    ]
    attendance_rows.sort(
        key=lambda row: (
            _ATTENDANCE_ORDER.get(AttendanceStatus(row.attendance.status), 3),
            row.participant.membership.user.name.casefold(),
        )
    )
    return MinutesContent(meeting=meeting, items=rows, attendance=attendance_rows)


def _by_name(participants: list[Participant]) -> list[Participant]:
    return sorted(participants, key=lambda participant: participant.membership.user.name.casefold())


# --- Who is invited to a meeting ---------------------------------------------------------------


def meeting_invitees(*, meeting: Meeting) -> list[User]:
    """Those invited to a meeting, who get its calendar invitation and may download its `.ics`:
    the cell's mayors, coordinators and information officers; at an operational meeting, the
    participants to whom some case item of its agenda is open (`items_open_to`: the cases at whose
    table they sit); at a strategic meeting, the structural participants (not those invited ad hoc
    for one case, `participants.selectors.structural`). Effective memberships only."""
    members = Membership.objects.effective().filter(cell_id=meeting.cell_id).select_related("user", "cell")
    invited = [member for member in members if member.role in CELL_WIDE_CASE_ROLES]
    at_table = [member for member in members if member.role == Role.PARTICIPANT]
    if meeting.kind == MeetingKind.STRATEGIC:
        profiles = structural(Participant.objects.filter(membership__in=at_table))
        structural_members = set(profiles.values_list("membership_id", flat=True))
        invited += [member for member in at_table if member.pk in structural_members]
    else:
        items = list(meeting.items.select_related("case"))
        invited += [member for member in at_table if _sees_a_case_item(member, meeting, items)]
    return sorted({member.user for member in invited}, key=lambda user: user.pk)


def is_invited(*, member: Membership, meeting: Meeting) -> bool:
    """Whether this (effective) member is among `meeting_invitees`, asked for her alone."""
    if member.role in CELL_WIDE_CASE_ROLES:
        return True
    if member.role != Role.PARTICIPANT:
        return False
    if meeting.kind == MeetingKind.STRATEGIC:
        return structural(Participant.objects.filter(membership=member)).exists()
    return _sees_a_case_item(member, meeting, list(meeting.items.select_related("case")))


def _sees_a_case_item(member: Membership, meeting: Meeting, items: list[AgendaItem]) -> bool:
    open_items = _open_items(member=member, meeting=meeting, items=items)
    return any(item.kind == ItemKind.CASE for item in open_items)


# --- Agenda proposals ----------------------------------------------------------------------------


def proposal_waiting_list(*, member: Membership) -> QuerySet[AgendaProposal]:
    """The proposals of the cell that wait for the coordinator, oldest first."""
    if member.role != Role.COORDINATOR:
        return AgendaProposal.objects.none()
    return (
        AgendaProposal.objects.filter(cell=member.cell, status=ProposalStatus.PROPOSED)
        .select_related("case__subject", "proposed_by")
        .order_by("proposed_at")
    )


@dataclass(frozen=True)
class OwnProposal:
    """One of the member's own proposals; `shown` is False for a case she no longer sees (she left
    its table): then nothing of it but its status and dates is shown, not even her own reason."""

    proposal: AgendaProposal
    shown: bool


def proposal_own_list(*, member: Membership) -> list[OwnProposal]:
    """The member's own proposals in this cell, newest first."""
    proposals = AgendaProposal.objects.filter(cell=member.cell, proposed_by=member.user).select_related(
        "case__subject", "meeting"
    )
    visible = set(
        case_visible_list(member=member)
        .filter(pk__in=proposals.filter(case__isnull=False).values("case_id"))
        .values_list("pk", flat=True)
    )
    return [
        OwnProposal(proposal=proposal, shown=proposal.case_id is None or proposal.case_id in visible)
        for proposal in proposals.order_by("-proposed_at")
    ]


def planned_meeting_list(*, cell: Cell) -> QuerySet[Meeting]:
    """The meetings still to be held (planned, not started or cancelled), soonest first: those whose
    agenda can take a proposal."""
    return Meeting.objects.filter(cell=cell, status=MeetingStatus.PLANNED).order_by("starts_at", "pk")
