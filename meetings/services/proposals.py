"""Agenda proposals: a member proposes a case she may see, or a policy topic, for a meeting's
agenda with a short reason; she may withdraw it while it waits; the coordinator accepts it onto a
planned meeting's agenda, or declines it with a message.

Accepting goes through the agenda's own services (`agenda_add_case`, `agenda_add_topic`), so that
their rules hold here too: no case on a strategic meeting, no closed case, no case twice on one
agenda, nothing added to a meeting that has started, been finalised or cancelled.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from cases.selectors import case_visible_list
from livc.cells.models import Membership, Role
from meetings.models import AgendaItem, AgendaProposal, Meeting, MeetingStatus, ProposalStatus
from meetings.services.meetings import agenda_add_case, agenda_add_topic

TOPIC_LIMIT = AgendaProposal._meta.get_field("topic").max_length or 200
TEXT_LIMIT = AgendaProposal._meta.get_field("reason").max_length or 1000  # the reason; the message


def _text(value: str, field: str, required: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: required})
    if len(value) > TEXT_LIMIT:
        raise ValidationError({field: _("Keep it to %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    return value


@transaction.atomic
def proposal_submit(
    *, member: Membership, reason: str, case: Case | None = None, topic: str = ""
) -> AgendaProposal:
    """Propose a case the member may see (`case_visible_list`), or a policy topic, with a reason."""
    if member.role == Role.DPO:
        raise PermissionDenied(_("The DPO takes no part in the meetings."))
    if (case is None) == (not topic.strip()):
        raise ValidationError(_("Propose either a case or a topic."))
    reason = _text(reason, "reason", _("Say in a few words why the table should discuss it."))
    if case is None:
        topic = topic.strip()
        if len(topic) > TOPIC_LIMIT:
            raise ValidationError(
                {"topic": _("Keep the topic to %(limit)d characters.") % {"limit": TOPIC_LIMIT}}
            )
        return AgendaProposal.objects.create(
            cell=member.cell, topic=topic, reason=reason, proposed_by=member.user
        )
    if not case_visible_list(member=member).filter(pk=case.pk).exists():
        raise PermissionDenied
    # Locked, so that two members proposing the same case at once make one waiting proposal.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case is not discussed; reopen it first."))
    if AgendaProposal.objects.filter(case=case, status=ProposalStatus.PROPOSED).exists():
        raise ValidationError(_("This case has already been proposed and waits for the coordinator."))
    return AgendaProposal.objects.create(cell=member.cell, case=case, reason=reason, proposed_by=member.user)


def _waiting(proposal: AgendaProposal, member: Membership) -> AgendaProposal:
    """The proposal, locked; refused unless it still waits."""
    locked = AgendaProposal.objects.select_for_update().get(pk=proposal.pk, cell=member.cell)
    if locked.status == ProposalStatus.ACCEPTED:
        raise ValidationError(_("This proposal has already been accepted."))
    if locked.status == ProposalStatus.DECLINED:
        raise ValidationError(_("This proposal has already been declined."))
    if locked.status == ProposalStatus.WITHDRAWN:
        raise ValidationError(_("This proposal was withdrawn by the member who made it."))
    return locked


@transaction.atomic
def proposal_withdraw(*, member: Membership, proposal: AgendaProposal) -> AgendaProposal:
    """The proposer takes back her proposal while it waits."""
    if proposal.proposed_by_id != member.user_id or proposal.cell_id != member.cell_id:
        raise PermissionDenied
    proposal = _waiting(proposal, member)
    proposal.status, proposal.decided_at = ProposalStatus.WITHDRAWN, timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
    return proposal


@transaction.atomic
def proposal_accept(
    *, member: Membership, proposal: AgendaProposal, meeting: Meeting, message: str = ""
) -> AgendaItem:
    """Put the proposal on a planned meeting's agenda: exactly one agenda item."""
    member.require_role(Role.COORDINATOR)
    proposal = _waiting(proposal, member)
    if meeting.cell_id != member.cell_id:
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)  # as it is now, not as the form saw it
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError({"meeting": _("Choose a meeting that is still planned.")})
    message = message.strip()
    if len(message) > TEXT_LIMIT:
        raise ValidationError({"message": _("Keep it to %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    if proposal.case is not None:
        item = agenda_add_case(member=member, meeting=meeting, case=proposal.case)
    else:
        item = agenda_add_topic(member=member, meeting=meeting, topic=proposal.topic)
    proposal.status, proposal.meeting, proposal.message = ProposalStatus.ACCEPTED, meeting, message
    proposal.decided_by, proposal.decided_at = member.user, timezone.now()
    proposal.save(update_fields=["status", "meeting", "message", "decided_by", "decided_at"])
    return item


@transaction.atomic
def proposal_decline(*, member: Membership, proposal: AgendaProposal, message: str) -> AgendaProposal:
    """Decline the proposal, telling the proposer why."""
    member.require_role(Role.COORDINATOR)
    proposal = _waiting(proposal, member)
    proposal.message = _text(message, "message", _("Tell the proposer why it is declined."))
    proposal.status, proposal.decided_by, proposal.decided_at = (
        ProposalStatus.DECLINED,
        member.user,
        timezone.now(),
    )
    proposal.save(update_fields=["status", "message", "decided_by", "decided_at"])
    return proposal
