from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from cases import decisions
        from livc.cells import notices
        from livc.cells.models import Role
        from livc.cells.navigation import NavItem, register
        from meetings import (
            audit,  # noqa: F401  registers the models with auditlog
            ledger,
        )
        from meetings.notices import overdue_actions
        from meetings.waiting import SOURCES  # noqa: F401  registers what waits for the members

        at_table = frozenset({Role.MAYOR, Role.COORDINATOR, Role.INFORMATION_OFFICER, Role.PARTICIPANT})
        register(NavItem("meetings:list", _("Meetings"), at_table, position=32))
        register(NavItem("meetings:actions", _("Actions"), at_table, position=33))
        notices.register(overdue_actions)
        decisions.register(facts=ledger.decision_facts, over=ledger.decisions_over)  # the item-use ledger

    def seed_demo(self, demo: object) -> None:
        from meetings.demo import seed

        seed(demo)  # type: ignore[arg-type]
