"""On PostgreSQL the log-entry table refuses UPDATE and DELETE, except the purge's scrub."""

import pytest
from django.db import DatabaseError, connection, transaction

from livc.audit.chain import verify_chain
from livc.audit.events import EventKind, record_event
from livc.audit.models import LogEntry
from livc.audit.services import scrub_entries_for_object

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def entry(cast):
    return record_event(
        EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice, data={"x": 1}
    )


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


def test_the_purges_scrub_blanks_the_content_and_the_chain_still_verifies(cast, entry):
    assert scrub_entries_for_object(model=type(cast.alice), object_pk=cast.alice.pk) == 1
    entry.refresh_from_db()
    assert entry.scrubbed_at is not None
    assert (entry.object_repr, entry.additional_data, entry.changes) == ("", None, None)
    assert verify_chain(cast.cell_a.pk).ok
    scrub_event = LogEntry.objects.get(event=EventKind.ENTRIES_SCRUBBED)
    assert scrub_event.cell == cast.cell_a


def test_after_the_scrub_the_table_is_locked_again(cast, entry):
    scrub_entries_for_object(model=type(cast.alice), object_pk=cast.alice.pk)
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
