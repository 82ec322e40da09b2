"""What the cases app may know of the decisions that name the uses of items (`ItemUse.decision_id`).

A decision is the meetings app's, and `cases` does not import `meetings` (the layers): the
meetings app registers a reader in its `AppConfig.ready()` (`meetings/ledger.py`), as apps above
add panels to the case page (`cases/panels.py`). Without a reader nothing is known of the
decisions: every use counts as still open.

A decision is *over* when nothing more of it can be carried out: the table refused it (not
every participant present agreed, or the information officer objected), or, for informing the
person, the informing register has moved past it (the person was informed, or informing was
deferred). A use of a decision that is over and was not carried out never will be: its owner is
no longer asked.
"""

import datetime
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from livc.cells.models import Cell


@dataclass(frozen=True)
class DecisionFacts:
    taken_on: datetime.date | None  # the day of the meeting at which it was put to the table
    ended: str | Promise = ""  # why it is over ("" while something of it may still be carried out)

    @property
    def over(self) -> bool:
        return bool(self.ended)


FactsReader = Callable[[Collection[uuid.UUID]], dict[uuid.UUID, DecisionFacts]]
# The ids of the cell's decisions that are over, as a query (a subquery of the count it serves).
OverReader = Callable[[Cell], "QuerySet[Any]"]


@dataclass(frozen=True)
class _Reader:
    facts: FactsReader
    over: OverReader


_readers: list[_Reader] = []


def register(*, facts: FactsReader, over: OverReader) -> None:
    reader = _Reader(facts, over)
    if reader not in _readers:
        _readers.append(reader)


def decision_facts(ids: Collection[uuid.UUID]) -> dict[uuid.UUID, DecisionFacts]:
    """What the readers know of the decisions with these ids; an unknown id is missing."""
    found: dict[uuid.UUID, DecisionFacts] = {}
    for reader in _readers:
        found.update(reader.facts(ids) if ids else {})
    return found


def decisions_over(cell: Cell) -> list["QuerySet[Any]"]:
    """Queries of the ids of the cell's decisions that are over (one per reader)."""
    return [reader.over(cell) for reader in _readers]
