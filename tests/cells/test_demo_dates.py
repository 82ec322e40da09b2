"""The demo data tells one story: members join before they refer, referrals come before their
cases, cases open before a meeting discusses them, and every deadline agrees with its start."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, CaseStatus, InformationItem, InformingEntry, Referral, Seat
from livc.cells import demo
from livc.cells.models import Membership
from participants.models import ConfidentialityAcknowledgement, Invitation, InvitationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    """The demo data of every app but the meetings (their own test, below, runs the whole command)."""
    data = demo.seed()
    for config in apps.get_app_configs():
        hook = getattr(config, "seed_demo", None)
        if callable(hook) and config.label != "meetings":
            hook(data)


def test_referrals_come_after_their_signal_and_before_their_case(seeded):
    referrals = Referral.objects.filter(cell__slug="demostad").select_related("referred_by")
    assert referrals.count() == 6
    for referral in referrals:
        submitted = referral.created_at
        assert referral.referred_on <= timezone.localdate(submitted)
        member_since = Membership.objects.get(cell=referral.cell, user=referral.referred_by).created_at
        assert member_since < submitted
        if referral.qualified_at:
            assert submitted <= referral.qualified_at <= timezone.now()
    for case in Case.objects.filter(cell__slug="demostad").select_related("referral"):
        assert case.referral.qualified_at == case.opened_at
        assert case.opened_at < timezone.now() - datetime.timedelta(days=60)


def test_what_happens_in_a_case_happens_after_it_opened(seeded):
    for case in Case.objects.filter(cell__slug="demostad"):
        opened = timezone.localdate(case.opened_at)
        for item in InformationItem.objects.filter(case=case):
            assert opened <= item.shared_on <= timezone.localdate()
        for seat in Seat.objects.filter(case=case).select_related("participant__membership"):
            assert seat.participant.membership.created_at <= seat.seated_at
        for entry in InformingEntry.objects.filter(case=case):
            assert case.opened_at <= entry.recorded_at
        if case.status == CaseStatus.CLOSED:
            assert case.opened_at < case.closed_at < timezone.now() and case.review_on is None
        else:
            assert case.closed_at is None and case.review_on is not None


def test_a_meeting_discusses_only_cases_opened_before_it():
    from meetings.models import AgendaItem

    call_command("seed_demo", stdout=StringIO())
    for item in AgendaItem.objects.filter(case__isnull=False).select_related("meeting", "case"):
        assert item.case.opened_at < item.meeting.starts_at, item.meeting.title


def test_invitation_dates_follow_their_history(seeded):
    valid = datetime.timedelta(days=settings.LIVC_INVITATION_VALID_DAYS)
    now = timezone.now()
    for invitation in Invitation.objects.filter(cell__slug="demostad"):
        moments = [event.at for event in invitation.events.order_by("at")]
        assert moments == sorted(moments) and moments[-1] <= now
        assert invitation.created_at <= moments[0] + datetime.timedelta(seconds=1)
        if invitation.sent_at:
            assert invitation.expires_at == invitation.sent_at + valid
        if invitation.status == InvitationStatus.SENT:
            assert invitation.expires_at > now  # the printed link still works
        if invitation.status == InvitationStatus.EXPIRED:
            assert invitation.expires_at < now
        if invitation.responded_at:
            assert invitation.sent_at < invitation.responded_at <= invitation.expires_at
        if invitation.status == InvitationStatus.ACCEPTED:
            assert invitation.membership.created_at <= invitation.responded_at + datetime.timedelta(days=1)


def test_members_acknowledge_rules_that_are_in_force(seeded):
    for acknowledgement in ConfidentialityAcknowledgement.objects.select_related("rules"):
        assert acknowledgement.rules.approved_at <= acknowledgement.acknowledged_at <= timezone.now()
