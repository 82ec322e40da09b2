"""A purge killed halfway leaves every case whole or gone; the next run finishes the job.

"Whole" is about rows: none half-deleted. What a due case said is unreadable from the moment its
batch began, whole or not: its data keys are destroyed first (docs/adr/0010)."""

import datetime
import functools

import pytest
from django.core.management import call_command

from cases.models import Case, InformationItem, Referral, Seat, Subject
from livc.audit.models import LogEntry
from livc.crypto.datakeys import KeyDestroyedError
from meetings.models import AgendaItem, MinutesDocument
from retention import services
from retention.models import PurgeRecord
from tests.retention.conftest import KEEP_UNTIL, at, purge_on

pytestmark = pytest.mark.django_db

DAY_AFTER = KEEP_UNTIL + datetime.timedelta(days=1)


class Killed(BaseException):
    """What a kill -9 looks like from inside: nothing after it runs (not an Exception)."""


def assert_whole(case: Case, scenario) -> None:
    assert Case.objects.filter(pk=case.pk).exists()
    assert Subject.objects.filter(pk=case.subject_id).exists()
    assert Referral.objects.filter(pk=case.referral_id).exists()
    item = AgendaItem.objects.get(case=case)
    assert item.removed_on is None
    with pytest.raises(KeyDestroyedError) as destroyed:
        item.signals  # noqa: B018  the read is the test
    assert destroyed.value.because == "retention"
    if case == scenario["case_a"]:
        assert Seat.objects.filter(case=case).exists() and InformationItem.objects.filter(case=case).exists()
        assert LogEntry.objects.filter(object_pk=str(case.pk), scrubbed_at=None).exists()


def kill_on_call(monkeypatch, number: int) -> None:
    """Kill the run in the `number`th batch, after its deletes, before its commit."""
    calls = []
    finish = services._finish

    def killed(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            raise Killed
        return finish(*args, **kwargs)

    monkeypatch.setattr(services, "_finish", killed)


def test_a_run_killed_in_the_second_case_leaves_it_whole_and_a_rerun_finishes(clock, scenario, monkeypatch):
    kill_on_call(monkeypatch, 2)
    with pytest.raises(Killed):
        purge_on(clock, DAY_AFTER, batch=1)

    assert PurgeRecord.objects.count() == 1
    gone = PurgeRecord.objects.get().reference
    whole = Case.objects.get()
    assert whole.reference != gone
    assert_whole(whole, scenario)
    assert AgendaItem.objects.filter(case=None, removed_on__isnull=False).count() == 1

    monkeypatch.undo()
    run = purge_on(clock, DAY_AFTER)
    assert [record.reference for record in run.records] == [whole.reference]
    assert not Case.objects.exists() and not Subject.objects.exists() and not MinutesDocument.objects.exists()
    assert PurgeRecord.objects.count() == 2


def test_a_run_killed_inside_a_batch_leaves_every_case_of_the_batch_whole(clock, scenario, monkeypatch):
    kill_on_call(monkeypatch, 1)
    with pytest.raises(Killed):
        purge_on(clock, DAY_AFTER, batch=2)

    assert not PurgeRecord.objects.exists()
    for case in (scenario["case_a"], scenario["other_case"]):
        assert_whole(case, scenario)
    assert not AgendaItem.objects.filter(removed_on__isnull=False).exists()

    monkeypatch.undo()
    assert len(purge_on(clock, DAY_AFTER).records) == 2
    assert not Case.objects.exists()


def test_a_case_that_fails_is_left_whole_and_the_others_of_its_batch_go_on(
    clock, scenario, monkeypatch, caplog
):
    finish = services._finish
    failing = scenario["case_a"].pk

    def fails_with_case_a(due, removed):
        if failing in due:
            raise RuntimeError("a protected row nobody expected")
        return finish(due, removed)

    monkeypatch.setattr(services, "_finish", fails_with_case_a)
    run = purge_on(clock, DAY_AFTER, batch=2)
    assert [record.reference for record in run.records] == [scenario["other_case"].reference]
    assert run.failed == [f"case {failing}"]
    assert Case.objects.get() == scenario["case_a"]
    assert_whole(scenario["case_a"], scenario)
    assert "trying them one by one" in caplog.text and "left whole" in caplog.text


def test_the_command_writes_each_purge_as_it_happens_even_when_killed(clock, scenario, monkeypatch, tmp_path):
    """Cron sends stdout to a file, which Python buffers by blocks: each line is flushed, so a
    killed run's log shows every case it purged (here the first, killed in the second)."""
    clock.move_to(at(DAY_AFTER, hour=3), tick=False)
    monkeypatch.setattr(services, "purge_expired", functools.partial(services.purge_expired, batch=1))
    kill_on_call(monkeypatch, 2)
    log = tmp_path / "cron.log"
    with open(log, "w") as stdout:  # block-buffered, as under cron; left unflushed by the kill
        with pytest.raises(Killed):
            call_command("purge_expired", stdout=stdout)
        written = log.read_text()
    gone = PurgeRecord.objects.get().reference
    assert written.count("Purged case") == 1 and f"Purged case {gone} of cell alfa" in written
