"""Typed requests: what the middlewares put on a request, for views and type checking."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from livc.accounts.models import User
    from livc.cells.models import Cell, Membership


class AuthenticatedRequest(HttpRequest):
    user: "User"
    htmx: "HtmxDetails"  # django-htmx's middleware


class CellRequest(AuthenticatedRequest):
    """A request under /c/<cell-slug>/: `CellMiddleware` has checked the membership."""

    cell: "Cell"
    membership: "Membership"
