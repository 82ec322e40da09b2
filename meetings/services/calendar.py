"""The meeting's invitation: publishing its agenda, telling of a change of time or place, and
cancelling it.

Those invited (`meetings/selectors.py::meeting_invitees`) are told by a notification of the kind
AGENDA_PUBLISHED, whose e-mail carries the meeting's `.ics` (`meetings/calendar.py`): a request
when the agenda is published or the meeting moved, a cancellation once it is cancelled. Every
change the invitees are told of after the first raises the calendar's sequence, so that their
calendars replace the event rather than add a second one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from livc.cells.models import Membership, Role
from livc.notifications.models import NotificationKind
from livc.notifications.services import notify
from meetings.models import Meeting, MeetingStatus
from meetings.selectors import meeting_invitees
from meetings.services.stand_ins import stand_ins_end


def _planned(meeting: Meeting, member: Membership) -> Meeting:
    """The meeting, locked; refused unless it is still planned."""
    locked = Meeting.objects.select_for_update().select_related("cell").get(pk=meeting.pk, cell=member.cell)
    if locked.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if locked.status != MeetingStatus.PLANNED:
        raise ValidationError(_("The meeting has already started."))
    return locked


def invitees_notify(*, meeting: Meeting) -> int:
    """Tell everyone invited that the meeting's invitation is new, changed or cancelled; returns how
    many were told. The notification holds the meeting's date, and its link the meeting's page."""
    path = reverse("meetings:detail", kwargs={"cell_slug": meeting.cell.slug, "pk": meeting.pk})
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    told = notify(
        users=meeting_invitees(meeting=meeting),
        cell=meeting.cell,
        kind=NotificationKind.AGENDA_PUBLISHED,
        path=path,
        reference=when,
        target=str(meeting.pk),
    )
    return len(told)


@transaction.atomic
def meeting_publish(*, member: Membership, meeting: Meeting) -> Meeting:
    """Publish a planned meeting's agenda: everyone invited gets the invitation with its calendar
    file. Published again (after the agenda changed), it is an update: the same event, a higher
    sequence, told to those invited now."""
    member.require_role(Role.COORDINATOR)
    meeting = _planned(meeting, member)
    if not meeting.items.exists():
        raise ValidationError(_("The agenda is empty: put something on it before publishing it."))
    if meeting.agenda_published_at is not None:
        meeting.calendar_sequence += 1
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at", "calendar_sequence"])
    invitees_notify(meeting=meeting)
    return meeting


def meeting_moved(*, meeting: Meeting) -> None:
    """A planned meeting's time or place changed (`meeting_update`, which holds its lock): once its
    agenda is published, the invitees' calendars are updated."""
    if meeting.agenda_published_at is None:
        return
    meeting.calendar_sequence += 1
    meeting.save(update_fields=["calendar_sequence"])
    invitees_notify(meeting=meeting)


@transaction.atomic
def meeting_cancel(*, member: Membership, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting. It can then no longer be started, changed or given agenda items;
    a substitute named to stand in at it loses that access; if its agenda was published, those
    invited get the cancellation for their calendars."""
    member.require_role(Role.COORDINATOR)
    meeting = _planned(meeting, member)
    meeting.status, meeting.cancelled_at = MeetingStatus.CANCELLED, timezone.now()
    if meeting.agenda_published_at is not None:
        meeting.calendar_sequence += 1
    meeting.save(update_fields=["status", "cancelled_at", "calendar_sequence"])
    stand_ins_end(meeting=meeting)
    if meeting.agenda_published_at is not None:
        invitees_notify(meeting=meeting)
    return meeting
