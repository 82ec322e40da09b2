"""A tiny run of the purge benchmark (the real one seeds 10,000 cases: `make bench`)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case
from livc.audit.chain import verify_chain
from livc.cells.models import Cell
from retention.models import PurgeRecord

pytestmark = pytest.mark.django_db


def test_it_refuses_a_database_that_is_not_a_scratch_one():
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench_purge", cases=5, cells=1)
    assert not Cell.objects.exists()


def test_a_small_run_seeds_expired_cases_purges_them_and_prints_the_figures(capsys):
    call_command("bench_purge", cases=12, cells=2, referrals=3, smoke=True, scratch=True)
    out = capsys.readouterr().out
    assert "Seeded 12 expired cases and 3 not-retained referrals over 2 cells" in out
    assert "Purged 12 cases and 3 referrals in" in out and "cases/s" in out and "0 failed" in out
    assert "RSS growth at most" in out and "Targets:" in out
    assert "[PASS (not enforced)] purges failed: 0 (target == 0)" in out
    assert not Case.objects.exists() and PurgeRecord.objects.count() == 15
    assert all(
        record.counts["audit_entries_scrubbed"] > 20 for record in PurgeRecord.objects.filter(kind="case")
    )
    cells = Cell.objects.filter(slug__startswith="bench-purge-")
    assert cells.count() == 2 and all(verify_chain(cell.pk).ok for cell in cells)


def test_seed_only_leaves_the_cases_for_purge_expired(capsys):
    call_command("bench_purge", cases=3, cells=1, referrals=0, seed_only=True, scratch=True)
    assert Case.objects.count() == 3 and "Purged" not in capsys.readouterr().out
    call_command("purge_expired")
    assert not Case.objects.exists()
