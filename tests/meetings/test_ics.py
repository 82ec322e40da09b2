"""The meeting's invitation and its calendar file: publishing the agenda tells those invited, with
an `.ics` that parses, says only "LIVC-R meeting", the time and the place (no case reference,
pseudonym, title or name); a change of time or place raises its sequence and tells them again; a
cancellation sends METHOD:CANCEL. Only those invited download it."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases.services.seats import seat_participant
from livc.notifications.attachments import attachment_for
from livc.notifications.models import Notification, NotificationKind
from livc.notifications.tasks import send_notification
from meetings.calendar import calendar_file
from meetings.models import Meeting, MeetingStatus, StandIn
from meetings.selectors import is_invited, meeting_invitees
from meetings.services import calendar as services
from meetings.services import meetings as meeting_services
from participants.models import InvitationScope, InvitationStatus
from participants.rules import acknowledgement_record
from tests.factories import InvitationFactory, MembershipFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
TITLE = "Casusoverleg over Persoon Eik"  # a careless title: it must never reach a calendar


def url(name, slug="alfa", **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": slug, **kwargs})


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.LIVC_BASE_URL = "https://livc.example.org"


@pytest.fixture
def pia(cast, seats, acknowledged_again):
    """A participant of cell A who sits at no table (she acknowledged the secrecy)."""
    membership = MembershipFactory(
        cell=cast.cell_a, user=UserFactory(email="pia@example.test", name="Pia Pauwels")
    )
    acknowledgement_record(cell=cast.cell_a, user=membership.user)
    return ParticipantFactory(membership=membership, organisation=seats["participant"].organisation)


@pytest.fixture
def planned(members, rules, acknowledged_again, case_a):
    """Next week at 14:00 in the town hall, with case_a (bob at its table) on the agenda."""
    starts_at = (timezone.localtime() + datetime.timedelta(days=7)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    meeting = meeting_services.meeting_create(member=members["coordinator"], kind="operational", title=TITLE,
                                              starts_at=starts_at, location="Stadhuis, zaal 2")  # fmt: skip
    meeting_services.agenda_add_case(member=members["coordinator"], meeting=meeting, case=case_a)
    return meeting


def parse(content: bytes):
    calendar = Calendar.from_ical(content)
    (event,) = calendar.events
    return calendar, event


def invitations():
    return Notification.objects.filter(kind=NotificationKind.AGENDA_PUBLISHED)


def told(meeting) -> set:
    return set(
        Notification.objects.filter(
            kind=NotificationKind.AGENDA_PUBLISHED, target=str(meeting.pk)
        ).values_list("user__email", flat=True)
    )


# --- The file ----------------------------------------------------------------------------------------


def test_the_file_parses_with_the_neutral_title_the_place_and_the_time(planned):
    calendar, event = parse(calendar_file(planned))
    assert calendar["METHOD"] == "REQUEST" and event["STATUS"] == "CONFIRMED"
    assert str(event["SUMMARY"]) == "LIVC-R meeting"
    assert str(event["LOCATION"]) == "Stadhuis, zaal 2"
    assert event.start == planned.starts_at and event.start.tzinfo.key == "Europe/Brussels"
    assert event.start.astimezone(BRUSSELS).hour == 14
    assert event.end - event.start == datetime.timedelta(hours=2)
    assert str(event["UID"]) == f"{planned.calendar_uid}@livc.example.org"
    assert event.sequence == 0 and event["DTSTAMP"]
    assert str(event["DESCRIPTION"]) == f"https://livc.example.org{url('detail', pk=planned.pk)}"
    assert "ATTENDEE" not in event and "ORGANIZER" not in event


def test_the_file_holds_no_case_reference_pseudonym_title_or_name(cast, planned, case_a):
    text = calendar_file(planned).decode()
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    for secret in (case_a.reference, case_a.subject.pseudonym, "Persoon Eik", TITLE, "Testeling", cast.bob.name,
                   cast.alice.name, cast.bob.email):  # fmt: skip
        assert secret not in unfolded, secret


def test_a_notification_of_the_meeting_carries_its_file(cast, members, planned):
    services.meeting_publish(member=members["coordinator"], meeting=planned)
    notification = Notification.objects.get(target=str(planned.pk), user=cast.bob)
    attachment = attachment_for(notification)
    assert attachment is not None and attachment.mimetype == "text/calendar"
    assert attachment.filename.endswith(".ics")
    _calendar, event = parse(attachment.content)
    assert str(event["UID"]) == f"{planned.calendar_uid}@livc.example.org"
    Meeting.objects.filter(pk=planned.pk).delete()
    assert attachment_for(notification) is None  # the meeting is gone: no file


# --- Who is invited ------------------------------------------------------------------------------------


def test_those_invited_to_an_operational_meeting_sit_at_a_case_on_its_agenda(cast, members, planned, pia):
    invited = {user.email for user in meeting_invitees(meeting=planned)}
    assert invited == {"alice@example.test", "mayor@example.test", "officer@example.test", "bob@example.test"}
    assert not is_invited(member=pia.membership, meeting=planned)
    assert not is_invited(member=members["dpo"], meeting=planned)
    assert is_invited(member=members["participant"], meeting=planned)


def test_those_invited_to_a_strategic_meeting_are_the_structural_participants(cast, members, seats, pia,
                                                                              acknowledged_again):  # fmt: skip
    strategic = meeting_services.meeting_create(member=members["coordinator"], kind="strategic", title="Beleid",
                                                starts_at=timezone.now())  # fmt: skip
    ad_hoc = ParticipantFactory(membership=MembershipFactory(cell=cast.cell_a), organisation=pia.organisation)
    InvitationFactory(cell=cast.cell_a, proposed_by=cast.alice, organisation=pia.organisation,
                      scope=InvitationScope.AD_HOC, status=InvitationStatus.ACCEPTED, membership=ad_hoc.membership)  # fmt: skip
    invited = set(meeting_invitees(meeting=strategic))
    assert {cast.bob, pia.membership.user, cast.alice, cast.mayor, cast.officer} <= invited
    assert ad_hoc.membership.user not in invited and cast.dpo not in invited
    assert not is_invited(member=ad_hoc.membership, meeting=strategic)
    assert is_invited(member=pia.membership, meeting=strategic)


# --- Publishing, changing, cancelling -------------------------------------------------------------------


def test_publishing_tells_those_invited_with_the_file_attached(cast, members, planned, pia):
    services.meeting_publish(member=members["coordinator"], meeting=planned)
    planned.refresh_from_db()
    assert planned.agenda_published_at is not None and planned.calendar_sequence == 0
    assert told(planned) == {
        "alice@example.test",
        "mayor@example.test",
        "officer@example.test",
        "bob@example.test",
    }
    notification = Notification.objects.get(target=str(planned.pk), user=cast.bob)
    assert notification.path == url("detail", pk=planned.pk)
    assert notification.reference == timezone.localtime(planned.starts_at).strftime("%Y-%m-%d %H:%M")
    mail.outbox.clear()
    assert send_notification(notification_id=str(notification.pk), cell_id=cast.cell_a.pk)
    ((filename, content, mimetype),) = mail.outbox[-1].attachments
    assert mimetype.startswith("text/calendar") and filename.endswith(".ics")
    _calendar, event = parse(content if isinstance(content, bytes) else content.encode())
    assert str(event["SUMMARY"]) == "LIVC-R meeting" and event.start == planned.starts_at


def test_an_empty_agenda_is_not_published(members, rules, acknowledged_again):
    empty = meeting_services.meeting_create(member=members["coordinator"], kind="operational", title="Leeg",
                                            starts_at=timezone.now())  # fmt: skip
    with pytest.raises(ValidationError, match="agenda is empty"):
        services.meeting_publish(member=members["coordinator"], meeting=empty)
    assert not invitations().exists()


def test_a_change_of_time_or_place_after_publishing_raises_the_sequence_and_tells_again(members, planned):
    coordinator = members["coordinator"]
    meeting_services.meeting_update(member=coordinator, meeting=planned, title="Voor de publicatie",
                                    starts_at=planned.starts_at, location="Zaal 3")  # fmt: skip
    planned.refresh_from_db()
    assert planned.calendar_sequence == 0 and not invitations().exists()  # nobody was told yet
    services.meeting_publish(member=coordinator, meeting=planned)
    meeting_services.meeting_update(member=coordinator, meeting=planned, title="Alleen de titel",
                                    starts_at=planned.starts_at, location="Zaal 3")  # fmt: skip
    planned.refresh_from_db()
    assert planned.calendar_sequence == 0 and invitations().count() == 4  # a title is not in calendars
    later = planned.starts_at + datetime.timedelta(hours=1)
    meeting_services.meeting_update(member=coordinator, meeting=planned, title="Alleen de titel",
                                    starts_at=later, location="Zaal 3")  # fmt: skip
    planned.refresh_from_db()
    assert planned.calendar_sequence == 1 and invitations().count() == 8
    _calendar, event = parse(calendar_file(planned))
    assert event.sequence == 1 and event.start == later and str(event["LOCATION"]) == "Zaal 3"
    meeting_services.meeting_update(member=coordinator, meeting=planned, title="Alleen de titel",
                                    starts_at=later, location="Zaal 4")  # fmt: skip
    planned.refresh_from_db()
    assert planned.calendar_sequence == 2 and invitations().count() == 12


def test_publishing_again_is_an_update_for_those_invited_now(cast, members, planned, other_case, pia, seats):
    coordinator = members["coordinator"]
    services.meeting_publish(member=coordinator, meeting=planned)
    seat_participant(member=coordinator, case=other_case, participant=pia)
    meeting_services.agenda_add_case(member=coordinator, meeting=planned, case=other_case)
    services.meeting_publish(member=coordinator, meeting=planned)
    planned.refresh_from_db()
    assert planned.calendar_sequence == 1
    assert Notification.objects.filter(target=str(planned.pk), user=pia.membership.user).count() == 1


def test_cancelling_a_published_meeting_sends_the_cancellation(cast, members, planned, pia, seats):
    coordinator = members["coordinator"]
    services.meeting_publish(member=coordinator, meeting=planned)
    stand_in = StandIn.objects.create(meeting=planned, representative=seats["participant"], substitute=pia,
                                      named_by=cast.alice)  # fmt: skip
    services.meeting_cancel(member=coordinator, meeting=planned)
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.CANCELLED and planned.cancelled_at is not None
    assert planned.calendar_sequence == 1
    assert Notification.objects.filter(target=str(planned.pk), user=cast.bob).count() == 2
    calendar, event = parse(calendar_file(planned))
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED" and event.sequence == 1
    assert str(event["UID"]) == f"{planned.calendar_uid}@livc.example.org"
    stand_in.refresh_from_db()
    assert stand_in.ended_at is not None


def test_a_cancelled_meeting_cannot_be_started_changed_or_given_items(members, planned, other_case):
    coordinator = members["coordinator"]
    services.meeting_cancel(member=coordinator, meeting=planned)
    assert not invitations().exists()  # its agenda was not published: nobody is told
    attempts = [
        lambda: meeting_services.meeting_start(member=coordinator, meeting=planned, other_day_confirmed=True),
        lambda: meeting_services.meeting_update(
            member=coordinator, meeting=planned, title="X", starts_at=planned.starts_at
        ),
        lambda: meeting_services.agenda_add_case(member=coordinator, meeting=planned, case=other_case),
        lambda: meeting_services.agenda_add_topic(member=coordinator, meeting=planned, topic="Jaarverslag"),
        lambda: services.meeting_publish(member=coordinator, meeting=planned),
        lambda: services.meeting_cancel(member=coordinator, meeting=planned),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="cancelled"):
            attempt()
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.CANCELLED and planned.items.count() == 1


def test_only_the_coordinator_publishes_or_cancels(cast, as_user, members, planned):
    for user in (cast.bob, cast.mayor, cast.officer):
        client = as_user(user)
        assert client.post(url("publish", pk=planned.pk)).status_code == 403
        assert client.post(url("cancel", pk=planned.pk)).status_code == 403
    assert as_user(cast.dpo).post(url("cancel", pk=planned.pk)).status_code == 404
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED and planned.agenda_published_at is None


def test_the_pages_publish_and_cancel_after_a_confirmation(cast, as_user, planned):
    client = as_user(cast.alice)
    detail = client.get(url("detail", pk=planned.pk)).content.decode()
    assert "Publish the agenda" in detail and f'href="{url("cancel", pk=planned.pk)}"' in detail
    response = client.post(url("publish", pk=planned.pk), follow=True)
    assert "The agenda is published" in response.content.decode()
    assert len(told(planned)) == 4
    confirmation = client.get(url("cancel", pk=planned.pk)).content.decode()
    assert "Cancelling cannot be undone" in confirmation and "those invited are told" in confirmation
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.PLANNED
    response = client.post(url("cancel", pk=planned.pk), follow=True)
    assert "The meeting is cancelled; those invited are told." in response.content.decode()
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.CANCELLED
    detail = client.get(url("detail", pk=planned.pk)).content.decode()
    assert "This meeting was cancelled" in detail and "Start the meeting" not in detail


# --- The download -----------------------------------------------------------------------------------------


def test_only_those_invited_download_the_file(cast, as_user, members, planned, pia):
    response = as_user(cast.bob).get(url("calendar", pk=planned.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    _calendar, event = parse(response.content)
    assert str(event["SUMMARY"]) == "LIVC-R meeting"
    assert as_user(cast.mayor).get(url("calendar", pk=planned.pk)).status_code == 200
    assert as_user(pia.membership.user).get(url("calendar", pk=planned.pk)).status_code == 404
    assert as_user(cast.dpo).get(url("calendar", pk=planned.pk)).status_code == 404
    charlie = as_user(cast.charlie)
    for slug in ("alfa", "bravo"):
        assert charlie.get(url("calendar", slug, pk=planned.pk)).status_code == 404
    detail = as_user(cast.bob).get(url("detail", pk=planned.pk)).content.decode()
    assert url("calendar", pk=planned.pk) in detail
    assert (
        url("calendar", pk=planned.pk)
        not in as_user(pia.membership.user).get(url("detail", pk=planned.pk)).content.decode()
    )
