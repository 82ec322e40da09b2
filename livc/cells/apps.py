from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CellsConfig(AppConfig):
    name = "livc.cells"
    label = "cells"
    verbose_name = _("Cells")

    def ready(self) -> None:
        from livc.cells import audit  # noqa: F401  registers the models with auditlog
        from livc.cells.navigation import ALL_ROLES, NavItem, register

        register(NavItem("cells:home", _("Home"), ALL_ROLES, position=0))
