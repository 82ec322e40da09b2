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

        staff = frozenset({Role.COORDINATOR, Role.MAYOR})
        register(NavItem("participants:participants", _("Participants"), staff))
        register(NavItem("participants:invitations", _("Invitations"), staff))
        register(NavItem("participants:approvals", _("Approvals"), frozenset({Role.MAYOR})))
        register(NavItem("participants:organisations", _("Organisations"), staff))
        register(NavItem("participants:rules", _("Rules of procedure"), ALL_ROLES))
        notices.register(rules_missing)
        notices.register(acknowledgement_missing)
        self._plug_into_the_audit_console()

    def _plug_into_the_audit_console(self) -> None:
        """The DPO filters the log by organisation and sees each person's organisation."""
        from livc.audit import hooks
        from livc.cells.models import Cell
        from participants.models import Organisation, Participant

        def choices(cell: "Cell") -> list[tuple[str, str]]:
            return [(str(o.pk), o.name) for o in Organisation.objects.filter(cell=cell).order_by("name")]

        def user_ids(cell: "Cell", key: str) -> list[int]:
            if not key.isdigit():
                return []
            seats = Participant.objects.filter(cell=cell, organisation_id=int(key))
            return list(seats.values_list("membership__user_id", flat=True))

        def names_for_users(cell: "Cell", ids: list[int]) -> dict[int, str]:
            seats = Participant.objects.filter(cell=cell, membership__user_id__in=ids)
            return dict(seats.values_list("membership__user_id", "organisation__name"))

        hooks.register_organisations(hooks.OrganisationProvider(choices, user_ids, names_for_users))

    def seed_demo(self, demo: object) -> None:
        from participants.demo import seed

        seed(demo)  # type: ignore[arg-type]
