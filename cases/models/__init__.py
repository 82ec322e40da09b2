from cases.models.case import Case, CaseInvitation, CaseSequence, CaseStatus, Seat
from cases.models.informing import InformingEntry, InformingKind
from cases.models.item import InformationItem
from cases.models.permissions import CaseGroupObjectPermission, CaseUserObjectPermission
from cases.models.referral import Qualification, Referral, ReferralStatus, Urgency
from cases.models.round import Known, KnownToService
from cases.models.subject import IdentityRequest, Relation, RelationKind, Subject
from cases.models.use import ItemUse, UseConsent, UseKind

__all__ = [
    "Case",
    "CaseGroupObjectPermission",
    "CaseInvitation",
    "CaseSequence",
    "CaseStatus",
    "CaseUserObjectPermission",
    "IdentityRequest",
    "InformationItem",
    "InformingEntry",
    "InformingKind",
    "ItemUse",
    "Known",
    "KnownToService",
    "Qualification",
    "Referral",
    "ReferralStatus",
    "Relation",
    "RelationKind",
    "Seat",
    "Subject",
    "Urgency",
    "UseConsent",
    "UseKind",
]
