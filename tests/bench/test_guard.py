"""Every benchmark refuses a database that is not named as a scratch one, before writing anything."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from livc.cells.models import Cell

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("command", ["bench_audit", "bench_cases", "bench_purge", "bench_web"])
def test_each_benchmark_refuses_a_database_that_is_not_a_scratch_one(command):
    with pytest.raises(CommandError, match=r"Refusing to seed .*--yes-this-is-a-scratch-database"):
        call_command(command)
    assert not Cell.objects.exists()


def test_no_production_setting_installs_the_benchmarks():
    from livc.settings import base

    assert "bench" not in base.INSTALLED_APPS
