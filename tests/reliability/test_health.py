"""The health endpoints against real PostgreSQL and Redis (livc/health.py).

`/health/ready/` names what fails and answers 503: Redis (as the cache and as the broker) at a
closed port, within a couple of seconds; a migration on disk that the database has not applied;
an outbox message waiting longer than `LIVC_OUTBOX_MAX_AGE_SECONDS`; an audit entry waiting to be
sealed longer than `LIVC_AUDIT_SEAL_MAX_AGE_SECONDS`. `/health/live/` answers
200 whatever is down. Neither is ever cached, and neither names a host.
"""

import socket
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import timezone

from livc.outbox.models import Message

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

REDIS_URL = "redis://127.0.0.1:6379/11"
READY = "/health/ready/"
LIVE = "/health/live/"


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: taken from the system, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def redis_at(url: str):
    """The cache and the Celery broker on the Redis at `url`, as `REDIS_URL` sets them in production."""
    cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    with override_settings(CACHES=cache, CELERY_BROKER_URL=url):
        yield


def redis_down():
    return redis_at(f"redis://127.0.0.1:{closed_port()}/0")


def lines(response) -> dict[str, str]:
    body = response.content.decode() if hasattr(response, "content") else response
    return dict(line.split(": ", 1) for line in body.strip().splitlines())


def assert_never_cached(response) -> None:
    cache_control = response.headers["Cache-Control"]
    assert "no-store" in cache_control and "no-cache" in cache_control and "max-age=0" in cache_control


def test_everything_up_is_ready(client):
    Message.objects.create(task="livc.tasks.heartbeat", created_at=timezone.now() - timedelta(minutes=1))
    with redis_at(REDIS_URL):
        response = client.get(READY)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    assert lines(response) == {
        "Database": "OK",
        "Migrations": "OK",
        "Key store": "OK",
        "Key store migrations": "OK",
        "Redis cache": "OK",
        "Redis broker": "OK",
        "Outbox": "OK (1 pending, 0 given up)",
        "Audit sealing": "OK (0 waiting)",
    }
    assert_never_cached(response)


def test_without_redis_url_redis_is_not_configured_and_does_not_fail(client):
    # The embedded default: local-memory cache, tasks in-process (livc/settings/base.py).
    with override_settings(CELERY_BROKER_URL="memory://"):
        response = client.get(READY)
    assert response.status_code == 200, response.content
    assert lines(response)["Redis cache"] == "not configured (local memory)"
    assert lines(response)["Redis broker"] == "not configured (tasks run in-process)"


def test_redis_down_is_not_ready_and_says_so_quickly(client):
    with redis_down():
        started = time.monotonic()
        response = client.get(READY)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    answers = lines(response)
    assert answers["Redis cache"] == "unreachable"
    assert answers["Redis broker"] == "unreachable"
    assert answers["Database"] == answers["Migrations"] == "OK"
    assert elapsed < 3, f"took {elapsed:.1f} s"
    assert b"127.0.0.1" not in response.content  # components, never hosts
    assert_never_cached(response)


def test_a_redis_that_never_answers_does_not_hang_the_check(client):
    # It accepts the connection (the kernel does, for a listening socket) and then says nothing.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        with redis_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
            started = time.monotonic()
            response = client.get(READY)
            elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert lines(response)["Redis cache"] == "unreachable"
    assert elapsed < 3, f"took {elapsed:.1f} s"


def test_an_unapplied_migration_is_not_ready(client):
    # The database forgets one applied migration (in the test's transaction, rolled back after):
    # the process now holds a migration the schema has not had.
    app_label, name = MigrationExecutor(connection).loader.graph.leaf_nodes()[0]
    MigrationRecorder(connection).record_unapplied(app_label, name)
    response = client.get(READY)
    assert response.status_code == 503
    assert lines(response)["Migrations"] == "1 unapplied"
    assert lines(response)["Database"] == "OK"


