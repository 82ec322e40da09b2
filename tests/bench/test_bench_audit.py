"""A tiny run of the benchmark command (the real one seeds a million entries: `make bench`)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from livc.audit.chain import verify_chain
from livc.audit.models import LogEntry
from livc.cells.models import Cell

pytestmark = pytest.mark.django_db


def test_it_refuses_a_database_that_is_not_a_scratch_one(db):
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench_audit", entries=10)
    assert not Cell.objects.exists()


def test_a_small_run_seeds_chained_entries_and_prints_the_figures(db, capsys):
    call_command("bench_audit", entries=120, requests=2, smoke=True, scratch=True)
    out = capsys.readouterr().out
    assert "Seeded 120 entries in one cell" in out
    assert "rows/s" in out and "RSS" in out and "log, first page: median" in out
    assert "who saw a case: median" in out and "Targets:" in out and "(not enforced)" in out
    cells = Cell.objects.filter(slug__startswith="bench-")
    assert LogEntry.objects.filter(cell__in=cells, access_kind="view").count() > 0
    assert all(verify_chain(cell.pk).ok for cell in cells)
