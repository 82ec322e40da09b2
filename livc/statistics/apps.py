from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "livc.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from livc.cells.navigation import NavItem, register
        from livc.statistics.access import AT_TABLE, READERS_BY_ROLE, menu_shows

        # The mayor and the coordinator; of the others, the strategic table only.
        register(
            NavItem("statistics:report", _("Statistics"), READERS_BY_ROLE | AT_TABLE, 36, shown=menu_shows)
        )

    def seed_demo(self, demo: object) -> None:
        from livc.statistics.demo import seed

        seed(demo)  # type: ignore[arg-type]