def test_a_key_store_missing_a_migration_is_not_ready(client):
    # The key store's own migration, forgotten (rolled back after the test).
    keys = connections["keys"]
    MigrationRecorder(keys).record_unapplied("crypto", "0001_data_keys")
    response = client.get(READY)
    assert response.status_code == 503
    assert lines(response)["Key store migrations"] == "1 unapplied"
    assert lines(response)["Migrations"] == "OK"


def test_an_old_pending_outbox_message_is_not_ready(client):
    now = timezone.now()
    due = now - timedelta(seconds=1000)
    Message.objects.create(task="livc.tasks.heartbeat", created_at=due, due_at=due)
    # Done and given-up messages are not waiting, however old; one waiting for its retry after a
    # failure (the mail server is down) is not due yet, however old.
    Message.objects.create(task="livc.tasks.heartbeat", created_at=now - timedelta(days=2),
                           due_at=now + timedelta(minutes=8), attempts=3)  # fmt: skip
    Message.objects.create(task="livc.tasks.heartbeat", created_at=now - timedelta(days=2), done_at=now)
    Message.objects.create(task="livc.tasks.heartbeat", created_at=now - timedelta(days=2), failed_at=now)
    response = client.get(READY)
    assert response.status_code == 503
    assert lines(response)["Outbox"] == "a message has been due for 1000 s (limit 900 s), 2 pending"


def test_a_message_waiting_for_its_retry_does_not_make_the_site_unready(client):
    """One mail that keeps failing must not take every web process out of the load balancer."""
    now = timezone.now()
    Message.objects.create(task="livc.tasks.heartbeat", created_at=now - timedelta(hours=2),
                           due_at=now + timedelta(minutes=30), attempts=6)  # fmt: skip
    response = client.get(READY)
    assert response.status_code == 200 and lines(response)["Outbox"] == "OK (1 pending, 0 given up)"


def test_the_outbox_limit_is_a_setting(client):
    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    Message.objects.create(task="livc.tasks.heartbeat", created_at=two_minutes_ago, due_at=two_minutes_ago)
    assert client.get(READY).status_code == 200
    with override_settings(LIVC_OUTBOX_MAX_AGE_SECONDS=60):
        response = client.get(READY)
    assert response.status_code == 503
    assert "Outbox" in response.content.decode()


def test_an_audit_entry_the_sealer_left_waiting_is_not_ready(client):
    """The sealer runs every 5 seconds: an entry unsealed for longer than the limit means it stopped."""
    from livc.audit.chain import seal_all_pending
    from livc.audit.events import EventKind, record_event

    record_event(EventKind.KEYS_ROTATED, data={"rows": 1})
    response = client.get(READY)
    assert response.status_code == 200 and lines(response)["Audit sealing"] == "OK (1 waiting)"
    with override_settings(LIVC_AUDIT_SEAL_MAX_AGE_SECONDS=1):
        time.sleep(1.1)
        response = client.get(READY)
        assert response.status_code == 503
        assert lines(response)["Audit sealing"].startswith("an entry has waited 1 s to be sealed (limit 1 s)")
        seal_all_pending()
        assert client.get(READY).status_code == 200


def test_live_answers_even_with_redis_down(client):
    with redis_down():
        response = client.get(LIVE)
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert_never_cached(response)


def test_live_and_ready_need_no_login_and_take_no_post(client):
    assert client.post(LIVE).status_code == 405
    assert client.post(READY).status_code == 405


def fetch(url: str) -> tuple[int, str]:
    """What an operator's `curl` or a container's probe does: a plain GET, nothing else."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  a test URL
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_probe_over_http_sees_ready_then_redis_down(live_server):
    with redis_at(REDIS_URL):
        status, body = fetch(live_server.url + READY)
    assert status == 200, body
    assert lines(body)["Redis cache"] == "OK"
    with redis_down():
        status, body = fetch(live_server.url + READY)
    assert status == 503
    assert lines(body)["Redis cache"] == "unreachable"
    assert lines(body)["Redis broker"] == "unreachable"
