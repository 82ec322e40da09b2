"""The minutes PDF of one meeting for one recipient: only the items they may read, their name
on every page, the secrecy notice and the rules-of-procedure version (rules 6 and 8)."""

import base64

from django.utils import timezone, translation

from cases.models import Addendum, Meeting, MinutesDocument
from cases.selectors import visible_items
from livc.cells.models import Membership
from livc.pdf import render_pdf


def render_minutes(meeting: Meeting, member: Membership) -> bytes:
    items = visible_items(member=member, meeting=meeting)
    addenda = Addendum.objects.filter(item__in=items, approved_at_meeting__isnull=False)
    context = {
        "meeting": meeting,
        "recipient": member.user,
        "rows": [(item, [a for a in addenda if a.item_id == item.pk]) for item in items],
        "generated_at": timezone.now(),
    }
    with translation.override(member.user.language):
        return render_pdf("meetings/pdf/minutes.html", context)


def document_fill(document: MinutesDocument) -> MinutesDocument:
    member = Membership.objects.effective().get(cell=document.meeting.cell, user=document.recipient)
    document.content = base64.b64encode(render_minutes(document.meeting, member)).decode()
    document.status, document.ready_at = MinutesDocument.Status.READY, timezone.now()
    document.save()
    return document
