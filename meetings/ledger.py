"""What the item-use ledger may know of the decisions that ask for uses (`cases/decisions.py`):
the day of the meeting at which each was put to the table, and whether it is over.

A decision is over when nothing more of it can be carried out: the table refused it, or it
decided to inform the person and the informing register has moved past that decision (the
person was informed, or informing was deferred). Feedback to the Local Taskforce that is valid
stays open: an item whose owner consents later is passed on then. Registered in
`MeetingsConfig.ready()`.
"""

import uuid
from collections.abc import Collection
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.decisions import DecisionFacts
from cases.models import InformingEntry, InformingKind
from livc.cells.models import Cell
from meetings.models import Decision, DecisionKind, DecisionStatus

REFUSED = _("The table did not take this decision.")
INFORMING_OVER = _("Informing the person is over: it was done, or deferred.")


def _still_to_inform() -> Exists:
    """The outer decision to inform the person is where the informing register stands: its
    "to be informed" entry is the case's latest (`cases/services/informing.py`)."""
    later = InformingEntry.objects.filter(case=OuterRef("case"), recorded_at__gt=OuterRef("recorded_at"))
    return Exists(
        InformingEntry.objects.filter(decision_id=OuterRef("pk"), kind=InformingKind.DECIDED).exclude(
            Exists(later)
        )
    )


def _over(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    informing_done = Q(kind=DecisionKind.INFORM_SUBJECT, status=DecisionStatus.VALID) & ~_still_to_inform()
    return decisions.filter(Q(status=DecisionStatus.REFUSED) | informing_done)


def decision_facts(ids: Collection[uuid.UUID]) -> dict[uuid.UUID, DecisionFacts]:
    decisions = Decision.objects.filter(pk__in=list(ids))
    over = set(_over(decisions).values_list("pk", flat=True))
    facts = {}
    for pk, status, starts_at in decisions.values_list("pk", "status", "item__meeting__starts_at"):
        ended = (REFUSED if status == DecisionStatus.REFUSED else INFORMING_OVER) if pk in over else ""
        facts[pk] = DecisionFacts(taken_on=timezone.localdate(starts_at), ended=ended)
    return facts


def decisions_over(cell: Cell) -> "QuerySet[Any]":
    return _over(Decision.objects.filter(case__cell=cell)).values("pk")
