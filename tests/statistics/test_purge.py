"""The purge deletes the cases and the referrals; the statistics events, which point at neither,
stay exactly as they were, so the yearly report can still be made (livc/statistics/models.py)."""

import datetime

import pytest

from cases.models import Case, Referral, Subject
from livc.statistics.models import StatEvent
from tests.retention.conftest import KEEP_UNTIL, MEETING_DAY, not_retained, purge_on, scenario

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
__all__ = ["not_retained", "scenario"]


def all_events():
    return list(StatEvent.objects.order_by("pk").values())


def test_the_purge_of_the_cases_leaves_every_event_as_it_was(clock, scenario, not_retained):
    before = all_events()
    kinds = sorted(event["kind"] for event in before)
    assert kinds == sorted(["referral_received"] * 3 + ["referral_qualified"] * 3 + ["case_opened"] * 2
                           + ["meeting_held"])  # fmt: skip
    run = purge_on(clock, KEEP_UNTIL + DAY)
    assert (run.run.cases, run.run.referrals) == (2, 1) and not run.failed
    assert not Case.objects.exists() and not Referral.objects.exists() and not Subject.objects.exists()
    assert all_events() == before


def test_the_purge_of_a_referral_not_retained_leaves_its_events(clock, scenario, not_retained):
    before = all_events()
    run = purge_on(clock, MEETING_DAY + datetime.timedelta(days=31))
    assert (run.run.cases, run.run.referrals) == (0, 1)
    assert not Referral.objects.filter(pk=not_retained.pk).exists()
    assert all_events() == before
    qualified = StatEvent.objects.filter(kind="referral_qualified", detail="not_retained")
    assert qualified.count() == 1 and (qualified.get().year, qualified.get().quarter) == (2026, 4)
