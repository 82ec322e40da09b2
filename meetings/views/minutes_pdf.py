"""Asking for and downloading one's minutes PDF; each download is logged as an access."""

import base64

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from livc.audit.access import record_access, shows_case_content
from livc.audit.models import AccessKind
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
from meetings.access import get_meeting_for_user
from meetings.models import MeetingStatus, MinutesDocument
from meetings.services.meetings import minutes_document_request
from meetings.views.meetings import meeting_url


@require_POST
@once_per_submission
def pdf_request(request: CellRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if meeting.status != MeetingStatus.FINALISED:
        messages.error(request, _("The PDF is made from finalised minutes."))
        return HttpResponseRedirect(meeting_url(meeting))
    minutes_document_request(meeting=meeting, recipient=request.user)
    messages.success(request, _("Your PDF is being prepared; it appears on this page when ready."))
    return HttpResponseRedirect(meeting_url(meeting) + "#pdf")


@shows_case_content
def pdf_download(request: CellRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    document = MinutesDocument.objects.filter(
        meeting=meeting, recipient=request.user, status=MinutesDocument.Status.READY
    ).first()
    if document is None:
        raise Http404("No PDF ready.")
    # The copy's number, printed on its pages: the DPO traces a leaked copy to this download.
    record_access(
        request,
        meeting,
        kind=AccessKind.DOWNLOAD,
        details={"document": document.number},
        cases=document.case_ids,
    )
    response = HttpResponse(base64.b64decode(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.pdf"'
    return response
