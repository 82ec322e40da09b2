"""What the audit log records of this app's models: non-personal fields only, never text."""

from auditlog.registry import auditlog

from meetings.models import (
    Action,
    Addendum,
    AgendaItem,
    AgendaProposal,
    Agreement,
    Attendance,
    Decision,
    Meeting,
    MinutesDocument,
)

auditlog.register(
    Meeting,
    include_fields=[
        "kind", "status", "starts_at", "rules", "finalised_at", "cancelled_at", "agenda_published_at",
    ],
)  # fmt: skip
auditlog.register(AgendaItem, include_fields=["meeting", "position", "kind", "case", "version", "removed_on"])
auditlog.register(Attendance, include_fields=["meeting", "participant", "status", "acknowledged_at"])
auditlog.register(
    Decision, include_fields=["case", "kind", "status", "officer_objects", "passed_on_at", "passed_on_by"]
)
auditlog.register(Agreement, include_fields=["decision", "participant", "agrees"])
auditlog.register(Action, include_fields=["case", "owner", "due_on", "status", "closed_at"])
auditlog.register(Addendum, include_fields=["item", "approved_at_meeting"])
auditlog.register(MinutesDocument, include_fields=["meeting", "recipient", "status"])
# Neither the reason nor the coordinator's message.
auditlog.register(AgendaProposal, include_fields=["case", "status", "meeting", "decided_by"])
