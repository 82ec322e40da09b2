"""Deferred sealing (issue 14, ADR 8): requests insert entries unsealed, with their content digest
and without any lock; the sealer gives them their places in id order; waiting is not a break."""

import datetime

import pytest
from django.conf import settings

from livc.audit import tasks
from livc.audit.chain import (
    chain_keys,
    extend_verification,
    seal_all_pending,
    seal_pending,
    sealing_status,
    verify_chain,
)
from livc.audit.events import EventKind, record_event
from livc.audit.hashing import digest_of
from livc.audit.models import ChainHead, LogAction, LogEntry
from tests.audit.conftest import console

pytestmark = pytest.mark.django_db


def waiting_in(cell):
    return LogEntry.objects.filter(cell=cell, chain_seq__isnull=True)


def test_an_access_by_a_request_is_written_unsealed_until_the_sealer_runs(cast, as_user):
    client = as_user(cast.dpo)  # logging in writes events too
    seal_all_pending()
    head = ChainHead.objects.get(key=cast.cell_a.pk).seq
    assert client.get(console("home")).status_code == 200
    entry = waiting_in(cast.cell_a).get()
    assert entry.action == LogAction.ACCESS
    assert (entry.chain_seq, entry.prev_hash, entry.entry_hash) == (None, "", "")
    assert entry.content_digest == digest_of(entry)  # taken at insert
    assert ChainHead.objects.get(key=cast.cell_a.pk).seq == head  # the head did not move
    status = verify_chain(cast.cell_a.pk)
    assert status.ok and status.pending == 1  # waiting is not a break
    assert seal_pending(cast.cell_a.pk) == 1
    entry.refresh_from_db()
    assert entry.chain_seq == head + 1 and entry.entry_hash
    assert ChainHead.objects.get(key=cast.cell_a.pk).seq == head + 1
    assert verify_chain(cast.cell_a.pk).pending == 0


def test_the_sealer_follows_the_order_of_the_ids_in_each_chain(cast, monkeypatch):
    monkeypatch.setattr("livc.audit.chain.SEAL_CHUNK", 2)  # several chunks
    seal_all_pending()
    for number in range(7):
        record_event(EventKind.LOGIN, cell=cast.cell_a if number % 3 else cast.cell_b, data={"n": number})
    record_event(EventKind.KEYS_ROTATED, data={"rows": 1})
    assert seal_all_pending() == 8
    for cell in (cast.cell_a, cast.cell_b, None):
        rows = list(LogEntry.objects.filter(cell=cell).order_by("id").values_list("chain_seq", flat=True))
        assert rows == sorted(rows) == list(range(1, len(rows) + 1))
        assert verify_chain(cell.pk if cell else 0).ok


def test_sealing_can_be_bounded(cast):
    seal_all_pending()
    for _ in range(5):
        record_event(EventKind.LOGIN, cell=cast.cell_a)
    assert seal_pending(cast.cell_a.pk, limit=3) == 3
    assert sealing_status(cast.cell_a.pk).pending == 2
    assert seal_pending(cast.cell_a.pk) == 2


def test_the_sealing_status_counts_and_dates_the_waiting_entries(cast, settings):
    seal_all_pending()
    assert sealing_status().pending == 0 and not sealing_status().late()
    entry = record_event(EventKind.LOGIN, cell=cast.cell_a)
    status = sealing_status(cast.cell_a.pk)
    assert status.pending == 1 and status.oldest == entry.timestamp and not status.late()
    settings.LIVC_AUDIT_SEAL_MAX_AGE_SECONDS = 1
    assert status.late(entry.timestamp + datetime.timedelta(seconds=2))


def test_the_beat_tasks_seal_and_extend_every_chain(cast):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"livc.audit.tasks.seal_audit_chains", "livc.audit.tasks.extend_audit_verification"} <= schedule
    record_event(EventKind.LOGIN, cell=cast.cell_a)
    record_event(EventKind.KEYS_ROTATED, data={"rows": 1})
    assert tasks.seal_audit_chains() >= 2
    assert not LogEntry.objects.filter(chain_seq__isnull=True).exists()
    assert tasks.extend_audit_verification() == 0  # no chain broken
    for key in chain_keys(thorough=False):
        assert extend_verification(key).checked == 0  # all verified up to their heads


def test_the_command_seals_then_verifies_and_can_extend_only(cast, capsys):
    from django.core.management import call_command

    record_event(EventKind.LOGIN, cell=cast.cell_a)
    call_command("verify_audit_chain", "--cell", "alfa", "--incremental")
    out = capsys.readouterr().out
    assert "OK      cell alfa" in out
    call_command("verify_audit_chain", "--cell", "alfa")
    out = capsys.readouterr().out
    assert "OK      cell alfa" in out and "All 1 chain(s) intact." in out
    assert not waiting_in(cast.cell_a).exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_each_transaction_seals_its_chains_after_it_commits(cast, settings):
    """The embedded default (`make run`, no Redis) has no beat task: entries must not wait forever."""
    from django.db import transaction

    settings.LIVC_AUDIT_SEAL_AFTER_COMMIT = True
    seal_all_pending()
    with transaction.atomic():
        record_event(EventKind.LOGIN, cell=cast.cell_a, data={"n": 1})
        record_event(EventKind.LOGIN, cell=cast.cell_a, data={"n": 2})
        assert waiting_in(cast.cell_a).count() == 2  # not before the commit
    assert waiting_in(cast.cell_a).count() == 0
    assert verify_chain(cast.cell_a.pk).ok


def test_with_a_broker_requests_leave_sealing_to_the_beat_task(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.LIVC_AUDIT_SEAL_AFTER_COMMIT = False
    seal_all_pending()
    with django_capture_on_commit_callbacks(execute=True):
        record_event(EventKind.LOGIN, cell=cast.cell_a, data={"n": 1})
    assert waiting_in(cast.cell_a).count() == 1
