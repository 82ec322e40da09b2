from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from livc.cells.access import request_memberships
from livc.cells.models import Membership
from livc.cells.navigation import items_for
from livc.cells.notices import notices_for
from livc.cells.waiting import count_of
from livc.http import AuthenticatedRequest, once_per_request


class CellSwitcher:
    """The header's switch between the cells a person is a member of; shown only for several.

    Read only when the header is drawn, from the person's own effective memberships: the ones the
    cell middleware read already on a cell page, one query elsewhere.
    """

    def __init__(self, request: AuthenticatedRequest, current: Membership | None) -> None:
        self.request = request
        self.current_cell_id = current.cell_id if current is not None else None

    @cached_property
    def memberships(self) -> list[Membership]:
        return request_memberships(self.request)

    @property
    def show(self) -> bool:
        return len(self.memberships) > 1

    @property
    def current(self) -> Membership | None:
        return next((m for m in self.memberships if m.cell_id == self.current_cell_id), None)

    @property
    def entries(self) -> list[dict[str, Any]]:
        return [
            {
                "url": reverse("cells:home", kwargs={"cell_slug": membership.cell.slug}),
                "name": membership.cell.name,
                "role": membership.get_role_display(),
                "current": membership.cell_id == self.current_cell_id,
            }
            for membership in self.memberships
        ]


@once_per_request
def cell(request: HttpRequest) -> dict[str, Any]:
    """The current cell, the user's membership, the navigation for their role, the cell switcher.

    Worked out once per request, however many templates the view renders with it."""
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    switcher = {"cell_switcher": CellSwitcher(request, membership)} if authenticated else {}  # type: ignore[arg-type]
    if membership is None:
        return switcher
    current = request.resolver_match.view_name if request.resolver_match else ""
    nav = [
        {
            "url": reverse(item.url_name, kwargs={"cell_slug": membership.cell.slug}),
            "label": item.label,
            "current": item.url_name == current,
            "count": count_of(request, item.count_source) if item.count_source else 0,  # type: ignore[arg-type]
        }
        for item in items_for(membership.role)
        if item.shown is None or item.shown(request)
    ]
    return {
        **switcher,
        "cell": membership.cell,
        "membership": membership,
        "cell_nav": nav,
        "cell_notices": notices_for(request),  # type: ignore[arg-type]
    }
