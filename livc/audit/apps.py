from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "livc.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from livc.audit import receivers  # noqa: F401  signal receivers
