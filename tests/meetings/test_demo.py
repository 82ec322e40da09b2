"""The demo meetings tell one story: titles that match their dates, the past finalised, the next
one planned in the future, and cases discussed before not shown as new."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from livc.cells.models import Membership, Role
from meetings.demo import MONTHS
from meetings.models import AgendaProposal, Meeting, MeetingStatus, ProposalStatus
from meetings.selectors import agenda_candidates

pytestmark = pytest.mark.django_db


def test_the_demo_meetings_are_coherent_and_seeded_once():
    call_command("seed_demo", stdout=StringIO())
    meetings = list(Meeting.objects.filter(cell__slug="demostad").order_by("starts_at"))
    call_command("seed_demo", stdout=StringIO())
    assert Meeting.objects.filter(cell__slug="demostad").count() == len(meetings) == 3
    for meeting in meetings:
        assert MONTHS[timezone.localtime(meeting.starts_at).month - 1] in meeting.title
    *past, upcoming = meetings
    assert all(m.status == MeetingStatus.FINALISED and m.starts_at < timezone.now() for m in past)
    assert upcoming.status == MeetingStatus.PLANNED and upcoming.starts_at > timezone.now()
    for meeting in past:
        for item in meeting.items.filter(case__isnull=False).select_related("case"):
            assert item.case.last_discussed_on is not None
            assert item.case.last_discussed_on <= timezone.localdate()
            assert item.case.opened_at < meeting.starts_at
    coordinator = Membership.objects.get(cell__slug="demostad", role=Role.COORDINATOR)
    candidates = agenda_candidates(member=coordinator, meeting=upcoming)
    assert candidates and not any(new for _case, new in candidates)
    assert upcoming.agenda_published_at is not None  # those invited were told
    waiting = AgendaProposal.objects.filter(cell=upcoming.cell, status=ProposalStatus.PROPOSED).get()
    assert waiting.case in [case for case, _new in candidates]  # the case proposed can still be added
    assert AgendaProposal.objects.get(cell=upcoming.cell, status=ProposalStatus.DECLINED).message
