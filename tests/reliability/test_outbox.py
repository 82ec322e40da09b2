"""The transactional outbox: with the broker down a user's action succeeds and its work waits;
when the broker is back each piece of work goes out once, even after a relay killed midway.

The broker is a real Redis server that the test starts on a free port of 127.0.0.1 ("down" is
that port before the server starts), and the work is done by a real Celery worker in a thread.
"""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from livc.celery import app
from livc.notifications.models import Delivery, NotificationKind, Preference
from livc.outbox import services
from livc.outbox.models import Message
from meetings.models import MinutesDocument
from participants.models import InvitationStatus
from retention.tasks import send_weekly_digest
from tests.access.builders import World

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def reset_connections() -> None:
    """Forget Celery's pooled connections, so that the next publish connects anew."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_port() -> Iterator[int]:
    """Celery as in production (not eager), its broker at a port where nothing listens yet."""
    port = free_port()
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    reset_connections()
    yield port
    app.conf.task_always_eager, app.conf.broker_url = saved
    reset_connections()


@contextmanager
def broker_up(port: int, *, keep_connections: bool = False) -> Iterator[redis.Redis]:
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                time.sleep(0.05)
        if not keep_connections:
            reset_connections()
        yield client
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)
        if not keep_connections:
            reset_connections()


def work_until_done(timeout: float = 60) -> None:
    """Run a real worker until no message is pending."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        deadline = time.monotonic() + timeout
        while Message.objects.pending().exists():
            assert time.monotonic() < deadline, list(Message.objects.pending().values("task", "attempts"))
            time.sleep(0.1)


@pytest.fixture
def world(cast) -> World:
    world = World(cast)
    _ = world.rules  # in force: the cell may meet
    # Everyone is told of what waits (the invitation proposed to the mayor, bob's referral retained)
    # in the app only: the messages these tests count are those of the two actions (the
    # notifications' e-mails: tests/notifications/).
    for user in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo, cast.dries):
        for kind in NotificationKind.values:
            Preference.objects.create(user=user, kind=kind, delivery=Delivery.IN_APP)
    return world


def approve_and_ask_for_a_pdf(world: World, as_user) -> tuple:
    invitation, meeting = world.invitation_proposed, world.finalised_meeting
    approve = reverse("participants:invitation_action", kwargs={"cell_slug": "alfa", "pk": invitation.pk,
                                                                "action": "approve"})  # fmt: skip
    answer = as_user(world.cast.mayor).post(approve, follow=True)
    assert answer.status_code == 200 and "approved" in answer.content.decode().lower()
    pdf = reverse("meetings:pdf_request", kwargs={"cell_slug": "alfa", "pk": meeting.pk})
    answer = as_user(world.cast.bob).post(pdf, follow=True)
    assert answer.status_code == 200 and "Your PDF is being prepared" in answer.content.decode()
    invitation.refresh_from_db()
    document = MinutesDocument.objects.get(meeting=meeting, recipient=world.cast.bob)
    return invitation, document


def test_with_the_broker_down_the_users_actions_succeed_and_their_work_goes_out_once_it_is_back(
    world, as_user, broker_port
):
    invitation, document = approve_and_ask_for_a_pdf(world, as_user)

    assert invitation.status == InvitationStatus.SENT
    assert document.status == MinutesDocument.Status.PENDING
    waiting = Message.objects.pending()
    assert waiting.count() == 2 and not waiting.filter(relayed_at__isnull=False).exists()
    assert services.relay() == 0  # still down: the beat's relay hands nothing over, loses nothing
    assert mail.outbox == []

    with broker_up(broker_port):
        assert services.relay() == 2
        work_until_done()
        assert services.relay() == 0

    assert [message.to for message in mail.outbox] == [[invitation.email]]
    document.refresh_from_db()
    assert document.status == MinutesDocument.Status.READY and document.content
    assert Message.objects.filter(done_at__isnull=False).count() == 2


def test_a_relay_killed_after_handing_a_message_over_sends_nothing_twice(
    world, as_user, broker_port, monkeypatch
):
    invitation, document = approve_and_ask_for_a_pdf(world, as_user)

    class Killed(BaseException):
        """A kill -9 between the broker taking the message and the relay marking it."""

    publish = services._publish

    def publish_then_die(message):
        publish(message)
        raise Killed

    with broker_up(broker_port) as broker:
        monkeypatch.setattr(services, "_publish", publish_then_die)
        with pytest.raises(Killed):
            services.relay()
        monkeypatch.undo()
        assert not Message.objects.filter(relayed_at__isnull=False).exists()  # the mark was lost
        assert services.relay() == 2  # so the killed one is handed over again
        assert broker.llen("celery") == 3

        fills = []
        import meetings.tasks

        fill = meetings.tasks.document_fill
        monkeypatch.setattr(meetings.tasks, "document_fill", lambda doc: fills.append(doc.pk) or fill(doc))
        work_until_done()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [invitation.email]
    assert fills == [document.pk]
    assert Message.objects.filter(done_at__isnull=False).count() == 2


def test_the_weekly_digest_is_written_whole_while_the_broker_is_down(world, broker_port):
    _ = world.members  # cells A and B have a coordinator
    assert send_weekly_digest() == 2
    assert Message.objects.pending().filter(task="retention.tasks.send_cell_digest").count() == 2
    assert send_weekly_digest() == 0  # the same week again: nothing more
    with broker_up(broker_port):
        assert services.relay() == 2


def test_a_process_that_published_before_redis_went_down_publishes_again_once_it_is_back(
    world, as_user, broker_port
):
    """The web process's pooled broker connection outlives a Redis restart: what waited while
    Redis was down is handed over by the same process once it is back, without a restart."""
    with broker_up(broker_port, keep_connections=True) as broker:
        approve_and_ask_for_a_pdf(world, as_user)
        assert broker.llen("celery") == 2  # handed over at once, after each commit
    assert Message.objects.filter(relayed_at__isnull=False).count() == 2

    services.enqueue(send_weekly_digest)  # Redis is down now: this one waits
    assert Message.objects.filter(relayed_at__isnull=True).count() == 1
    assert services.relay() == 0

    with broker_up(broker_port, keep_connections=True) as broker:
        assert services.relay() == 1
        assert broker.llen("celery") == 1
