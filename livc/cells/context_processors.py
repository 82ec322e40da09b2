from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from livc.cells.navigation import items_for
from livc.cells.notices import notices_for


def cell(request: HttpRequest) -> dict[str, Any]:
    """The current cell, the user's membership and the navigation for their role."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    nav = [
        {
            "url": reverse(item.url_name, kwargs={"cell_slug": membership.cell.slug}),
            "label": item.label,
            "current": item.url_name == current,
        }
        for item in items_for(membership.role)
    ]
    return {
        "cell": membership.cell,
        "membership": membership,
        "cell_nav": nav,
        "cell_notices": notices_for(request),  # type: ignore[arg-type]
    }
