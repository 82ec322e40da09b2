"""A purge killed halfway leaves every case whole or gone; the next run finishes the job."""

import datetime

import pytest

from cases.models import AgendaItem, Case, InformationItem, MinutesDocument, Referral, Seat, Subject
from retention import services
from retention.models import PurgeRecord
from tests.retention.conftest import KEEP_UNTIL, purge_on

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """What a kill -9 looks like from inside: nothing after it runs (not an Exception)."""


def test_a_run_killed_halfway_leaves_no_half_deleted_case_and_a_rerun_finishes(clock, scenario, monkeypatch):
    calls = []
    finish = services._finish

    def killed_on_the_second_case(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second case: its rows are deleted, the transaction not committed
            raise Killed
        return finish(*args, **kwargs)

    monkeypatch.setattr(services, "_finish", killed_on_the_second_case)
    with pytest.raises(Killed):
        purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))

    assert PurgeRecord.objects.count() == 1
    gone = PurgeRecord.objects.get().reference
    whole = Case.objects.get()
    assert whole.reference != gone
    assert Subject.objects.filter(pk=whole.subject_id).exists()
    assert Referral.objects.filter(pk=whole.referral_id).exists()
    item = AgendaItem.objects.get(case=whole)
    assert item.removed_on is None and "MINUTEN-GEHEIM" in item.signals
    if whole == scenario["case_a"]:
        assert (
            Seat.objects.filter(case=whole).exists() and InformationItem.objects.filter(case=whole).exists()
        )
    assert AgendaItem.objects.filter(case=None, removed_on__isnull=False).count() == 1

    monkeypatch.setattr(services, "_finish", finish)
    run = purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    assert [record.reference for record in run.records] == [whole.reference]
    assert not Case.objects.exists() and not Subject.objects.exists() and not MinutesDocument.objects.exists()
    assert PurgeRecord.objects.count() == 2


def test_a_case_that_fails_is_left_whole_and_the_others_go_on(clock, scenario, monkeypatch, caplog):
    finish = services._finish
    failing = scenario["case_a"].reference

    def fails_for_case_a(cell, kind, reference, *args, **kwargs):
        if reference == failing:
            raise RuntimeError("a protected row nobody expected")
        return finish(cell, kind, reference, *args, **kwargs)

    monkeypatch.setattr(services, "_finish", fails_for_case_a)
    run = purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    assert [record.reference for record in run.records] == [scenario["other_case"].reference]
    assert run.failed == [f"case {scenario['case_a'].pk}"]
    assert Case.objects.get() == scenario["case_a"] and Seat.objects.filter(case=scenario["case_a"]).exists()
    assert "left whole" in caplog.text
