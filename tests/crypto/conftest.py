"""The crypto tests that purge work in the retention tests' world: its fixtures, named here once."""

from tests.retention.conftest import (  # noqa: F401  fixtures, used by name
    acknowledged_again,
    agenda,
    case_a,
    clock,
    meeting,
    members,
    other_case,
    rules,
    running,
    scenario,
    seats,
)
