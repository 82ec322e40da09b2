from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.core import checks

        from cases import panels
        from livc.cells import notices
        from livc.cells.models import Role
        from livc.cells.navigation import NavItem, register
        from retention.checks import retention_defaults
        from retention.hooks import retention_panel, upcoming_purges
        from retention.models import RetentionSettings
        from retention.waiting import SOURCES  # noqa: F401  registers what waits for the members

        auditlog.register(RetentionSettings, include_fields=["not_retained_days", "warning_days"])
        checks.register(retention_defaults)
        panels.register(retention_panel)
        notices.register(upcoming_purges)
        register(NavItem("retention:upcoming", _("Retention"), frozenset({Role.COORDINATOR}), position=40))
