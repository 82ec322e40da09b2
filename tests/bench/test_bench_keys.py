"""A tiny run of the key-rotation benchmark (the real one seeds 30,000 cases: `make bench`)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case
from livc.cells.models import Cell
from livc.crypto.keyring import get_key_ring
from livc.crypto.models import DataKey

pytestmark = pytest.mark.django_db


def test_it_refuses_a_database_that_is_not_a_scratch_one():
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench_keys", cases=5)
    assert not Cell.objects.exists()


def test_a_small_run_rotates_reads_back_with_the_new_version_alone_and_leaves_nothing_behind(capsys):
    versions = get_key_ring().versions
    keys_before = set(DataKey.objects.values_list("pk", "wrapped"))
    call_command("bench_keys", cases=12, items=2, sample=5, smoke=True, scratch=True)
    out = capsys.readouterr().out
    assert "Seeded 12 cases with 24 items" in out and "36 data keys made in bulk, 3.0 per case" in out
    assert f"version {versions[0] + 1} added" in out
    assert "36 re-wrapped with key version" in out and "keys/s" in out and "RSS growth at most" in out
    assert f"Read back with version {versions[0] + 1} alone: 35 values of 5 cases" in out
    assert "[PASS (not enforced)] sampled values that do not decrypt with the new version alone: 0" in out
    assert "[PASS (not enforced)] live data keys still wrapped with an old version: 0" in out
    assert "rotate_encryption_keys, 12 cases (36 data keys)" in out and "Targets:" in out
    # Rolled back: no cell, no case, no key of the run; the ring is the configured one again.
    assert "Rolled back" in out and not Cell.objects.exists() and not Case.objects.exists()
    assert set(DataKey.objects.values_list("pk", "wrapped")) == keys_before
    assert get_key_ring().versions == versions
