import pytest

from livc.cells.models import Membership
from tests.factories import OrganisationFactory


@pytest.fixture
def org(cast):
    return OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb")


@pytest.fixture
def members(cast):
    """The acting memberships of cell A, by role name."""
    get = lambda user: Membership.objects.get(user=user, cell=cast.cell_a)
    return {"coordinator": get(cast.alice), "mayor": get(cast.mayor), "participant": get(cast.bob)}
