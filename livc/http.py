"""Typed requests: what the middlewares put on a request, for views and type checking; and
`once_per_request`, for reads that the page, its notices and its menu all need."""

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

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


Request = TypeVar("Request", bound=HttpRequest)
Result = TypeVar("Result")
_MEMO = "_livc_once_per_request"


def once_per_request(read: Callable[[Request], Result]) -> Callable[[Request], Result]:
    """`read(request)` runs once per request; later calls get the same answer.

    For reads whose answer cannot change while a request runs (a view that changes it
    redirects): the cell's rules in force, the member's acknowledgement, the notices. The
    answer lives on the request object, so it goes with the request.
    """
    name = f"{read.__module__}.{read.__qualname__}"

    @functools.wraps(read)
    def memoised(request: Request) -> Result:
        memo: dict[str, Any] = request.__dict__.setdefault(_MEMO, {})
        if name not in memo:
            memo[name] = read(request)
        return memo[name]

    return memoised


def forget_per_request(request: HttpRequest) -> None:
    """Drop what `once_per_request` kept (a view that changed it and renders on)."""
    request.__dict__.pop(_MEMO, None)
