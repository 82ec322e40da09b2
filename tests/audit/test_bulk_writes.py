"""Many entries at once: the purge's bulk scrub and its bulk events keep the chains whole."""

import pytest
from django.contrib.contenttypes.models import ContentType

from livc.audit.chain import seal_all_pending, verify_chain
from livc.audit.events import EventKind, record_event, record_events
from livc.audit.models import ChainHead, LogEntry
from livc.audit.services import scrub_entries_for_objects
from tests.audit.conftest import entries_about_a_gone_object, make_access

pytestmark = pytest.mark.django_db


def test_record_events_chains_many_events_after_single_ones_in_each_cell(cast):
    seal_all_pending()
    before = ChainHead.objects.get(key=cast.cell_a.pk).seq  # the cast's own entries
    record_event(EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice)
    written = record_events(
        [
            {"kind": EventKind.PURGE, "cell": cast.cell_a, "data": {"n": 1}},
            {"kind": EventKind.PURGE, "cell": cast.cell_b, "data": {"n": 2}},
            {"kind": EventKind.PURGE, "cell": cast.cell_a, "data": {"n": 3}},
            {"kind": EventKind.KEYS_ROTATED},
        ]
    )
    record_event(EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice)
    assert all(entry.pk and entry.chain_seq is None and entry.content_digest for entry in written)
    seal_all_pending()
    in_a = list(LogEntry.objects.filter(cell=cast.cell_a, chain_seq__gt=before).order_by("chain_seq"))
    assert [entry.event for entry in in_a] == ["login", "purge", "purge", "login"]
    assert [entry.additional_data for entry in in_a[1:3]] == [{"n": 1}, {"n": 3}]
    assert ChainHead.objects.get(key=cast.cell_a.pk).seq == before + 4
    for key in (cast.cell_a.pk, cast.cell_b.pk, 0):
        assert verify_chain(key).ok


def test_record_events_refuses_an_unknown_kind_and_writes_nothing(cast):
    with pytest.raises(ValueError, match="Unknown event kind"):
        record_events([{"kind": EventKind.PURGE, "cell": cast.cell_a}, {"kind": "no_such_kind"}])
    assert not LogEntry.objects.filter(event=EventKind.PURGE).exists()


def test_the_bulk_scrub_blanks_every_entry_of_the_objects_and_counts_them(cast):
    model, in_a = entries_about_a_gone_object(cast.cell_a, cast.alice, 2, name="Jeugdhuis Alfa")
    _model, in_b = entries_about_a_gone_object(cast.cell_b, cast.charlie, 1, name="Jeugdhuis Bravo")
    untouched = make_access(cast.cell_a, cast.bob, cast.cell_a, repr_text="Cel A")
    about = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(in_a), str(in_b)]
    ).exclude(event=EventKind.ENTRIES_SCRUBBED)
    written = {pk: about.filter(object_pk=str(pk)).count() for pk in (in_a, in_b)}
    assert written[in_a] >= 2 and written[in_b] >= 1  # the accesses, and the organisations' own changes

    scrubbed = scrub_entries_for_objects([(model, in_a), ("participants.organisation", in_b)])

    label = "participants.organisation"
    assert scrubbed == {(label, str(in_a)): written[in_a], (label, str(in_b)): written[in_b]}
    assert set(about.values_list("object_repr", flat=True)) == {""}
    assert not about.filter(scrubbed_at=None).exists()
    untouched.refresh_from_db()
    assert untouched.object_repr == "Cel A" and untouched.scrubbed_at is None
    events = LogEntry.objects.filter(event=EventKind.ENTRIES_SCRUBBED)
    assert {(event.cell, event.additional_data["entries"]) for event in events} == {
        (cast.cell_a, written[in_a]),
        (cast.cell_b, written[in_b]),
    }
    assert verify_chain(cast.cell_a.pk).ok and verify_chain(cast.cell_b.pk).ok
    seal_all_pending()  # scrubbed while waiting: sealed with the digest taken at insert
    assert verify_chain(cast.cell_a.pk).ok and verify_chain(cast.cell_b.pk).ok
    assert scrub_entries_for_objects([(model, in_a)]) == {}
