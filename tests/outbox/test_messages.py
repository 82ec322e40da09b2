"""The outbox's rules, with tasks run in-process: a message runs its task once, a failure is
retried later and given up after `MAX_ATTEMPTS`, a key writes its work once, and the platform
administrator sees how much waits and since when."""

import datetime

import pytest
from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livc.outbox import services
from livc.outbox.models import Message
from livc.outbox.selectors import outbox_status
from tests.base import login_verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RUNS: list[int] = []


@shared_task
def count_run(*, number: int) -> None:
    RUNS.append(number)


@shared_task
def fail_run(*, number: int) -> None:
    RUNS.append(number)
    raise ConnectionRefusedError("the mail server is down")


@pytest.fixture(autouse=True)
def no_runs():
    RUNS.clear()


def test_a_message_waits_for_its_transaction_and_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        message = services.enqueue(count_run, number=1)
        assert RUNS == []  # nothing before the commit
    assert len(callbacks) == 1 and RUNS == [1]
    assert message is not None
    message.refresh_from_db()
    assert message.done_at is not None and message.relayed_at is not None
    assert services.run(str(message.pk)) is False and RUNS == [1]  # delivered again: not run again


def test_a_message_rolled_back_with_its_change_never_runs(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue(count_run, number=1)
        raise RuntimeError("the change failed")
    assert not Message.objects.exists() and RUNS == []


def test_a_key_writes_its_work_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.enqueue(count_run, key="digest:1:2026-W49", number=1) is not None
        assert services.enqueue(count_run, key="digest:1:2026-W49", number=2) is None
    assert RUNS == [1] and Message.objects.count() == 1


def test_a_failed_run_is_retried_later_and_given_up_after_the_last_attempt(
    django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.enqueue(fail_run, number=1)
    assert message is not None
    message.refresh_from_db()
    assert message.attempts == 1 and message.last_error == "ConnectionRefusedError"
    assert message.relayed_at is None and message.due_at == timezone.now() + datetime.timedelta(minutes=2)
    assert services.relay() == 0  # not due yet

    for attempt in range(2, services.MAX_ATTEMPTS + 1):
        time_machine.move_to(message.due_at)
        assert services.relay() == 1
        message.refresh_from_db()
        assert message.attempts == attempt
    assert message.failed_at is not None and len(RUNS) == services.MAX_ATTEMPTS
    assert services.relay() == 0  # given up: the admin hands it over again once the cause is fixed
    assert outbox_status().failed == 1 and outbox_status().pending == 0


def test_the_status_counts_what_waits_and_since_when(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False)
    Message.objects.create(task="x")
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 20, tzinfo=datetime.UTC), tick=False)
    Message.objects.create(task="x")
    Message.objects.create(task="x", done_at=timezone.now())
    status = outbox_status()
    assert status.pending == 2 and status.oldest_age == datetime.timedelta(minutes=20) and status.failed == 0


def test_the_platform_admin_sees_what_waits_and_hands_what_was_given_up_over_again(client):
    admin = UserFactory(email="beheer@platform.test", name="Pia Platform", is_staff=True, is_superuser=True)
    login_verified(client, admin)
    Message.objects.create(task="participants.mail.send_invitation_email",
                           created_at=timezone.now() - datetime.timedelta(minutes=30))  # fmt: skip
    given_up = Message.objects.create(
        task="x", attempts=8, failed_at=timezone.now(), last_error="SMTPException"
    )
    url = reverse("admin:outbox_message_changelist")
    page = client.get(url).content.decode()
    assert "1 message waits to be done." in page and "The oldest has waited 30\xa0minutes." in page
    assert "1 message was given up." in page and "SMTPException" in page

    answer = client.post(url, {"action": "hand_over_again", "_selected_action": [given_up.pk]}, follow=True)
    assert "1 message will be handed over at the next relay." in answer.content.decode()
    given_up.refresh_from_db()
    assert given_up.failed_at is None and given_up.attempts == 0


def test_a_message_waiting_for_its_retry_is_pending_but_not_overdue(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False)
    now = timezone.now()
    Message.objects.create(task="x", created_at=now - datetime.timedelta(hours=3),
                           due_at=now + datetime.timedelta(minutes=5), attempts=4)  # fmt: skip
    assert outbox_status().pending == 1 and outbox_status().overdue is None
    Message.objects.create(task="x", created_at=now - datetime.timedelta(minutes=3),
                           due_at=now - datetime.timedelta(minutes=3))  # fmt: skip
    assert outbox_status().overdue == datetime.timedelta(minutes=3)


def test_messages_done_more_than_a_week_ago_are_forgotten(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False)
    now = timezone.now()
    old = Message.objects.create(task="x", done_at=now - datetime.timedelta(days=8))
    recent = Message.objects.create(task="x", done_at=now - datetime.timedelta(days=6))
    waiting = Message.objects.create(task="x", created_at=now - datetime.timedelta(days=30))
    assert services.forget_done() == 1
    assert set(Message.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not Message.objects.filter(pk=old.pk).exists()
