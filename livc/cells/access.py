"""Access helpers: the first line of every view that takes an object from the URL.

Anything outside the user's effective memberships is a 404, so that a user of another
cell cannot even learn that a cell or an object exists.
"""

from typing import TYPE_CHECKING

from django.http import Http404

from livc.cells.models import Membership
from livc.cells.selectors import membership_list_for_user
from livc.http import once_per_request

if TYPE_CHECKING:
    from livc.http import AuthenticatedRequest, CellRequest


@once_per_request
def request_memberships(request: "AuthenticatedRequest") -> list[Membership]:
    """The requesting user's effective memberships with their cells, read once per request: the
    cell middleware picks the current one from them and the header's cell switcher lists them."""
    user = request.user
    memberships = list(membership_list_for_user(user=user))
    for membership in memberships:
        membership.user = user  # the same person: no second read of the account
    return memberships


def get_membership_for_user(request: "AuthenticatedRequest", cell_slug: str) -> Membership:
    membership = next((m for m in request_memberships(request) if m.cell.slug == cell_slug), None)
    if membership is None:
        raise Http404("No such cell.")
    return membership


def require_role(request: "CellRequest", *roles: str) -> None:
    """A page for some roles only: for everyone else it does not exist (404)."""
    if not request.membership.has_role(*roles):
        raise Http404("Not for this role.")
