from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import audit  # noqa: F401  registers the models with auditlog
        from cases.receivers import clear_seats_of_revoked, seat_ad_hoc_invitee
        from livc.cells.models import Role
        from livc.cells.navigation import NavItem, register
        from participants.services import invitation_accepted, participant_revoked

        at_table = frozenset({Role.MAYOR, Role.COORDINATOR, Role.INFORMATION_OFFICER, Role.PARTICIPANT})
        register(NavItem("cases:list", _("Cases"), at_table))
        register(NavItem("cases:referrals", _("Referrals"), at_table))
        register(NavItem("meetings:list", _("Meetings"), at_table))
        register(NavItem("meetings:actions", _("Actions"), at_table))
        register(
            NavItem(
                "cases:identity_requests", _("Identity requests"), frozenset({Role.COORDINATOR, Role.MAYOR})
            )
        )
        from cases.audit import entries_about_case
        from livc.audit import hooks

        hooks.register_case_reference(hooks.CaseReferenceProvider(entries_filter=entries_about_case))
        from cases.notices import overdue_actions
        from livc.cells import notices

        notices.register(overdue_actions)
        invitation_accepted.connect(seat_ad_hoc_invitee, dispatch_uid="cases.seat_ad_hoc_invitee")
        participant_revoked.connect(clear_seats_of_revoked, dispatch_uid="cases.clear_seats_of_revoked")

    def seed_demo(self, demo: object) -> None:
        from cases.demo import seed

        seed(demo)  # type: ignore[arg-type]
