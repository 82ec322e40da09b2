"""What the audit log records of this app's own models: non-personal fields only."""

from auditlog.registry import auditlog

from dpo.models import AccessRequest, AuditSettings, Breach, ExceptionQuestion

# The breach's free text may describe people: only dates, the authority and the version are
# logged; an edit's entry lists the names of the fields it changed (`get_additional_data`).
auditlog.register(
    Breach,
    include_fields=[
        "number",
        "discovered_at",
        "authority",
        "authority_informed_at",
        "subjects_informed_at",
        "version",
    ],
)
auditlog.register(AuditSettings, include_fields=list(AuditSettings.THRESHOLD_FIELDS))

# The register of subject-access requests: its line is content-free; a question is logged by whom
# it asked and what it answered (applies, ground), never its reason. Who asked for access (the
# details) is not logged: each step is an event (`dpo/access_requests.py`).
auditlog.register(
    AccessRequest,
    include_fields=["number", "received_on", "due_on", "extended_to", "status", "outcome", "answered_on"],
)
auditlog.register(
    ExceptionQuestion, include_fields=["details", "item", "asked", "applies", "ground", "answered_at"]
)
