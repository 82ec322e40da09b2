"""Access helpers: the first line of every meeting view.

A meeting of another cell is a 404, and so is an agenda item of a case at whose table the
member does not sit. The DPO sees no meeting: meetings hold case content.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from livc.http import CellRequest
from meetings.models import AgendaItem, Attendance, Meeting, MeetingStatus
from meetings.selectors import meeting_list, visible_items


def get_meeting_for_user(request: CellRequest, pk: object) -> Meeting:
    """A meeting of the member's cell; none for the DPO (it holds case content)."""
    return get_object_or_404(meeting_list(member=request.membership), pk=pk)


def get_item_for_user(request: CellRequest, meeting: Meeting, item_pk: object) -> AgendaItem:
    """An agenda item the member may read (rule 8); any other is a 404."""
    for item in visible_items(member=request.membership, meeting=meeting):
        if str(item.pk) == str(item_pk):
            return item
    raise Http404("No such item.")


def meeting_acknowledged(request: CellRequest, meeting: Meeting) -> bool:
    """During a meeting, case content waits for the secrecy acknowledgement of that meeting."""
    if meeting.status != MeetingStatus.IN_PROGRESS:
        return True
    return Attendance.objects.filter(
        meeting=meeting, participant__membership=request.membership, acknowledged_at__isnull=False
    ).exists()
