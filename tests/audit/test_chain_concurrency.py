"""Concurrent writers of one cell must not fork its chain (PostgreSQL: real concurrent connections)."""

import threading

import pytest
from django.db import connection, transaction

from livc.audit.chain import verify_chain
from livc.audit.events import EventKind, record_event
from livc.audit.models import LogEntry
from tests.factories import CellFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_writers_in_parallel_extend_the_chain_one_after_the_other():
    cell = CellFactory(slug="parallel")
    user = UserFactory()
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(10):
                with transaction.atomic():
                    record_event(EventKind.LOGIN, cell=cell, actor=user, instance=user)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(LogEntry.objects.filter(cell=cell).values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 40
    assert verify_chain(cell.pk).ok
