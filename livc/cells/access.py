"""Access helpers: the first line of every view that takes an object from the URL.

Anything outside the user's effective memberships is a 404, so that a user of another
cell cannot even learn that a cell or an object exists.
"""

from typing import TYPE_CHECKING

from django.http import Http404

from livc.accounts.models import User
from livc.cells.models import Membership

if TYPE_CHECKING:
    from livc.http import CellRequest


def get_membership_for_user(user: User, cell_slug: str) -> Membership:
    membership = (
        Membership.objects.effective()
        .filter(user=user, cell__slug=cell_slug)
        .select_related("cell", "user")
        .first()
    )
    if membership is None:
        raise Http404("No such cell.")
    return membership


def require_role(request: "CellRequest", *roles: str) -> None:
    """A page for some roles only: for everyone else it does not exist (404)."""
    if not request.membership.has_role(*roles):
        raise Http404("Not for this role.")
