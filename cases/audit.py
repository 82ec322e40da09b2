"""What the audit log records of this app's models (non-personal fields only, never text)."""

from auditlog.registry import auditlog

from cases.models import (
    Case,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    ItemUse,
    KnownToService,
    Referral,
    Relation,
    Seat,
    Subject,
)

auditlog.register(
    Subject, include_fields=["declared_minor", "is_minor", "identity_recorded_at", "reveal_approved_at"]
)
auditlog.register(
    Referral, include_fields=["status", "urgency", "minors_involved", "qualified_by", "consulted_officer"]
)
auditlog.register(
    Case, include_fields=["reference", "status", "involves_minor", "review_on", "last_discussed_on"]
)
auditlog.register(Seat, include_fields=["case", "participant", "seated_by"])
auditlog.register(InformationItem, include_fields=["case", "owner", "category", "consent", "withdrawn_at"])
auditlog.register(Relation, include_fields=["case", "kind", "is_minor"])
auditlog.register(
    InformingEntry, include_fields=["case", "kind", "decision_id", "decided_on", "informed_on", "review_on"]
)
auditlog.register(IdentityRequest, include_fields=["subject", "status", "decided_by"])
# The round: who answered for which case and when; never the answer (personal data, encrypted).
auditlog.register(KnownToService, include_fields=["case", "participant", "answered_at"])
auditlog.register(
    ItemUse,
    include_fields=[
        "item",
        "kind",
        "decision_id",
        "consent",
        "consent_at",
        "carried_out_at",
        "carried_out_by",
    ],
)
