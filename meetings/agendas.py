"""What the case search may know of meetings (`cases/agendas.py`): the meetings a member may
search by, and the cases on a meeting's agenda. Registered in `MeetingsConfig.ready()`.

The meetings are those the member may open (`meetings/selectors.py::meeting_list`: none for the
DPO), but the strategic ones, whose agenda holds no case (docs/rules.md, rule 14). Which of the
cases on the agenda the member finds is the search's business: it starts from the cases she may
see (`cases/selectors.py::case_visible_list`).
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from livc.cells.models import Membership
from meetings.models import AgendaItem, MeetingKind
from meetings.selectors import meeting_list


def meeting_choices(member: Membership) -> list[tuple[int, str]]:
    """(id, "date · title") of the member's operational meetings, newest first (one query)."""
    meetings = (
        meeting_list(member=member)
        .filter(kind=MeetingKind.OPERATIONAL)
        .values_list("pk", "title", "starts_at")
    )
    return [
        (pk, f"{date_format(timezone.localtime(starts_at), 'SHORT_DATE_FORMAT')} · {title}")
        for pk, title, starts_at in meetings
    ]


def cases_on_agenda(member: Membership, meeting_id: int) -> "QuerySet[Any]":
    """The ids of the cases on the agenda of the meeting, if the member may open it."""
    meetings = meeting_list(member=member).filter(pk=meeting_id).values("pk")
    return AgendaItem.objects.filter(meeting__in=meetings, case__isnull=False).values("case_id")
