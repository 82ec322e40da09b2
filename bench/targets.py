"""What the benchmarks share to check their targets, and to compare timings on a noisy machine.

Each benchmark collects its targets in a `Targets`: every check prints the measured value, the
target and PASS or FAIL as it is made; `finish()` prints the summary and raises `CommandError`
(exit status 1) when one was missed. With `enforce=False` (`--smoke`: tiny sizes in the test
suite) the checks are made and printed the same way, marked "not enforced", and nothing fails.

Ratios between timings are measured in one run, interleaved: `interleaved_medians` calls the
things it compares in turn, round after round, so a burst of load from another process falls
on all of them alike, and takes each one's median.
"""

import operator
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.management.base import CommandError, CommandParser

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


class Writer(Protocol):
    """A command's stdout (`OutputWrapper`) or any text stream."""

    def write(self, text: str, /) -> Any: ...


@dataclass(frozen=True)
class Check:
    name: str
    measured: Any
    comparison: str
    target: Any
    unit: str
    passed: bool

    def line(self, *, enforced: bool) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        if not enforced:
            verdict += " (not enforced)"
        return (
            f"[{verdict}] {self.name}: {_show(self.measured)}{self.unit} "
            f"(target {self.comparison} {_show(self.target)}{self.unit})"
        )


@dataclass
class Targets:
    """The targets of one benchmark run: check each, then `finish()`."""

    out: Writer
    enforce: bool = True
    checks: list[Check] = field(default_factory=list)

    def check(self, name: str, measured: Any, comparison: str, target: Any, unit: str = "") -> bool:
        """Compare `measured` with `target` (`measured <comparison> target`), print and keep it."""
        passed = bool(_COMPARISONS[comparison](measured, target))
        check = Check(name, measured, comparison, target, unit, passed)
        self.checks.append(check)
        self.out.write(check.line(enforced=self.enforce) + "\n")
        return passed

    def check_equal(self, name: str, values: Mapping[str, Any]) -> bool:
        """All `values` (label: value) are the same, e.g. one page's query count at every size."""
        distinct = set(values.values())
        shown = ", ".join(f"{label}: {value}" for label, value in values.items())
        passed = len(distinct) <= 1
        check = Check(name, shown, "==", "all equal", "", passed)
        self.checks.append(check)
        self.out.write(check.line(enforced=self.enforce) + "\n")
        return passed

    @property
    def missed(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def finish(self) -> None:
        """Print the summary; raise `CommandError` (exit status 1) if a target was missed."""
        missed = self.missed
        self.out.write(f"\nTargets: {len(self.checks) - len(missed)} of {len(self.checks)} met.\n")
        for check in missed:
            self.out.write("  missed: " + check.line(enforced=self.enforce) + "\n")
        if missed and self.enforce:
            names = "; ".join(check.name for check in missed)
            raise CommandError(f"{len(missed)} target(s) missed: {names}", returncode=1)


def add_smoke_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes (the test suite): targets are checked and printed but a miss does not fail",
    )


def interleaved_medians(calls: Mapping[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Time each call once per round, in turn, after one warm-up each; the timings in ms.

    Interleaving puts the machine's noise on every compared call alike; compare medians.
    """
    for call in calls.values():
        call()
    timings: dict[str, list[float]] = {label: [] for label in calls}
    for _ in range(rounds):
        for label, call in calls.items():
            started = time.perf_counter()
            call()
            timings[label].append((time.perf_counter() - started) * 1000)
    return timings


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else float("nan")


def _show(value: Any) -> str:
    if isinstance(value, float):
        return (
            f"{value:.2f}" if abs(value) < 10 else f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
        )
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
