"""The DPO's overview of the chain (issue 14): it verifies nothing itself, in a constant number of
queries however long the chain; its two buttons verify the new entries now (bounded) and ask for a
full verification (a task, through the outbox, once however often it is clicked)."""

import datetime

import pgtrigger
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livc.audit.chain import extend_verification, seal_all_pending
from livc.audit.events import EventKind, record_event
from livc.audit.models import ChainCheckpoint, ChainHead, ChainVerification, LogEntry
from livc.outbox.models import Message
from tests.audit.conftest import console

pytestmark = pytest.mark.django_db


def write(cast, count):
    for _ in range(count):
        record_event(EventKind.LOGIN, cell=cast.cell_a, actor=cast.alice, instance=cast.alice)
    seal_all_pending()


def page(client):
    response = client.get(console("home"))
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client):
    with CaptureQueriesContext(connection) as queries:
        page(client)
    return len(queries)


def test_the_overview_reads_the_last_checkpoint_and_verifies_nothing(cast, as_user, monkeypatch):
    client = as_user(cast.dpo)
    write(cast, 3)
    content = page(client)
    assert "Not verified yet" in content and "No full verification yet." in content
    status = extend_verification(cast.cell_a.pk)
    write(cast, 2)
    record_event(EventKind.LOGIN, cell=cast.cell_a)  # waiting to be sealed
    monkeypatch.setattr("livc.audit.chain.verify_chain", None)  # the page must not walk the chain
    monkeypatch.setattr("livc.audit.chain._walk", None)
    content = page(client)
    assert f"Verified up to entry {status.up_to_seq} of the chain" in content
    unverified = ChainHead.objects.get(key=cast.cell_a.pk).seq - status.up_to_seq
    assert unverified >= 2 and f"{unverified} newer entries not verified yet" in content
    assert "1 entry waiting to be added to the chain" in content
    assert "Broken." not in content


def test_the_overview_costs_the_same_queries_for_a_long_chain(cast, as_user):
    client = as_user(cast.dpo)
    write(cast, 2)
    extend_verification(cast.cell_a.pk)
    page(client)  # the first request of a session fills caches
    short = queries_of(client)
    write(cast, 60)
    extend_verification(cast.cell_a.pk)
    write(cast, 30)
    assert queries_of(client) == short


def test_a_break_found_by_the_last_run_raises_the_alarm(cast, as_user):
    client = as_user(cast.dpo)
    write(cast, 4)
    victim = LogEntry.objects.get(cell=cast.cell_a, chain_seq=2)
    with pgtrigger.ignore("audit.LogEntry:audit_append_only"):
        LogEntry.objects.filter(pk=victim.pk).update(actor=cast.bob)
    assert not extend_verification(cast.cell_a.pk).ok
    content = page(client)
    assert 'role="alert"' in content and "Broken." in content
    assert (
        f"The first broken link is entry {victim.pk}" in content
        and "its recorded fields were changed" in content
    )


def test_entries_left_unsealed_too_long_are_reported(cast, as_user, settings):
    client = as_user(cast.dpo)
    seal_all_pending()
    record_event(EventKind.LOGIN, cell=cast.cell_a)
    assert "Entries are not being added to the chain." not in page(client)
    settings.LIVC_AUDIT_SEAL_MAX_AGE_SECONDS = 1
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + datetime.timedelta(seconds=5)
        patch.setattr("livc.audit.chain.timezone.now", lambda: later)
        assert "Entries are not being added to the chain." in page(client)


def test_verify_now_seals_and_verifies_the_new_entries(cast, as_user):
    client = as_user(cast.dpo)
    write(cast, 3)
    record_event(EventKind.LOGIN, cell=cast.cell_a)  # waiting
    response = client.post(console("chain_extend"), follow=True)
    assert response.redirect_chain[-1][0] == console("home")
    assert "new entries verified: the log is intact up to the last entry" in response.content.decode()
    run = ChainVerification.objects.get(key=cast.cell_a.pk)
    assert run.ok and run.started_by == cast.dpo and run.kind == "incremental"
    assert ChainCheckpoint.objects.filter(key=cast.cell_a.pk).exists()
    assert not LogEntry.objects.filter(cell=cast.cell_a, chain_seq__isnull=True, action=100).exists()


def test_verify_now_is_bounded_and_says_how_many_remain(cast, as_user, monkeypatch):
    monkeypatch.setattr("dpo.views.console.VERIFY_NOW_LIMIT", 3)
    client = as_user(cast.dpo)
    write(cast, 8)
    content = client.post(console("chain_extend"), follow=True).content.decode()
    assert "3 new entries verified;" in content and "remain, verified within five minutes" in content


def test_a_full_verification_is_asked_for_once_and_run_by_a_task(
    cast, as_user, django_capture_on_commit_callbacks
):
    client = as_user(cast.dpo)
    write(cast, 3)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(console("chain_verify_full"))
        content = client.post(console("chain_verify_full"), follow=True).content.decode()  # another tab
    assert "was already waiting; it was not asked for again" in content
    run = ChainVerification.objects.get(key=cast.cell_a.pk, kind="full")
    assert run.finished_at is None and run.started_by == cast.dpo
    assert "is waiting or running" in content
    message = Message.objects.get(task="livc.audit.tasks.verify_chain_fully")
    assert message.kwargs == {"verification_id": run.pk}

    from livc.outbox.services import run as run_message

    assert run_message(str(message.pk))
    run.refresh_from_db()
    assert run.ok and run.finished_at is not None and run.checked > 0
    content = page(client)
    assert "Last full verification:" in content and "intact" in content


def test_the_buttons_are_the_dpos_alone_and_post_only(cast, as_user):
    for name in ("chain_extend", "chain_verify_full"):
        assert as_user(cast.dpo).get(console(name)).status_code == 405
        assert as_user(cast.alice).post(console(name)).status_code == 404
    assert not ChainVerification.objects.exists()


def test_the_last_full_verification_says_how_many_entries_the_purge_emptied(cast, as_user):
    from livc.audit.chain import verify_full
    from livc.audit.services import scrub_entries_for_object

    client = as_user(cast.dpo)
    write(cast, 2)
    from tests.audit.conftest import entries_about_a_gone_object

    model, pk = entries_about_a_gone_object(cast.cell_a, cast.alice, 2)
    scrub_entries_for_object(model=model, object_pk=pk)
    status = verify_full(cast.cell_a.pk)
    assert status.ok and status.scrubbed >= 2
    assert ChainVerification.objects.get(kind="full").scrubbed == status.scrubbed
    assert f"{status.scrubbed} entries were emptied by the retention purge" in page(client)
