"""On PostgreSQL the log-entry table refuses UPDATE and DELETE, except the purge's scrub and the
sealer's one update of an entry waiting for its place in the chain."""

import pytest
from django.db import DatabaseError, connection, transaction

from livc.audit.chain import seal_all_pending, verify_chain
from livc.audit.events import EventKind, record_event
from livc.audit.models import LogEntry
from livc.audit.services import scrub_entries_for_object
from tests.audit.conftest import entries_about_a_gone_object

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def waiting(cast):
    """An entry as a request writes it: unsealed."""
    return record_event(
        EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice, data={"x": 1}
    )


@pytest.fixture
def entry(waiting):
    """The same entry once the sealer gave it its place."""
    seal_all_pending()
    waiting.refresh_from_db()
    assert waiting.chain_seq
    return waiting


def test_the_application_cannot_update_an_entry(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_pk="999")


def test_the_application_cannot_delete_an_entry(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()


def test_saving_a_loaded_entry_again_is_refused(entry):
    entry.object_pk = "1"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()


def test_the_scrub_setting_alone_does_not_allow_other_changes(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('livc.audit_scrub', 'on', true)")
        LogEntry.objects.filter(pk=entry.pk).update(actor_email="someone@else.test")


def test_the_purges_scrub_blanks_the_content_and_the_chain_still_verifies(cast):
    model, pk = entries_about_a_gone_object(cast.cell_a, cast.alice)
    seal_all_pending()
    about = LogEntry.objects.filter(object_pk=str(pk), content_type__model="organisation")
    assert scrub_entries_for_object(model=model, object_pk=pk) == about.count() >= 1
    entry = about.get(access_kind="view")
    assert entry.scrubbed_at is not None
    assert (entry.object_repr, entry.additional_data, entry.changes) == ("", None, None)
    seal_all_pending()
    assert verify_chain(cast.cell_a.pk).ok
    scrub_event = LogEntry.objects.get(event=EventKind.ENTRIES_SCRUBBED)
    assert scrub_event.cell == cast.cell_a


def test_the_scrub_refuses_entries_of_an_object_that_is_still_there(cast, entry):
    with pytest.raises(DatabaseError, match="not purged"), transaction.atomic():
        scrub_entries_for_object(model=type(cast.alice), object_pk=cast.alice.pk)
    entry.refresh_from_db()
    assert entry.scrubbed_at is None and entry.additional_data == {"x": 1}


def test_after_the_scrub_the_table_is_locked_again(cast, entry):
    model, pk = entries_about_a_gone_object(cast.cell_a, cast.alice)
    scrub_entries_for_object(model=model, object_pk=pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()


def test_the_cases_an_access_showed_cannot_be_changed_or_removed(cast, entry):
    """The rows that let the DPO find every reader of a case are append-only too, even with the
    purge's scrub setting on."""
    from livc.audit.models import AccessedCase

    shown = AccessedCase.objects.create(entry=entry, cell=cast.cell_a, case_pk="0b7d6c1e")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessedCase.objects.filter(pk=shown.pk).update(case_pk="other")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('livc.audit_scrub', 'on', true)")
        AccessedCase.objects.filter(pk=shown.pk).delete()


def test_an_unsealed_entry_cannot_be_changed_or_deleted_either(waiting):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=waiting.pk).update(object_pk="999")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=waiting.pk).delete()


def test_a_sealed_entry_cannot_be_sealed_again(entry):
    """Moving an entry to another place, or giving it other hashes, is refused once it has one."""
    for change in ({"chain_seq": entry.chain_seq + 7}, {"entry_hash": "f" * 64}, {"prev_hash": "e" * 64}):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            LogEntry.objects.filter(pk=entry.pk).update(**change)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(chain_seq=None, prev_hash="", entry_hash="")


@pytest.mark.parametrize(
    "other",
    [
        {"object_pk": "not-a-pk"},  # never the entry's own (a pk may reach 999 in a long run)
        {"actor_email": "someone@else.test"},
        {"content_digest": "0" * 64},
        {"object_repr": "changed"},
        {"additional_data": {"x": 2}},
        {"remote_addr": "203.0.113.9"},
        {"event": "purge"},
    ],
)
def test_sealing_may_change_nothing_but_the_place_and_the_hashes(waiting, other):
    seal = {"chain_seq": 999, "prev_hash": "a" * 64, "entry_hash": "b" * 64}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=waiting.pk).update(**seal, **other)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():  # a seal without hashes
        LogEntry.objects.filter(pk=waiting.pk).update(chain_seq=999)
    with transaction.atomic():  # the seal alone is what the trigger lets through (the chain would then
        LogEntry.objects.filter(pk=waiting.pk).update(**seal)  # not verify: it is the sealer's to do)
        transaction.set_rollback(True)


def test_checkpoints_cannot_be_changed_or_removed(cast, entry):
    from livc.audit.chain import extend_verification
    from livc.audit.models import ChainCheckpoint

    assert extend_verification(cast.cell_a.pk).ok
    checkpoint = ChainCheckpoint.objects.get(key=cast.cell_a.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChainCheckpoint.objects.filter(pk=checkpoint.pk).update(seq=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChainCheckpoint.objects.filter(pk=checkpoint.pk).delete()
