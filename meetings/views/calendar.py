"""The meeting's invitation: publishing the agenda, cancelling the meeting (after a confirmation),
and the calendar file for those invited."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.access import require_case_manager
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
from meetings.access import get_meeting_for_user
from meetings.calendar import calendar_file, calendar_filename
from meetings.models import Meeting, MeetingStatus
from meetings.selectors import is_invited
from meetings.services import calendar as services


def _detail(meeting: Meeting) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("meetings:detail", kwargs={"cell_slug": meeting.cell.slug, "pk": meeting.pk})
    )


def invitation_context(request: CellRequest, meeting: Meeting) -> dict[str, Any]:
    """What the meeting's page shows of its invitation: whether the member is invited (and may
    download the calendar file). Asked only while the file means something to her calendar."""
    relevant = meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED)
    return {"invited": relevant and is_invited(member=request.membership, meeting=meeting)}


@require_POST
@once_per_submission
def publish(request: CellRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    again = meeting.agenda_published_at is not None
    try:
        services.meeting_publish(member=request.membership, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation was sent again to those invited, with the meeting for their calendars.")
            if again
            else _("The agenda is published: those invited are told, with the meeting for their calendars."),
        )
    return _detail(meeting)


@require_http_methods(["GET", "POST"])
@once_per_submission
def cancel(request: CellRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; only the POST cancels."""
    meeting = get_meeting_for_user(request, pk)
    require_case_manager(request)
    if request.method == "GET":
        if meeting.status != MeetingStatus.PLANNED:
            messages.error(request, _("Only a planned meeting can be cancelled."))
            return _detail(meeting)
        return render(request, "meetings/cancel.html", {"meeting": meeting})
    try:
        services.meeting_cancel(member=request.membership, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The meeting is cancelled; those invited are told.")
            if meeting.agenda_published_at is not None
            else _("The meeting is cancelled."),
        )
    return _detail(meeting)


@require_GET
def calendar_download(request: CellRequest, pk: int) -> HttpResponse:
    """The meeting's `.ics`, for those invited only; it holds no case and no name (`meetings/calendar.py`)."""
    meeting = get_meeting_for_user(request, pk)
    if not is_invited(member=request.membership, meeting=meeting):
        raise Http404("Not invited.")
    response = HttpResponse(calendar_file(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar_filename(meeting)}"'
    return response
