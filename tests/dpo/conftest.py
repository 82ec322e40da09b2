"""The DPO console's tests share the audit tests' helpers (entries written as the app writes them)."""

from tests.audit.conftest import dpo_b  # noqa: F401  a fixture: the DPO of cell B
from tests.cases.conftest import members, seats  # noqa: F401  fixtures: cell A's members and seats
