from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from cases import agendas as case_agendas
        from cases import decisions
        from cases import panels as case_panels
        from livc.cells import notices
        from livc.cells.models import Role
        from livc.cells.navigation import NavItem, register
        from livc.notifications import attachments
        from livc.notifications.models import NotificationKind
        from livc.statistics import access as statistics_access
        from livc.statistics import categories
        from livc.statistics.models import StatKind
        from meetings import (
            agendas,
            audit,  # noqa: F401  registers the models with auditlog
            ledger,
        )
        from meetings.calendar import calendar_attachment
        from meetings.models import MeetingKind
        from meetings.notices import overdue_actions
        from meetings.panels import agenda_panel
        from meetings.receivers import connect as connect_stand_ins
        from meetings.statistics import at_strategic_table as strategic_table
        from meetings.waiting import SOURCES  # noqa: F401  registers what waits for the members

        at_table = frozenset({Role.MAYOR, Role.COORDINATOR, Role.INFORMATION_OFFICER, Role.PARTICIPANT})
        register(NavItem("meetings:list", _("Meetings"), at_table, position=32))
        register(NavItem("meetings:actions", _("Actions"), at_table, position=33))
        coordinator = frozenset({Role.COORDINATOR})
        register(NavItem("meetings:proposals", _("Agenda proposals"), coordinator, 34, "meetings.proposals"))
        notices.register(overdue_actions)
        case_panels.register(agenda_panel)  # "propose it for a meeting's agenda" on every case page
        attachments.register(NotificationKind.AGENDA_PUBLISHED, calendar_attachment)  # the invitation's .ics
        connect_stand_ins()  # a substitute standing in: her access follows seats and revocations
        decisions.register(facts=ledger.decision_facts, over=ledger.decisions_over)  # the item-use ledger
        case_agendas.register(choices=agendas.meeting_choices, cases_on=agendas.cases_on_agenda)  # the search
        categories.register(StatKind.MEETING_HELD, MeetingKind.choices)  # the statistics count per table
        statistics_access.register(strategic_table)  # the strategic table reads the statistics

    def seed_demo(self, demo: object) -> None:
        from meetings.demo import seed

        seed(demo)  # type: ignore[arg-type]
