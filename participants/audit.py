"""What the audit log records of this app's models: non-personal fields only."""

from auditlog.registry import auditlog

from participants.models import (
    ConfidentialityAcknowledgement,
    Invitation,
    Organisation,
    Participant,
    RulesOfProcedure,
)

auditlog.register(Organisation, include_fields=["name", "type"])
auditlog.register(
    Participant,
    include_fields=[
        "membership",
        "organisation",
        "function",
        "kind",
        "is_fixed_representative",
        "substitute",
    ],
)
auditlog.register(
    Invitation, include_fields=["status", "scope", "organisation", "kind", "as_fixed_representative"]
)
auditlog.register(RulesOfProcedure, include_fields=["version", "status", "approved_by"])
auditlog.register(ConfidentialityAcknowledgement, include_fields=["user", "statement_version", "rules"])
