from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from livc.database.tenancy import scope


class ScopeMiddleware:
    """Run the request in one transaction, as the application's database role, in no cell yet.

    `CellMiddleware` sets the request's cell once it has checked the membership (`enter_cell`);
    until then, and on every page outside a cell, row-level security shows no tenant row but the
    person's own memberships (docs/adr/0011). A response that is a server error rolls the
    transaction back: nothing of a request that failed is half-written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        person = user.pk if user is not None and user.is_authenticated else None
        with scope(person_id=person):
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response
