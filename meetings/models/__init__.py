from meetings.models.action import NEEDS_REASON as ACTION_NEEDS_REASON
from meetings.models.action import Action, ActionStatus
from meetings.models.decision import (
    CONSENSUS_KINDS,
    ITEM_USE_KINDS,
    ONCE_PER_ITEM_KINDS,
    Agreement,
    Decision,
    DecisionKind,
    DecisionStatus,
)
from meetings.models.meeting import (
    Addendum,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesDocument,
)
from meetings.models.proposal import AgendaProposal, ProposalStatus
from meetings.models.stand_in import StandIn

__all__ = [
    "ACTION_NEEDS_REASON",
    "CONSENSUS_KINDS",
    "ITEM_USE_KINDS",
    "ONCE_PER_ITEM_KINDS",
    "Action",
    "ActionStatus",
    "Addendum",
    "AgendaItem",
    "AgendaProposal",
    "Agreement",
    "Attendance",
    "AttendanceStatus",
    "Decision",
    "DecisionKind",
    "DecisionStatus",
    "ItemKind",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "MinutesDocument",
    "ProposalStatus",
    "StandIn",
]
