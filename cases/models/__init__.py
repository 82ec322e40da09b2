from cases.models.action import NEEDS_REASON as ACTION_NEEDS_REASON
from cases.models.action import Action, ActionStatus
from cases.models.case import Case, CaseInvitation, CaseSequence, CaseStatus, Seat
from cases.models.decision import CONSENSUS_KINDS, Agreement, Decision, DecisionKind, DecisionStatus
from cases.models.informing import InformingEntry, InformingKind
from cases.models.item import DataCategory, InformationItem
from cases.models.meeting import (
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
from cases.models.permissions import CaseGroupObjectPermission, CaseUserObjectPermission
from cases.models.referral import Qualification, Referral, ReferralStatus, Urgency
from cases.models.subject import IdentityRequest, Relation, RelationKind, Subject

__all__ = [
    "ACTION_NEEDS_REASON",
    "CONSENSUS_KINDS",
    "Action",
    "ActionStatus",
    "Addendum",
    "AgendaItem",
    "Agreement",
    "Attendance",
    "AttendanceStatus",
    "Case",
    "CaseGroupObjectPermission",
    "CaseInvitation",
    "CaseSequence",
    "CaseStatus",
    "CaseUserObjectPermission",
    "DataCategory",
    "Decision",
    "DecisionKind",
    "DecisionStatus",
    "IdentityRequest",
    "InformationItem",
    "InformingEntry",
    "InformingKind",
    "ItemKind",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "MinutesDocument",
    "Qualification",
    "Referral",
    "ReferralStatus",
    "Relation",
    "RelationKind",
    "Seat",
    "Subject",
    "Urgency",
]
