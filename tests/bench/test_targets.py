"""The benchmarks' target checker: every check printed with PASS or FAIL, a missed target fails
the command (exit status 1), and `--smoke` (tiny sizes) checks without enforcing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.targets import Targets, interleaved_medians


def test_met_targets_print_pass_and_finish_quietly():
    out = io.StringIO()
    targets = Targets(out)
    assert targets.check("page time (median)", 12.5, "<", 200, " ms")
    assert targets.check_equal("queries at every size", {"100": 21, "10,000": 21})
    targets.finish()
    text = out.getvalue()
    assert "[PASS] page time (median): 12.5 ms (target < 200 ms)" in text
    assert "[PASS] queries at every size: 100: 21, 10,000: 21 (target == all equal)" in text
    assert "Targets: 2 of 2 met." in text


def test_a_missed_target_prints_fail_and_exits_with_status_1():
    out = io.StringIO()
    targets = Targets(out)
    targets.check("throughput", 51_000, ">=", 100_000, " rows/s")
    assert not targets.check_equal("queries at every size", {"100": 21, "10,000": 22})
    with pytest.raises(CommandError, match="2 target") as raised:
        targets.finish()
    assert raised.value.returncode == 1  # what manage.py exits with
    assert "[FAIL] throughput: 51,000 rows/s (target >= 100,000 rows/s)" in out.getvalue()
    assert "missed: [FAIL] queries at every size" in out.getvalue()


def test_not_enforced_a_miss_is_printed_but_does_not_fail():
    out = io.StringIO()
    targets = Targets(out, enforce=False)
    targets.check("throughput", 1, ">=", 2)
    targets.finish()
    assert "[FAIL (not enforced)] throughput: 1 (target >= 2)" in out.getvalue()


@pytest.mark.django_db
def test_a_benchmark_that_misses_its_target_fails(capsys):
    # One case cannot be purged within 60 s / 10,000 = 6 ms: enforced, the run fails.
    with pytest.raises(CommandError, match="target\\(s\\) missed: purge of 1 cases") as raised:
        call_command("bench_purge", cases=1, cells=1, referrals=0, scratch=True)
    assert raised.value.returncode == 1
    assert "[FAIL] purge of 1 cases" in capsys.readouterr().out


def test_interleaved_timings_take_every_call_in_turn():
    order: list[str] = []
    timings = interleaved_medians({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, 3)
    assert order == ["a", "b"] + ["a", "b"] * 3  # one warm-up each, then rounds
    assert {label: len(values) for label, values in timings.items()} == {"a": 3, "b": 3}
