"""Checkpoints (issue 14, ADR 8): incremental verification starts from the last one; full
verification checks the whole chain and every checkpoint. Each kind of tampering is caught by the
verification that can see it: after the last checkpoint by the next incremental run, before it
by a full run, the checkpoint's own entry and a forged checkpoint by both."""

import pgtrigger
import pytest

from livc.audit.chain import (
    extend_verification,
    last_checkpoint,
    seal_all_pending,
    verify_chain,
    verify_full,
)
from livc.audit.events import EventKind, record_event
from livc.audit.hashing import GENESIS
from livc.audit.models import ChainCheckpoint, ChainVerification, LogEntry

pytestmark = pytest.mark.django_db

ENTRIES = "audit.LogEntry:audit_append_only"
CHECKPOINTS = "audit.ChainCheckpoint:checkpoint_append_only"


def write(cast, count):
    for _ in range(count):
        record_event(EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice)
    seal_all_pending()


def at(cast, seq):
    return LogEntry.objects.get(cell=cast.cell_a, chain_seq=seq)


@pytest.fixture
def checkpointed(cast):
    """Cell A's chain: verified up to a checkpoint, then 4 newer entries not verified yet."""
    write(cast, 5)
    status = extend_verification(cast.cell_a.pk)
    assert status.ok and status.checked > 0
    checkpoint = last_checkpoint(cast.cell_a.pk)
    assert checkpoint.seq == status.up_to_seq and checkpoint.entry_hash == at(cast, checkpoint.seq).entry_hash
    write(cast, 4)
    return checkpoint


def test_extending_verifies_only_the_new_entries_and_chains_the_checkpoints(cast, checkpointed):
    status = extend_verification(cast.cell_a.pk)
    assert status.ok and status.checked == 4 and status.up_to_seq == checkpointed.seq + 4
    first, second = ChainCheckpoint.objects.filter(key=cast.cell_a.pk).order_by("seq")
    assert first.previous_seal == GENESIS and second.previous_seal == first.seal
    assert second.seal == second.expected_seal() and second.checked == 4
    # Nothing new: nothing checked, no checkpoint, no record.
    runs = ChainVerification.objects.count()
    assert extend_verification(cast.cell_a.pk).checked == 0
    assert ChainCheckpoint.objects.filter(key=cast.cell_a.pk).count() == 2
    assert ChainVerification.objects.count() == runs
    assert verify_full(cast.cell_a.pk).ok


def test_a_bounded_run_says_how_many_remain(cast, checkpointed):
    status = extend_verification(cast.cell_a.pk, limit=3)
    assert status.ok and (status.checked, status.remaining) == (3, 1)
    status = extend_verification(cast.cell_a.pk, limit=3)
    assert status.ok and (status.checked, status.remaining) == (1, 0)


