import itertools

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from livc.audit.chain import seal_all_pending, verify_chain
from livc.audit.events import EventKind, record_event
from livc.audit.hashing import GENESIS
from livc.audit.models import ChainHead, LogEntry
from livc.audit.services import scrub_entries_for_object
from tests.audit.conftest import entries_about_a_gone_object

pytestmark = pytest.mark.django_db

TRIGGER = "audit.LogEntry:audit_append_only"


def entries_of(cell):
    return LogEntry.objects.filter(cell=cell).order_by("chain_seq")


def write_some(cast, count=3):
    """Entries as requests write them (unsealed), then sealed as the sealer would within seconds."""
    for _ in range(count):
        record_event(EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice)
    seal_all_pending()


def test_each_entry_of_a_cell_points_at_the_one_before(cast):
    write_some(cast)
    entries = list(entries_of(cast.cell_a))
    assert [entry.chain_seq for entry in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.entry_hash
    head = ChainHead.objects.get(key=cast.cell_a.pk)
    assert (head.seq, head.entry_hash) == (entries[-1].chain_seq, entries[-1].entry_hash)


def test_entries_without_a_cell_form_a_chain_of_their_own(cast):
    record_event(EventKind.KEYS_ROTATED, data={"rows": 3})
    record_event(EventKind.KEYS_ROTATED, data={"rows": 4})
    seal_all_pending()
    first, second = LogEntry.objects.filter(cell__isnull=True).order_by("-chain_seq")[:2][::-1]
    assert second.chain_seq == first.chain_seq + 1 and second.prev_hash == first.entry_hash
    assert verify_chain(0).ok


def test_an_untouched_chain_verifies(cast):
    write_some(cast)
    status = verify_chain(cast.cell_a.pk)
    assert status.ok and status.checked == entries_of(cast.cell_a).count()


def test_an_edited_field_is_detected_at_that_entry(cast):
    write_some(cast)
    victim = entries_of(cast.cell_a)[1]
    with pgtrigger.ignore(TRIGGER):
        LogEntry.objects.filter(pk=victim.pk).update(actor=cast.bob)
    status = verify_chain(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (victim.pk, "hash")


def test_edited_content_is_detected(cast):
    write_some(cast)
    victim = entries_of(cast.cell_a)[0]
    with pgtrigger.ignore(TRIGGER):
        LogEntry.objects.filter(pk=victim.pk).update(object_repr="Someone's name")
    assert verify_chain(cast.cell_a.pk).reason == "content"


def test_a_deleted_entry_breaks_the_link_to_the_next(cast):
    write_some(cast, 4)
    victim, following = list(entries_of(cast.cell_a))[1:3]
    with pgtrigger.ignore(TRIGGER):
        LogEntry.objects.filter(pk=victim.pk).delete()
    status = verify_chain(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (following.pk, "gap")


def test_a_deleted_tail_is_noticed_through_the_head(cast):
    write_some(cast)
    last = entries_of(cast.cell_a).last()
    with pgtrigger.ignore(TRIGGER):
        LogEntry.objects.filter(pk=last.pk).delete()
    assert verify_chain(cast.cell_a.pk).reason == "tail"


def test_a_row_written_around_the_chain_is_reported(cast):
    """A plain bulk_create bypasses `LogEntry._do_insert`: the row has no content digest. The
    sealer chains it like any waiting entry, and verification then names it."""
    write_some(cast)
    entry = entries_of(cast.cell_a).first()
    entry.pk, entry.chain_seq, entry.content_digest = None, None, ""
    LogEntry.objects.bulk_create([entry])
    status = verify_chain(cast.cell_a.pk)
    assert status.ok and status.pending == 1  # waiting: not a break yet
    seal_all_pending()
    status = verify_chain(cast.cell_a.pk)
    assert (status.broken_entry_id, status.reason) == (LogEntry.objects.latest("id").pk, "content")


def test_a_sealed_row_written_beyond_the_head_is_reported(cast):
    write_some(cast)
    entry = entries_of(cast.cell_a).last()
    entry.pk, entry.chain_seq = None, entry.chain_seq + 5
    LogEntry.objects.bulk_create([entry])
    assert verify_chain(cast.cell_a.pk).reason == "beyond"


def test_a_scrubbed_entry_still_verifies_but_a_fake_scrub_does_not(cast):
    write_some(cast, 2)
    model, pk = entries_about_a_gone_object(cast.cell_a, cast.alice, 2)
    assert scrub_entries_for_object(model=model, object_pk=pk) >= 2
    seal_all_pending()  # the scrub's own events
    status = verify_chain(cast.cell_a.pk)
    assert status.ok and status.scrubbed >= 2
    victim = entries_of(cast.cell_a).filter(scrubbed_at__isnull=False).first()
    with pgtrigger.ignore(TRIGGER):
        LogEntry.objects.filter(pk=victim.pk).update(object_repr="put back")
    assert verify_chain(cast.cell_a.pk).reason == "scrub"


def test_the_command_says_ok_or_names_the_first_broken_link_and_fails(cast, capsys):
    write_some(cast)
    record_event(EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice)  # waiting
    call_command("verify_audit_chain", "--cell", "alfa")
    assert "OK" in capsys.readouterr().out
    assert not LogEntry.objects.filter(cell=cast.cell_a, chain_seq__isnull=True).exists()  # sealed first
    victim = entries_of(cast.cell_a)[1]
    with pgtrigger.ignore(TRIGGER):
        LogEntry.objects.filter(pk=victim.pk).update(remote_addr="203.0.113.66")
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_chain")
    assert failure.value.returncode == 1
    out = capsys.readouterr().out
    assert f"BROKEN  cell alfa: entry {victim.pk}" in out


def test_the_command_refuses_an_unknown_cell(cast):
    with pytest.raises(CommandError, match="No cell"):
        call_command("verify_audit_chain", "--cell", "nowhere")
