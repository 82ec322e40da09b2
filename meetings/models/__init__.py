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

__all__ = [
    "ACTION_NEEDS_REASON",
    "CONSENSUS_KINDS",
    "ITEM_USE_KINDS",
    "ONCE_PER_ITEM_KINDS",
    "Action",
    "ActionStatus",
    "Addendum",
    "AgendaItem",
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
]
