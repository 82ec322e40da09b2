from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "livc.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from livc.audit import audit, receivers  # noqa: F401  registration and signal receivers
        from livc.audit.notices import breach_authority_overdue
        from livc.cells import notices
        from livc.cells.models import Role
        from livc.cells.navigation import NavItem, register

        register(NavItem("audit:home", _("Audit trail"), frozenset({Role.DPO})))
        register(NavItem("audit:breaches", _("Breach register"), frozenset({Role.DPO})))
        notices.register(breach_authority_overdue)
