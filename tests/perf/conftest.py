"""The retention scenario (a cell with two discussed cases, bob at case A's table) for the
per-request work tests."""

from tests.retention.conftest import *  # noqa: F403  the fixtures the scenario needs
from tests.retention.conftest import clock, not_retained, scenario  # noqa: F401
