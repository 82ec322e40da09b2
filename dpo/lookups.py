"""What the DPO console asks of the apps below it: the cell's organisations, who acts for
each, which audit entries are about one case and what hangs off it, the cases' references and
the pages' titles."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Case,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    ItemUse,
    Referral,
    Relation,
    Seat,
    Subject,
)
from livc.audit.models import AccessedCase
from livc.cells import navigation
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
    models = (
        Case,
        Subject,
        Referral,
        Seat,
        InformationItem,
        Relation,
        InformingEntry,
        IdentityRequest,
        ItemUse,
    )
    ct = ContentType.objects.get_for_models(*models, Decision, Action, AgendaItem)

    def about(model: type, pks: Any) -> Q:
        # The cell in each alternative lets PostgreSQL read each from the index (cell, type, id).
        return Q(cell=cell, content_type=ct[model], object_pk__in=[str(pk) for pk in pks])

    query = about(Case, [case.pk]) | about(Subject, [case.subject_id])
    if case.referral_id:
        query |= about(Referral, [case.referral_id])
    query |= about(Seat, case.seats.values_list("pk", flat=True))
    query |= about(InformationItem, case.items.values_list("pk", flat=True))
    query |= about(ItemUse, ItemUse.objects.filter(item__case=case).values_list("pk", flat=True))
    query |= about(Relation, case.relations.values_list("pk", flat=True))
    query |= about(InformingEntry, case.informing_entries.values_list("pk", flat=True))
    query |= about(IdentityRequest, case.subject.identity_requests.values_list("pk", flat=True))
    query |= about(Decision, case.decisions.values_list("pk", flat=True))
    query |= about(Action, case.actions.values_list("pk", flat=True))
    query |= about(AgendaItem, case.agenda_items.values_list("pk", flat=True))
    return query | entries_showing_case(cell, case.pk)


def entries_showing_case(cell: Cell, case_pk: Any) -> Q:
    """The access entries whose response showed the case's content: a list, the minutes, a PDF,
    the chairing screen... (`livc/audit/access.py::record_access`'s `cases`)."""
    shown = AccessedCase.objects.filter(cell=cell, case_pk=str(case_pk)).values("entry_id")
    if connection.vendor != "postgresql":
        return Q(pk__in=shown)
    return Q(_AnyOf(F("pk"), Subquery(shown)))


class _AnyOf(Func):
    """`id = ANY(ARRAY(SELECT ...))`: unlike `id IN (SELECT ...)`, an alternative of an OR that
    PostgreSQL reads from the primary key's index (the subquery runs once), so that the entries
    about a case are found through indexes, not by reading the cell's whole log."""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = BooleanField()


def entries_about_object(cell: Cell, content_type_id: int, object_pk: str) -> Q:
    """The entries about one object; for a case, also every access that showed it."""
    query = Q(cell=cell, content_type_id=content_type_id, object_pk=object_pk)
    if content_type_id == ContentType.objects.get_for_model(Case).pk:
        query |= entries_showing_case(cell, object_pk)
    return query


def case_references(cell: Cell, pks: Iterable[str]) -> dict[str, str]:
    """{case id as logged: reference} for the cell's cases among `pks`, in one query; a purged
    case, whose row is gone, is missing."""
    ids = set()
    for pk in pks:
        try:
            ids.add(uuid.UUID(str(pk)))
        except ValueError:
            continue
    if not ids:
        return {}
    rows = Case.objects.filter(cell=cell, pk__in=ids).values_list("pk", "reference")
    return {str(pk): reference for pk, reference in rows}


# The title of each page that logs an access, by URL name, for the pages the menu does not name
# (the menu's entries lend theirs: `page_title`). A page missing here shows its URL name.
PAGE_TITLES: dict[str, str | Promise] = {
    "participants:participant_edit": _("Participant"),
    "participants:invitation_detail": _("Invitation"),
    "cases:detail": _("Case"),
    "cases:table": _("Case table"),
    "cases:close": _("Closing a case (confirmation)"),
    "cases:unseat": _("Removing someone from a case table (confirmation)"),
    "cases:item_withdraw": _("Withdrawing information (confirmation)"),
    "cases:relation_delete": _("Removing a relation (confirmation)"),
    "cases:identity": _("Identity of the person"),
    "cases:identity_request": _("Requesting a minor's identity"),
    "cases:item_new": _("Adding information to a case"),
    "cases:relation_new": _("Adding a relation"),
    "cases:invite": _("Ad hoc invitation for one case"),
    "cases:informing": _("Informing register"),
    "cases:my_item_uses": _("Your information: where it went"),
    "cases:known_to_service": _("Known to your service?"),
    "cases:referral_detail": _("Referral"),
    "cases:referral_qualify": _("Qualify a referral"),
    "cases:referral_identity": _("Identity in the referral"),
    "meetings:detail": _("Meeting"),
    "meetings:minutes": _("Minutes"),
    "meetings:run": _("Chairing the meeting"),
    "meetings:item": _("Agenda item at the meeting"),
    "meetings:minutes_save": _("Saving the minutes while chairing"),
    "meetings:decision_new": _("Recording a decision while chairing"),
    "meetings:action_new": _("Recording an action while chairing"),
    "meetings:pdf": _("Minutes PDF"),
    "meetings:propose_case": _("Proposing a case for a meeting's agenda"),
    "meetings:my_proposals": _("Your agenda proposals"),
    "meetings:proposal_decide": _("Deciding an agenda proposal"),
    "audit:home": _("Audit trail"),
    "audit:log": _("Access log"),
    "audit:log_csv": _("Access log (CSV export)"),
    "audit:log_pdf": _("Access log (PDF export)"),
    "audit:user_accesses": _("Accesses by one user"),
    "audit:object_accesses": _("Accesses to one object"),
    "audit:minutes_copy": _("Whose copy is this"),
    "audit:item_uses": _("Where information went"),
    "audit:people": _("Authorised persons"),
    "audit:people_pdf": _("Authorised persons (PDF export)"),
    "audit:unusual": _("Unusual access"),
    "audit:breach": _("Breach"),
    "audit:breach_edit": _("Change a breach"),
    "audit:access_request": _("Request for access"),
    "audit:access_request_extend": _("Extending the deadline of a request for access"),
    "audit:access_letter": _("Answer letter to a request for access (PDF)"),
    "audit:access_questions": _("Questions about a request for access"),
    "audit:access_question_answer": _("Answering a question about a request for access"),
}


def page_titles() -> dict[str, str | Promise]:
    """{URL name: page title}: the menu's labels, then the titles above."""
    titles: dict[str, str | Promise] = {item.url_name: item.label for item in navigation.all_items()}
    titles.update(PAGE_TITLES)
    return titles
