"""What the DPO console asks of the apps below it: the cell's organisations, who acts for
each, and which audit entries are about one case and what hangs off it."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from cases.models import (
    Case,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    Referral,
    Relation,
    Seat,
    Subject,
)
from livc.cells.models import Cell
from meetings.models import Action, AgendaItem, Decision
from participants.models import Organisation, Participant


def organisation_choices(cell: Cell) -> list[tuple[str, str]]:
    return [(str(o.pk), o.name) for o in Organisation.objects.filter(cell=cell).order_by("name")]


def organisation_user_ids(cell: Cell, key: str) -> list[int]:
    """The users who act for organisation `key` in the cell."""
    if not key.isdigit():
        return []
    seats = Participant.objects.filter(cell=cell, organisation_id=int(key))
    return list(seats.values_list("membership__user_id", flat=True))


def organisation_names(cell: Cell, user_ids: list[int]) -> dict[int, str]:
    """{user id: organisation name} for the given users of the cell; users without one are missing."""
    seats = Participant.objects.filter(cell=cell, membership__user_id__in=user_ids)
    return dict(seats.values_list("membership__user_id", "organisation__name"))


def entries_about_case(cell: Cell, reference: str) -> Q | None:
    """Every audit entry about the case with this reference and what hangs off it; None if unknown."""
    case = Case.objects.filter(cell=cell, reference=reference.strip()).select_related("referral").first()
    if case is None:
        return None
    models = (Case, Subject, Referral, Seat, InformationItem, Relation, InformingEntry, IdentityRequest)
    ct = ContentType.objects.get_for_models(*models, Decision, Action, AgendaItem)

    def about(model: type, pks: Any) -> Q:
        return Q(content_type=ct[model], object_pk__in=[str(pk) for pk in pks])

    query = about(Case, [case.pk]) | about(Subject, [case.subject_id])
    if case.referral_id:
        query |= about(Referral, [case.referral_id])
    query |= about(Seat, case.seats.values_list("pk", flat=True))
    query |= about(InformationItem, case.items.values_list("pk", flat=True))
    query |= about(Relation, case.relations.values_list("pk", flat=True))
    query |= about(InformingEntry, case.informing_entries.values_list("pk", flat=True))
    query |= about(IdentityRequest, case.subject.identity_requests.values_list("pk", flat=True))
    query |= about(Decision, case.decisions.values_list("pk", flat=True))
    query |= about(Action, case.actions.values_list("pk", flat=True))
    query |= about(AgendaItem, case.agenda_items.values_list("pk", flat=True))
    return query
