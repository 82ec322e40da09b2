"""A meeting's calendar file (`.ics`, RFC 5545, written with icalendar).

What it holds is what anyone who sees the calendar may see: a neutral title ("LIVC-R meeting",
never the meeting's title), the time, the place and a link to the meeting's page, where the
member logs in to read the agenda. No case reference, pseudonym or name, no attendee or
organiser. Each meeting keeps one UID (`Meeting.calendar_uid`), so that an update replaces the
event in each calendar (a higher SEQUENCE) and a cancellation removes it (METHOD:CANCEL).

The file is attached to the e-mail of every notification of the kind AGENDA_PUBLISHED (the
provider below, registered in `MeetingsConfig.ready`) and downloaded by those invited
(`meetings/views/calendar.py`).
"""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import STATUS, Calendar, Event

from livc.notifications.attachments import Attachment
from livc.notifications.models import Notification
from meetings.models import Meeting, MeetingStatus

# Meetings have no recorded end: a case consultation is planned for two hours.
MEETING_LENGTH = datetime.timedelta(hours=2)
PRODID = "-//LIVC-R//Meetings//EN"
MIMETYPE = "text/calendar"


def calendar_uid(meeting: Meeting) -> str:
    """The event's UID: the meeting's own UUID at the host of the deployment's address."""
    host = urlsplit(settings.LIVC_BASE_URL).hostname or "localhost"
    return f"{meeting.calendar_uid}@{host}"


def calendar_filename(meeting: Meeting) -> str:
    return f"livc-r-meeting-{meeting.pk}.ics"


def calendar_file(meeting: Meeting) -> bytes:
    """The meeting's `.ics`: a request (a new or changed meeting) or, once cancelled, a cancellation."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = timezone.localtime(meeting.starts_at, zone)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    page = reverse("meetings:detail", kwargs={"cell_slug": meeting.cell.slug, "pk": meeting.pk})
    event = Event.new(
        uid=calendar_uid(meeting),
        sequence=meeting.calendar_sequence,
        stamp=timezone.now().astimezone(datetime.UTC),
        start=start,
        end=start + MEETING_LENGTH,
        summary=_("LIVC-R meeting"),
        location=meeting.location or None,
        description=f"{settings.LIVC_BASE_URL}{page}",
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
    )
    calendar = Calendar.new(prodid=PRODID, method="CANCEL" if cancelled else "REQUEST", subcomponents=[event])
    # Only the rules of the meeting's year and its neighbours: the file stays small.
    calendar.add_missing_timezones(
        first_date=datetime.date(start.year - 1, 1, 1), last_date=datetime.date(start.year + 2, 1, 1)
    )
    return calendar.to_ical()


def calendar_attachment(notification: Notification) -> Attachment | None:
    """The `.ics` of the meeting a notification is about (its `target`), in the recipient's language;
    nothing when the meeting is gone."""
    if not notification.target.isdigit():
        return None
    meeting = (
        Meeting.objects.filter(pk=int(notification.target), cell_id=notification.cell_id)
        .select_related("cell")
        .first()
    )
    if meeting is None:
        return None
    with translation.override(notification.user.language):
        content = calendar_file(meeting)
    return Attachment(filename=calendar_filename(meeting), content=content, mimetype=MIMETYPE)
