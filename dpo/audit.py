"""What the audit log records of this app's own models: non-personal fields only."""

from auditlog.registry import auditlog

from dpo.models import AuditSettings, Breach

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
