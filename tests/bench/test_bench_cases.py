"""A tiny run of the case benchmark (the real one seeds cells of 100, 1,000 and 10,000 cases)."""

import pytest
from django.core.management import call_command

from cases.models import Case
from livc.cells.models import Cell

pytestmark = pytest.mark.django_db


def test_a_small_run_measures_every_page_at_every_size_and_checks_the_targets(capsys):
    call_command(
        "bench_cases",
        sizes="4,8",
        pool=5,
        seats=2,
        repeat=1,
        pdf_items=3,
        pdf_rounds=1,
        smoke=True,
        scratch=True,
    )
    out = capsys.readouterr().out
    for role in ("participant", "coordinator"):
        for page in ("case list", "case detail"):
            assert f"{role} {page}: queries at every size: 4: " in out
        assert f"{role} case list, 8 cases / 4 cases (median times)" in out
    assert "listing query / hand-written SQL" in out
    assert "minutes PDF (3 items) for the participant" in out and "Targets:" in out
    assert Cell.objects.filter(slug__startswith="bench-cases-").count() == 2
    assert Case.objects.count() == 12
