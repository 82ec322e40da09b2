"""The minutes PDF of one meeting for one recipient: the attendance, and of the items they may
read the minutes, approved corrections, decisions (with who agreed) and follow-up actions; their
name and the copy's document number on every page, the secrecy notice, the legal framework the
cell works under (`livc/legal.py`) and the rules-of-procedure version (rules 6, 8 and 12).

Typst draws it (docs/adr/0009-minutes-pdf-with-typst.md), not WeasyPrint like the other PDFs: a
100-item meeting takes tens of milliseconds instead of seconds. Python builds the document as
plain data (`minutes_model`: every label already translated into the recipient's language, every
date already formatted), which goes to the template `meetings/pdf/minutes.typ` as JSON. The
template inserts each string as text, so nothing anyone typed is ever read as Typst markup; and
it may read no file but its own (the compile's root is its folder).
"""

import base64
import json
import re
import time
from collections.abc import Iterable, MutableMapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

import typst
from django.db import connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from livc import legal
from livc.cells.models import Membership
from meetings.document_numbers import document_number_new
from meetings.models import Attendance, Meeting, MinutesDocument
from meetings.selectors import DecisionMinutes, ItemMinutes, MinutesContent, minutes_content
from participants.models import Participant

TEMPLATE_DIR = Path(__file__).resolve().parent / "pdf"  # the compile's root: the template sees nothing else
TEMPLATE = "minutes.typ"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core (DejaVu Sans)
PDF_STANDARD: Final = "ua-1"  # tagged PDF: structure tree, /MarkInfo, /Lang, the title shown
_KEEP_TOGETHER = 600  # a decision of at most this many characters is not split across pages


class MinutesPdfError(RuntimeError):
    """Typst could not make the PDF. The message names no data: the minutes are confidential."""


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
    queried = time.perf_counter()
    with translation.override(member.user.language):
        model = minutes_model(meeting, member, number=number, content=content)
    data = json.dumps(model, ensure_ascii=False)
    modelled = time.perf_counter()
    pdf = compile_minutes(data)
    compiled = time.perf_counter()
    if timings is not None:
        timings["query"] = queried - clock
        timings["items"] = len(content.items)
        timings["template"] = modelled - queried
        timings["layout"] = compiled - modelled
        timings["write"] = 0.0  # Typst lays out and writes the file in one call
        timings["pages"] = pdf_page_count(pdf)
    return pdf


def compile_minutes(data: str) -> bytes:
    """The template laid out with `data` (the JSON of `minutes_model`), as a PDF/UA-1 file."""
    try:
        pdf = typst.compile(
            TEMPLATE_DIR / TEMPLATE,
            root=TEMPLATE_DIR,
            font_paths=_fonts(),
            ignore_system_fonts=True,
            sys_inputs={"data": data},
            pdf_standards=PDF_STANDARD,
        )
    except typst.TypstError:
        # Typst's diagnostic could quote what it was given; the cause is left out of the
        # traceback that the task logs. Reproduce with the tests to see it.
        raise MinutesPdfError(f"Typst could not compile meetings/pdf/{TEMPLATE}.") from None
    if not isinstance(pdf, bytes):
        raise MinutesPdfError("Typst returned no PDF.")
    return pdf


