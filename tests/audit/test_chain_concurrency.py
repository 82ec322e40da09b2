"""Concurrent writers and sealers of one cell must not fork its chain (PostgreSQL: real concurrent
connections)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from livc.audit.chain import seal_all_pending, seal_pending, verify_chain
from livc.audit.events import EventKind, record_event
from livc.audit.models import ChainHead, LogEntry
from tests.factories import CellFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run `work(number)` in `count` threads started together; the errors they raised."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            work(number)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_writers_in_parallel_then_the_sealer_extend_the_chain_one_after_the_other():
    cell = CellFactory(slug="parallel")
    user = UserFactory()

    def write(_number: int) -> None:
        for _ in range(10):
            with transaction.atomic():
                record_event(EventKind.LOGIN, cell=cell, actor=user, instance=user)

    assert in_threads(4, write) == []
    assert LogEntry.objects.filter(cell=cell, chain_seq__isnull=True).count() >= 40  # no lock, no seal
    seal_all_pending()
    seqs = sorted(LogEntry.objects.filter(cell=cell).values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 40
    assert verify_chain(cell.pk).ok


def test_sealers_in_parallel_with_writers_leave_no_gap_and_no_double(monkeypatch):
    """Four writers and three sealers at once (the sealers in small chunks, waiting for the head
    or skipping it as the beat task does): every entry gets one place, in one unbroken chain."""
    monkeypatch.setattr("livc.audit.chain.SEAL_CHUNK", 7)
    cell = CellFactory(slug="sealers")
    user = UserFactory()
    done = threading.Event()

    def write(_number: int) -> None:
        for _ in range(25):
            record_event(EventKind.LOGIN, cell=cell, actor=user, instance=user)

    def seal(number: int) -> None:
        while not done.is_set():
            if number % 2 == 0:
                seal_pending(cell.pk)  # waits for the head, as the DPO's button
            else:
                seal_all_pending()  # skips a head another sealer holds, as the beat task

    written: list[BaseException] = []
    writers = threading.Thread(target=lambda: (written.extend(in_threads(4, write)), done.set()))
    writers.start()
    errors = in_threads(3, seal)
    writers.join()
    assert errors == [] and written == []
    seal_pending(cell.pk)
    seqs = list(LogEntry.objects.filter(cell=cell).order_by("chain_seq").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 100  # and the cell's own creation
    assert ChainHead.objects.get(key=cell.pk).seq == len(seqs)
    assert verify_chain(cell.pk).ok
