"""Two runs at the same time do not both purge (PostgreSQL: real concurrent connections)."""

import datetime
import threading

import pytest
from django.db import connection

from cases.models import Case
from retention import services
from retention.models import PurgeRecord
from tests.retention.conftest import KEEP_UNTIL, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_second_run_finds_the_lock_taken_and_does_nothing(clock, scenario, not_retained):
    clock.move_to(at(KEEP_UNTIL + datetime.timedelta(days=1), hour=3), tick=False)
    first_started, second_done = threading.Event(), threading.Event()
    runs: dict[str, services.PurgeRun] = {}
    errors: list[BaseException] = []

    def first() -> None:
        def pause_after_the_first_purge(record):
            if not first_started.is_set():
                first_started.set()
                second_done.wait(timeout=30)

        try:
            runs["first"] = services.purge_expired(progress=pause_after_the_first_purge)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            first_started.set()
            connection.close()

    def second() -> None:
        try:
            first_started.wait(timeout=30)
            runs["second"] = services.purge_expired()
        except BaseException as error:
            errors.append(error)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert runs["second"].locked_out and (runs["second"].cases, runs["second"].referrals) == (0, 0)
    assert not runs["first"].locked_out and (runs["first"].cases, runs["first"].referrals) == (2, 1)
    assert PurgeRecord.objects.count() == 3 and not Case.objects.exists()


def test_the_lock_is_free_again_after_a_run(clock, scenario):
    clock.move_to(at(KEEP_UNTIL + datetime.timedelta(days=1), hour=3), tick=False)
    assert not services.purge_expired().locked_out
    assert not services.purge_expired().locked_out
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        assert cursor.fetchone() == (0,)