@cache
def _fonts() -> typst.Fonts:
    """DejaVu Sans only, read once per process: no system or built-in fonts, the same on every host."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONT_DIR)])


def pdf_page_count(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader  # a development dependency: the benchmark and the tests have it
    except ImportError:
        counts = [int(count) for count in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
        return max(counts, default=0)
    import io

    return len(PdfReader(io.BytesIO(pdf)).pages)


# --- The document as data ---------------------------------------------------------------------------
# Every label uses the msgid the HTML template of the minutes used, so the translations carry over.


def minutes_model(
    meeting: Meeting, member: Membership, *, number: str, content: MinutesContent
) -> dict[str, Any]:
    """What the PDF says, in the active language, as strings, lists and dicts only (for JSON)."""
    recipient = member.user
    title = f"{gettext('Minutes')}: {meeting.title}"
    meta = [meeting.get_kind_display(), _datetime(meeting.starts_at)]
    if meeting.location:
        meta.append(meeting.location)
    meta.append(gettext("rules of procedure version %(number)s") % {"number": meeting.rules.version})
    meta.append(
        gettext("made for %(name)s on %(date)s") % {"name": recipient.name, "date": _datetime(timezone.now())}
    )
    attendance = None
    if content.attendance:
        attendance = {
            "columns": [
                gettext("Participant"),
                gettext("Organisation"),
                gettext("Attendance"),
                gettext("Present for items"),
            ],
            "rows": [
                [
                    _attendee(row.attendance),
                    row.participant.organisation.name,
                    row.attendance.get_status_display(),
                    ", ".join(str(number) for number in row.item_numbers),
                ]
                for row in content.attendance
            ],
        }
    return {
        "lang": recipient.language,
        "document_title": f"{title} · {meeting.cell.name}",
        "cell": meeting.cell.name,
        "recipient": gettext("For %(name)s only") % {"name": recipient.name},
        "number": gettext("Document no. %(number)s") % {"number": number},
        "secrecy": gettext("Confidential: secrecy of the table (art. 458ter Criminal Code)."),
        "framework": str(legal.references(meeting.cell).framework),
        "title": title,
        "meta": " · ".join(meta),
        "attendance_heading": gettext("Attendance"),
        "attendance": attendance,
        "no_attendance": gettext("No attendance was recorded."),
        "items": [_item(row) for row in content.items],
        "no_items": gettext("There are no items you may read."),
    }


def _item(row: ItemMinutes) -> dict[str, Any]:
    item = row.item
    if item.kind == "case":
        if item.case:
            subject = f"{item.case.reference} — {item.case.subject.pseudonym}"
            if item.case.involves_minor:
                subject += f" ({gettext('minor')})"
        else:
            subject = gettext("Removed under the retention rule on %(date)s") % {
                "date": _date(item.removed_on)
            }
    elif item.kind == "topic":
        subject = item.topic
    else:
        subject = gettext("Review of open actions")
    fields = []
    if item.has_minutes:
        if item.signals:
            fields.append({"label": gettext("Signals"), "text": _lines(item.signals)})
        if item.assessment:
            fields.append({"label": gettext("Assessment"), "text": _lines(item.assessment)})
        if item.agreements:
            label = gettext("Minutes") if item.kind == "topic" else gettext("Agreements")
            fields.append({"label": label, "text": _lines(item.agreements)})
    actions = None
    if row.actions:
        actions = {
            "heading": gettext("Follow-up actions"),
            "columns": [
                gettext("What is to be done"),
                gettext("Owner"),
                gettext("Organisation"),
                gettext("Due on"),
                gettext("Status"),
            ],
            "rows": [
                [
                    _lines(action.description),
                    [action.owner.membership.user.name],
                    [action.organisation.name],
                    [_date(action.due_on, "SHORT_DATE_FORMAT")],
                    [action.get_status_display() + (f": {action.reason}" if action.reason else "")],
                ]
                for action in row.actions
            ],
        }
    return {
        "heading": f"{row.number}. {subject}",
        "fields": fields,
        "no_minutes": None if item.has_minutes or item.removed_on else gettext("No minutes for this item."),
        "corrections": [
            {
                "label": gettext("Correction"),
                "approved": "("
                + gettext("approved at the meeting of %(date)s")
                % {"date": _date(addendum.approved_at_meeting.starts_at)}  # type: ignore[union-attr]
                + "): ",
                "text": _lines(addendum.text),
            }
            for addendum in row.approved_addenda
        ],
        "decisions_heading": gettext("Decisions"),
        "decisions": [_decision(entry) for entry in row.decisions],
        "actions": actions,
    }


def _decision(entry: DecisionMinutes) -> dict[str, Any]:
    decision = entry.decision
    status = f" — {decision.get_status_display()}"
    if decision.decided_at:
        status += f" ({_date(decision.decided_at, 'SHORT_DATE_FORMAT')})"
    lines = []
    if decision.extend_until:
        lines.append(gettext("Kept until %(date)s") % {"date": _date(decision.extend_until)})
    if decision.needs_consensus:
        nobody = gettext("nobody")
        lines.append(f"{gettext('Agreed:')} {_names(entry.agreed) or nobody}")
        lines.append(f"{gettext('Did not agree:')} {_names(entry.disagreed) or nobody}")
        if entry.unanswered:
            lines.append(f"{gettext('Present without an answer:')} {_names(entry.unanswered)}")
    if entry.uses:  # which items it uses (their owners' consent changes after the minutes: not here)
        items = "; ".join(
            f"{use.item.category_label} · {use.item.organisation.name} · "
            f"{_date(use.item.shared_on, 'SHORT_DATE_FORMAT')}"
            for use in entry.uses
        )
        lines.append(f"{gettext('Information it uses:')} {items}")
    text = _lines(decision.text) if decision.text else []
    return {
        "kind": decision.get_kind_display() + (f": {decision.partner}" if decision.partner else ""),
        "status": status,
        "text": text,
        "lines": lines,
        "objection": gettext("The information officer objects (secrecy of an investigation).")
        if decision.officer_objects
        else None,
        "passed_on": gettext("Passed on to the Local Taskforce on %(date)s")
        % {"date": _datetime(decision.passed_on_at)}
        if decision.passed_on_at
        else None,
        "keep_together": len(decision.text) + 80 * len(lines) <= _KEEP_TOGETHER,
    }


def _attendee(attendance: Attendance) -> str:
    """The attendee's name; a substitute's says for whom she stood in."""
    name = attendance.participant.membership.user.name
    if attendance.stands_in_for is None:
        return name
    return gettext("%(name)s (standing in for %(representative)s)") % {
        "name": name,
        "representative": attendance.stands_in_for.membership.user.name,
    }


def _names(participants: Iterable[Participant]) -> str:
    return ", ".join(f"{p.membership.user.name} ({p.organisation.name})" for p in participants)


def _lines(text: str) -> list[str]:
    """A multi-line text as its lines, spaces collapsed as CSS `white-space: pre-line` does."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [re.sub(r"[ \t]+", " ", line).strip() for line in lines]


def _datetime(value: datetime) -> str:
    """As the template's `|date:"DATETIME_FORMAT"`: in the local time zone."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _date(value: date | datetime | None, format_name: str = "DATE_FORMAT") -> str:
    """As the template's `|date:"DATE_FORMAT"` (or another format); an aware time in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, format_name)


def render_phases(
    meeting: Meeting, member: Membership, *, number: str = "LIVC-0000-0000"
) -> dict[str, float]:
    """Render `member`'s copy of the minutes once and say where the time went, for benchmarks.

    Seconds per phase: "query" (reading the minutes), "template" (building the document's data:
    encrypted fields decrypt here, on first access; labels, dates, the JSON), "layout" (Typst:
    layout, drawing, PDF/UA tags and the file, in one call), "write" (always 0: nothing is left
    to do after Typst) and "total"; and counts: "queries" (all of the render; the same for 10
    items as for 100), "items", "pages" and "kib" (the PDF's size). Nothing is stored or logged.
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
    still exist, and only the filled-in fields are written. A PDF Typst cannot make raises
    `MinutesPdfError` (the task marks the copy failed).
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
