import pytest


@pytest.fixture(autouse=True)
def _test_database_is_not_named_as_a_scratch_one(monkeypatch):
    """The guard looks for "bench" in the database's name, which a test database's name may hold
    (test_livc_bench_...): here only `--yes-this-is-a-scratch-database` (scratch=True) lets a
    benchmark write, as it would on a database not named as a scratch one."""
    monkeypatch.setattr("bench.seeding.SCRATCH_MARK", "scratch-mark-no-database-name-holds")
