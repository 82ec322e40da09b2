"""Two cells with a case each: cell A's `case_a` (bob at its table) and cell B's `case_b`."""

import pytest

from tests.cases.conftest import case_a, make_case, members, seats  # noqa: F401  the cases' fixtures


@pytest.fixture
def case_b(cast, members, seats):  # noqa: F811
    """A case of cell B, referred and qualified by its coordinator, charlie (who sees every case of B)."""
    charlie = members["charlie"]
    case = make_case(
        {"participant": charlie, "coordinator": charlie}, pseudonym="Persoon Wilg", first_name="Wim",
        last_name="Verweg",
    )  # fmt: skip
    return case
