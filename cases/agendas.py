"""What the case search may know of meetings: which meetings a member may choose, and which cases
are on a meeting's agenda (`cases/selectors.py::case_search`).

A meeting is the meetings app's, and `cases` does not import `meetings` (the layers): the meetings
app registers its reader in its `AppConfig.ready()` (`meetings/agendas.py`), as it does for the
item-use ledger (`cases/decisions.py`). Without a reader the search offers no meeting.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from livc.cells.models import Membership

# The meetings whose agenda may hold cases that the member may open, newest first: (id, label).
ChoicesReader = Callable[[Membership], list[tuple[int, str]]]
# The ids of the cases on the agenda of one of those meetings, as a query (a subquery of the search);
# nothing for a meeting the member may not open.
CasesReader = Callable[[Membership, int], "QuerySet[Any]"]


@dataclass(frozen=True)
class _Reader:
    choices: ChoicesReader
    cases_on: CasesReader


_readers: list[_Reader] = []


def register(*, choices: ChoicesReader, cases_on: CasesReader) -> None:
    reader = _Reader(choices, cases_on)
    if reader not in _readers:
        _readers.append(reader)


def meeting_choices(member: Membership) -> list[tuple[int, str]]:
    """The meetings the member may search by; none without a reader."""
    return [choice for reader in _readers for choice in reader.choices(member)]


def cases_on_agenda(member: Membership, meeting_id: int) -> list["QuerySet[Any]"]:
    """Queries of the ids of the cases on the meeting's agenda (one per reader)."""
    return [reader.cases_on(member, meeting_id) for reader in _readers]
