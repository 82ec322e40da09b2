"""What the audit log records of this app's models: non-personal fields only."""

from auditlog.registry import auditlog

from livc.cells.models import Cell, Membership, Municipality

auditlog.register(Municipality, include_fields=["nis_code"])
auditlog.register(Cell, include_fields=["name", "slug"], m2m_fields={"municipalities"})
auditlog.register(
    Membership,
    include_fields=["cell", "user", "role", "is_active", "clearance_level", "clearance_expires_on"],
)
