"""The minutes PDF of one meeting for one recipient: the attendance, and of the items they may
read the minutes, approved corrections, decisions (with who agreed) and follow-up actions; their
name on every page, the secrecy notice and the rules-of-procedure version (rules 6, 8 and 12)."""

import base64

from django.db import transaction
from django.utils import timezone, translation

from livc.cells.models import Membership
from livc.pdf import render_pdf
from meetings.models import Meeting, MinutesDocument
from meetings.selectors import minutes_content


def render_minutes(meeting: Meeting, member: Membership) -> bytes:
    context = {
        "meeting": meeting,
        "recipient": member.user,
        "content": minutes_content(member=member, meeting=meeting),
        "generated_at": timezone.now(),
    }
    with translation.override(member.user.language):
        return render_pdf("meetings/pdf/minutes.html", context)


def document_fill(document: MinutesDocument) -> MinutesDocument | None:
    """Render the PDF and store it, unless the document was deleted meanwhile; None then.

    Rendering takes a while, outside any transaction. Meanwhile the minutes may change or the
    retention purge may erase items and delete this document: a plain `save()` would then
    insert the row again, with the text the purge removed. So the row is locked and must
    still exist, and only the filled-in fields are written.
    """
    member = Membership.objects.effective().get(cell=document.meeting.cell, user=document.recipient)
    content = base64.b64encode(render_minutes(document.meeting, member)).decode()
    with transaction.atomic():
        if not MinutesDocument.objects.select_for_update().filter(pk=document.pk).exists():
            return None
        document.content = content
        document.status, document.ready_at = MinutesDocument.Status.READY, timezone.now()
        document.save(update_fields=["content", "status", "ready_at"])
    return document
