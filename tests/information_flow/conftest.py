"""Fixtures of the information-flow tests: the cases, meeting and purge world of the retention
tests (`tests/retention/conftest.py`, built on `tests/meetings/` and `tests/cases/`), named here once;
and those of the subject-access request tests (`access_world.py`)."""

from tests.audit.conftest import dpo_b  # noqa: F401  a fixture: the DPO of cell B
from tests.information_flow.access_world import person_items  # noqa: F401  the access-request tests'
from tests.retention.conftest import (  # noqa: F401  fixtures, used by name
    acknowledged_again,
    agenda,
    case_a,
    clock,
    meeting,
    members,
    not_retained,
    other_case,
    rules,
    running,
    scenario,
    seats,
)
