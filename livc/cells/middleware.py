from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from livc.cells.access import get_membership_for_user
from livc.database.tenancy import enter_cell


class CellMiddleware:
    """Resolve `/c/<cell_slug>/...` to `request.cell` and `request.membership`, or answer 404.

    Runs after login and second-factor checks. The `cell_slug` URL argument is consumed
    here, so cell views take `request: CellRequest` and never look the cell up themselves.
    A user without an effective membership (none, deactivated, or an information officer
    whose clearance expired) gets the same 404 as for a cell that does not exist. Once the
    membership holds, the database shows the cell's rows, and only those (`ScopeMiddleware`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        cell_slug = view_kwargs.pop("cell_slug", None)
        if cell_slug is None:
            return None
        membership = get_membership_for_user(request, cell_slug)  # type: ignore[arg-type]
        request.membership = membership  # type: ignore[attr-defined]
        request.cell = membership.cell  # type: ignore[attr-defined]
        enter_cell(membership.cell_id)  # row-level security: this cell's rows, for the rest of the request
        return None
