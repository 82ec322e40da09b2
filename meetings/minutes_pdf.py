"""The minutes PDF of one meeting for one recipient: the attendance, and of the items they may
read the minutes, approved corrections, decisions (with who agreed) and follow-up actions; their
name and the copy's document number on every page, the secrecy notice and the rules-of-procedure
version (rules 6, 8 and 12)."""

import base64
import time
from collections.abc import MutableMapping

from django.db import connection, transaction
from django.utils import timezone, translation

from livc.cells.models import Membership
from livc.pdf import render_pdf
from meetings.document_numbers import document_number_new
from meetings.models import Meeting, MinutesDocument
from meetings.selectors import MinutesContent, minutes_content


def render_minutes(
    meeting: Meeting,
    member: Membership,
    *,
    number: str,
    content: MinutesContent | None = None,
    timings: MutableMapping[str, float] | None = None,
) -> bytes:
    """The PDF for `member`, with `number` (the copy's document number) in every page's margin.

    `timings` receives the seconds of each phase (see `render_phases`)."""
    clock = time.perf_counter()
    if content is None:
        content = minutes_content(member=member, meeting=meeting)
    context = {
        "meeting": meeting,
        "recipient": member.user,
        "number": number,
        "content": content,
        "generated_at": timezone.now(),
    }
    if timings is not None:
        timings["query"] = time.perf_counter() - clock
        timings["items"] = len(content.items)
    with translation.override(member.user.language):
        return render_pdf("meetings/pdf/minutes.html", context, timings=timings)


def render_phases(
    meeting: Meeting, member: Membership, *, number: str = "LIVC-0000-0000"
) -> dict[str, float]:
    """Render `member`'s copy of the minutes once and say where the time went, for benchmarks.

    Seconds per phase: "query" (reading the minutes), "template" (the HTML; encrypted fields
    decrypt here, on first access), "layout" (WeasyPrint: CSS, boxes, pages, page margins),
    "write" (WeasyPrint: drawing, PDF/UA tags, the file) and "total"; and counts: "queries"
    (all of the render; the same for 10 items as for 100), "items", "pages" and "kib" (the PDF's
    size). Nothing is stored or logged.
    """
    timings: dict[str, float] = {}
    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        clock = time.perf_counter()
        pdf = render_minutes(meeting, member, number=number, timings=timings)
        timings["total"] = time.perf_counter() - clock
    timings["queries"] = queries
    timings["kib"] = len(pdf) / 1024
    return timings


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
