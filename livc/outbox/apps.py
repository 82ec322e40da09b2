from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "livc.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from livc.outbox import tasks  # noqa: F401  registers run_message, which the relay hands over
