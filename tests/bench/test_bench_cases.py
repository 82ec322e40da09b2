"""A tiny run of the case benchmark (the real one seeds cells of 100, 1,000 and 10,000 cases)."""

import pytest
from django.core.management import call_command
from django.db import connection

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
        sealing_size=3,
        sealing_rounds=1,
        detail_items=3,
        detail_relations=2,
        rls_rounds=1,
        smoke=True,
        scratch=True,
    )
    out = capsys.readouterr().out
    for role in ("participant", "coordinator"):
        for page in ("case list", "case detail"):
            assert f"{role} {page}: queries at every size: 4: " in out
        assert f"{role} case list, 8 cases / 4 cases (median times)" in out
        for page in ("case list", "case detail"):
            assert f"{role} {page}, per-case data keys / ring only (median times)" in out
            for label in ("data keys", "ring only"):
                assert f"{role:<12} {page:<12} {label:<9}: " in out
            if connection.vendor == "postgresql":
                assert f"{role} {page}: queries with RLS on and off: RLS on: " in out
                assert f"{role} {page}, RLS on / RLS off (median times)" in out
                for label in ("RLS on", "RLS off"):
                    assert f"{role:<12} {page:<12} {label:<7}: " in out
    # The compared case: its person, the case, the referral, 3 items and 2 relations; under the
    # person's key, the items' and the relations' own keys in one cell, the ring in the other.
    assert (
        "data keys: the compared case holds 23 values" in out
        and "0 sealed with the ring, 23 under 6 data key(s)" in out
    )
    assert (
        "ring only: the compared case holds 23 values" in out
        and "23 sealed with the ring, 0 under 0 data key(s)" in out
    )
    if connection.vendor == "postgresql":
        # The probe of the role in effect: the application role sees none of the 3 + 3 + 4 cases of
        # the other cells, the superuser (the process's own role, RLS off) sees them all.
        assert (
            "RLS on : the page's queries ran as livc_app (" in out and "no superuser), seeing 0 cases" in out
        )
        assert "RLS off: the page's queries ran as " in out and "superuser), seeing 10 cases of other" in out
    else:
        assert "Row-level security: none on sqlite; not measured." in out
    assert "move_to_data_keys" in out and "value(s) moved under data keys" in out
    assert "listing query / hand-written SQL" in out
    assert "minutes PDF (3 items) for the participant" in out and "Targets:" in out
    assert Cell.objects.filter(slug__startswith="bench-cases-").count() == 4
    assert Case.objects.count() == 18
