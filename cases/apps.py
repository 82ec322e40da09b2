from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import (
            audit,  # noqa: F401  registers the models with auditlog
            notifications,
        )
        from cases.receivers import clear_seats_of_revoked, seat_ad_hoc_invitee
        from cases.services.search import PERSON_SEARCHED, PERSON_SEARCHED_LABEL
        from cases.services.statistics import register_categories
        from cases.waiting import SOURCES  # noqa: F401  registers what waits for the members
        from livc.audit.events import register_kind
        from livc.cells.models import Role
        from livc.cells.navigation import NavItem, register
        from participants.signals import invitation_accepted, participant_revoked

        at_table = frozenset({Role.MAYOR, Role.COORDINATOR, Role.INFORMATION_OFFICER, Role.PARTICIPANT})
        register(NavItem("cases:list", _("Cases"), at_table, position=30))
        register(NavItem("cases:search", _("Search cases"), at_table, position=30))  # after "Cases"
        register(NavItem("cases:referrals", _("Referrals"), at_table, position=31))
        identity_deciders = frozenset({Role.COORDINATOR, Role.MAYOR})
        register(NavItem("cases:identity_requests", _("Identity requests"), identity_deciders, position=34))
        invitation_accepted.connect(seat_ad_hoc_invitee, dispatch_uid="cases.seat_ad_hoc_invitee")
        participant_revoked.connect(clear_seats_of_revoked, dispatch_uid="cases.clear_seats_of_revoked")
        register_kind(PERSON_SEARCHED, PERSON_SEARCHED_LABEL)
        register_categories()  # the referrals' categories in the statistics
        notifications.register()  # the outcome of a referral, told to the referrer

    def seed_demo(self, demo: object) -> None:
        from cases.demo import seed

        seed(demo)  # type: ignore[arg-type]
