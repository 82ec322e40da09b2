"""Typed requests: what the middlewares put on a request, for views and type checking."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from livc.accounts.models import User
    from livc.cells.models import Cell, Membership


class AuthenticatedRequest(HttpRequest):
    user: "User"


class CellRequest(AuthenticatedRequest):
    """A request under /c/<cell-slug>/: `CellMiddleware` has checked the membership."""

    cell: "Cell"
    membership: "Membership"
