"""The minutes PDF of one meeting for one recipient: the attendance, and of the items they may
read the minutes, approved corrections, decisions (with who agreed) and follow-up actions; their
name and the copy's document number on every page, the secrecy notice and the rules-of-procedure
version (rules 6, 8 and 12)."""

import base64

from django.db import transaction
from django.utils import timezone, translation

from livc.cells.models import Membership
from livc.pdf import render_pdf
from meetings.document_numbers import document_number_new
from meetings.models import Meeting, MinutesDocument
from meetings.selectors import MinutesContent, minutes_content


def render_minutes(
    meeting: Meeting, member: Membership, *, number: str, content: MinutesContent | None = None
) -> bytes:
    """The PDF for `member`, with `number` (the copy's document number) in every page's margin."""
    context = {
        "meeting": meeting,
        "recipient": member.user,
        "number": number,
        "content": content or minutes_content(member=member, meeting=meeting),
        "generated_at": timezone.now(),
    }
    with translation.override(member.user.language):
        return render_pdf("meetings/pdf/minutes.html", context)


def document_fill(document: MinutesDocument) -> MinutesDocument | None:
    """Render the PDF and store it with a new document number, unless the document was deleted
    meanwhile; None then. Each making is a new copy, so it gets a number of its own.

    Rendering takes a while, outside any transaction. Meanwhile the minutes may change or the
    retention purge may erase items and delete this document: a plain `save()` would then
    insert the row again, with the text the purge removed. So the row is locked and must
    still exist, and only the filled-in fields are written.
    """
    member = Membership.objects.effective().get(cell=document.meeting.cell, user=document.recipient)
    number = _unused_number()
    minutes = minutes_content(member=member, meeting=document.meeting)
    pdf = render_minutes(document.meeting, member, number=number, content=minutes)
    with transaction.atomic():
        if not MinutesDocument.objects.select_for_update().filter(pk=document.pk).exists():
            return None
        document.content, document.number = base64.b64encode(pdf).decode(), number
        document.case_ids = sorted(str(case.pk) for case in minutes.cases)
        document.status, document.ready_at = MinutesDocument.Status.READY, timezone.now()
        document.save(update_fields=["content", "number", "case_ids", "status", "ready_at"])
    return document


def _unused_number() -> str:
    """A number no stored copy has (40 random bits: a clash is rare; the unique column backs this)."""
    while MinutesDocument.objects.filter(number=(number := document_number_new())).exists():
        continue
    return number