def test_an_edit_after_the_checkpoint_is_caught_by_the_next_increment(cast, checkpointed):
    victim = at(cast, checkpointed.seq + 2)
    with pgtrigger.ignore(ENTRIES):
        LogEntry.objects.filter(pk=victim.pk).update(actor=cast.bob)
    status = extend_verification(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (victim.pk, "hash")
    assert last_checkpoint(cast.cell_a.pk) == checkpointed  # no checkpoint over a break
    run = ChainVerification.objects.get(key=cast.cell_a.pk, ok=False)
    assert (run.kind, run.broken_entry_id, run.reason) == ("incremental", victim.pk, "hash")
    extend_verification(cast.cell_a.pk)  # the beat task finds it again: recorded once
    assert ChainVerification.objects.filter(key=cast.cell_a.pk, ok=False).count() == 1


def test_an_edit_before_the_checkpoint_is_caught_by_a_full_verification(cast, checkpointed):
    victim = at(cast, checkpointed.seq - 2)
    with pgtrigger.ignore(ENTRIES):
        LogEntry.objects.filter(pk=victim.pk).update(object_repr="Someone's name")
    assert extend_verification(cast.cell_a.pk).ok  # an increment does not look back
    status = verify_full(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (victim.pk, "content")
    run = ChainVerification.objects.get(key=cast.cell_a.pk, kind="full")
    assert (run.ok, run.broken_entry_id) == (False, victim.pk)


@pytest.mark.parametrize("how", ["fields", "rehashed"])
def test_an_edit_of_the_checkpoints_own_entry_is_caught_by_an_increment(cast, checkpointed, how):
    victim = at(cast, checkpointed.seq)
    with pgtrigger.ignore(ENTRIES):
        if how == "fields":  # a field changed, the hash left alone
            LogEntry.objects.filter(pk=victim.pk).update(remote_addr="203.0.113.66")
        else:  # a field changed and the entry's hash recomputed to match
            entry = LogEntry.objects.get(pk=victim.pk)
            entry.remote_addr = "203.0.113.66"
            entry.seal(entry.chain_seq, entry.prev_hash)
            LogEntry.objects.filter(pk=victim.pk).update(
                remote_addr=entry.remote_addr, entry_hash=entry.entry_hash
            )
    status = extend_verification(cast.cell_a.pk)
    assert status.broken_entry_id == victim.pk
    assert status.reason == ("hash" if how == "fields" else "checkpoint")
    assert not verify_full(cast.cell_a.pk).ok


def test_a_deleted_entry_after_the_checkpoint_is_caught_by_an_increment(cast, checkpointed):
    after = at(cast, checkpointed.seq + 2)
    with pgtrigger.ignore(ENTRIES):
        LogEntry.objects.filter(pk=after.pk).delete()
    status = extend_verification(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (at(cast, checkpointed.seq + 3).pk, "gap")


def test_a_deleted_entry_before_the_checkpoint_is_caught_by_a_full_verification(cast, checkpointed):
    before, following = at(cast, checkpointed.seq - 1), at(cast, checkpointed.seq)
    with pgtrigger.ignore(ENTRIES):
        LogEntry.objects.filter(pk=before.pk).delete()
    status = verify_full(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (following.pk, "gap")


def test_the_deleted_entry_of_the_checkpoint_is_caught_by_an_increment(cast, checkpointed):
    with pgtrigger.ignore(ENTRIES):
        LogEntry.objects.filter(pk=at(cast, checkpointed.seq).pk).delete()
    status = extend_verification(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (at(cast, checkpointed.seq + 1).pk, "gap")


def swap(cast, first_seq, second_seq):
    first, second = at(cast, first_seq), at(cast, second_seq)
    with pgtrigger.ignore(ENTRIES):
        LogEntry.objects.filter(pk=first.pk).update(chain_seq=10**9)
        LogEntry.objects.filter(pk=second.pk).update(chain_seq=first_seq)
        LogEntry.objects.filter(pk=first.pk).update(chain_seq=second_seq)
    return second


def test_a_reordered_pair_after_the_checkpoint_is_caught_by_an_increment(cast, checkpointed):
    moved = swap(cast, checkpointed.seq + 1, checkpointed.seq + 2)
    status = extend_verification(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (moved.pk, "link")


def test_a_reordered_pair_before_the_checkpoint_is_caught_by_a_full_verification(cast, checkpointed):
    moved = swap(cast, checkpointed.seq - 3, checkpointed.seq - 2)
    status = verify_full(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (moved.pk, "link")


def test_a_forged_seal_is_caught_by_both(cast, checkpointed):
    with pgtrigger.ignore(CHECKPOINTS):
        ChainCheckpoint.objects.filter(pk=checkpointed.pk).update(seal="f" * 64)
    status = extend_verification(cast.cell_a.pk)
    assert (status.broken_checkpoint_id, status.reason) == (checkpointed.pk, "checkpoint_seal")
    assert verify_chain(cast.cell_a.pk).reason == "checkpoint_seal"


def test_a_checkpoint_forged_with_a_matching_seal_is_caught_by_a_full_verification(cast, checkpointed):
    """Without a secret anyone can recompute a seal: the next checkpoint's link and the entry at the
    forged position still tell."""
    assert extend_verification(cast.cell_a.pk).ok  # a second checkpoint, linked to the first
    forged = ChainCheckpoint.objects.get(pk=checkpointed.pk)
    forged.entry_hash = "a" * 64
    with pgtrigger.ignore(CHECKPOINTS):
        ChainCheckpoint.objects.filter(pk=forged.pk).update(
            entry_hash=forged.entry_hash, seal=forged.expected_seal()
        )
    status = verify_chain(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (at(cast, forged.seq).pk, "checkpoint")
    with pgtrigger.ignore(CHECKPOINTS):
        ChainCheckpoint.objects.filter(pk=forged.pk).update(entry_hash=checkpointed.entry_hash)
    status = verify_chain(cast.cell_a.pk)  # the entry matches again, but its seal was recomputed
    assert (status.broken_checkpoint_id, status.reason) == (checkpointed.pk, "checkpoint_seal")


def test_a_removed_checkpoint_is_caught_by_a_full_verification(cast, checkpointed):
    assert extend_verification(cast.cell_a.pk).ok
    later = last_checkpoint(cast.cell_a.pk)
    with pgtrigger.ignore(CHECKPOINTS):
        ChainCheckpoint.objects.filter(pk=checkpointed.pk).delete()
    assert (verify_chain(cast.cell_a.pk).broken_checkpoint_id, verify_chain(cast.cell_a.pk).reason) == (
        later.pk,
        "checkpoint_seal",
    )


def test_a_full_verification_seals_first_and_ends_with_a_checkpoint_at_the_head(cast, checkpointed):
    record_event(EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice)  # waiting
    status = verify_full(cast.cell_a.pk)
    assert status.ok and status.pending == 0
    head = LogEntry.objects.filter(cell=cast.cell_a).order_by("-chain_seq").first()
    assert last_checkpoint(cast.cell_a.pk).seq == head.chain_seq == status.up_to_seq
    run = ChainVerification.objects.get(kind="full")
    assert run.ok and run.checked == head.chain_seq and run.finished_at is not None
