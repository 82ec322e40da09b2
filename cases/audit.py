"""What the audit log records of this app's models (non-personal fields only, never text),
and how the DPO finds every entry about one case."""

from typing import Any

from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from cases.models import (
    Action,
    Addendum,
    AgendaItem,
    Agreement,
    Attendance,
    Case,
    Decision,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    Meeting,
    MinutesDocument,
    Referral,
    Relation,
    Seat,
    Subject,
)

auditlog.register(Subject, include_fields=["declared_minor", "is_minor", "identity_recorded_at"])
auditlog.register(
    Referral, include_fields=["status", "urgency", "minors_involved", "qualified_by", "consulted_officer"]
)
auditlog.register(
    Case, include_fields=["reference", "status", "involves_minor", "review_on", "last_discussed_on"]
)
auditlog.register(Seat, include_fields=["case", "participant", "seated_by"])
auditlog.register(InformationItem, include_fields=["case", "owner", "category", "consent", "withdrawn_at"])
auditlog.register(Relation, include_fields=["case", "kind", "is_minor"])
auditlog.register(InformingEntry, include_fields=["case", "kind", "informed_on", "review_on"])
auditlog.register(IdentityRequest, include_fields=["subject", "status", "decided_by"])
auditlog.register(Meeting, include_fields=["kind", "status", "starts_at", "rules", "finalised_at"])
auditlog.register(AgendaItem, include_fields=["meeting", "position", "kind", "case", "version", "removed_on"])
auditlog.register(Attendance, include_fields=["meeting", "participant", "status", "acknowledged_at"])
auditlog.register(
    Decision, include_fields=["case", "kind", "status", "officer_objects", "passed_on_at", "passed_on_by"]
)
auditlog.register(Agreement, include_fields=["decision", "participant", "agrees"])
auditlog.register(Action, include_fields=["case", "owner", "due_on", "status", "closed_at"])
auditlog.register(Addendum, include_fields=["item", "approved_at_meeting"])
auditlog.register(MinutesDocument, include_fields=["meeting", "recipient", "status"])


def entries_about_case(cell: Any, reference: str) -> Q | None:
    """Every audit entry about the case with this reference and what hangs off it; None if unknown."""
    case = Case.objects.filter(cell=cell, reference=reference.strip()).select_related("referral").first()
    if case is None:
        return None
    models = (Case, Subject, Referral, Seat, InformationItem, Relation, InformingEntry, IdentityRequest)
    ct = ContentType.objects.get_for_models(*models, Decision, Action, AgendaItem)

    def about(model: type, pks: Any) -> Q:
        return Q(content_type=ct[model], object_pk__in=[str(pk) for pk in pks])

    query = about(Case, [case.pk]) | about(Subject, [case.subject_id])
    if case.referral_id:
        query |= about(Referral, [case.referral_id])
    query |= about(Seat, case.seats.values_list("pk", flat=True))
    query |= about(InformationItem, case.items.values_list("pk", flat=True))
    query |= about(Relation, case.relations.values_list("pk", flat=True))
    query |= about(InformingEntry, case.informing_entries.values_list("pk", flat=True))
    query |= about(IdentityRequest, case.subject.identity_requests.values_list("pk", flat=True))
    query |= about(Decision, case.decisions.values_list("pk", flat=True))
    query |= about(Action, case.actions.values_list("pk", flat=True))
    query |= about(AgendaItem, case.agenda_items.values_list("pk", flat=True))
    return query
