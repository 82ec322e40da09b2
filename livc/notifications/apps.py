from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "livc.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from livc.cells.navigation import ALL_ROLES, NavItem, register
        from livc.notifications import waiting

        register(NavItem("notifications:list", _("Notifications"), ALL_ROLES, 1, waiting.SOURCE))

    def seed_demo(self, demo: object) -> None:
        from livc.notifications.demo import seed

        seed(demo)  # type: ignore[arg-type]
