from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DpoConfig(AppConfig):
    name = "dpo"
    verbose_name = _("Data protection officer")

    def ready(self) -> None:
        from dpo import audit  # noqa: F401  registers the models with auditlog
        from dpo.access_requests import EVENT_KINDS as ACCESS_REQUEST_EVENTS
        from dpo.notices import breach_authority_overdue
        from dpo.services import BREACH_REPORTED
        from dpo.waiting import SOURCES  # noqa: F401  registers what waits for the members
        from livc.audit.events import register_kind
        from livc.cells import notices
        from livc.cells.models import Role
        from livc.cells.navigation import ALL_ROLES, NavItem, register

        dpo = frozenset({Role.DPO})
        register(NavItem("audit:home", _("Audit trail"), dpo, position=10))
        register(NavItem("audit:breaches", _("Breach register"), dpo, 11, "dpo.reported"))
        register(NavItem("audit:access_requests", _("Access requests"), dpo, 12, "dpo.access_requests"))
        register(NavItem("audit:retention_report", _("Retention"), dpo, position=40))
        register(NavItem("audit:breach_report", _("Report a data breach"), ALL_ROLES, position=90))
        notices.register(breach_authority_overdue)
        register_kind(BREACH_REPORTED, _("breach reported"))
        for code, label in ACCESS_REQUEST_EVENTS.items():
            register_kind(code, label)

    def seed_demo(self, demo: object) -> None:
        from dpo.demo import seed

        seed(demo)  # type: ignore[arg-type]
