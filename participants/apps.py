from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from livc.cells import notices
        from livc.cells.models import Role
        from livc.cells.navigation import ALL_ROLES, NavItem, register
        from participants import audit  # noqa: F401  registers the models with auditlog
        from participants.notices import acknowledgement_missing, rules_missing
        from participants.waiting import SOURCES  # noqa: F401  registers what waits for the members

        staff, mayor = frozenset({Role.COORDINATOR, Role.MAYOR}), frozenset({Role.MAYOR})
        register(NavItem("participants:participants", _("Participants"), staff, position=20))
        register(NavItem("participants:invitations", _("Invitations"), staff, position=21))
        register(NavItem("participants:approvals", _("Approvals"), mayor, 22, "participants.approvals"))
        register(NavItem("participants:organisations", _("Organisations"), staff, position=23))
        register(NavItem("participants:rules", _("Rules of procedure"), ALL_ROLES, position=24))
        notices.register(rules_missing)
        notices.register(acknowledgement_missing)

    def seed_demo(self, demo: object) -> None:
        from participants.demo import seed

        seed(demo)  # type: ignore[arg-type]
