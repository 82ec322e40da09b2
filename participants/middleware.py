"""The secrecy gate of rule 6, applied in one place to every view that shows case content.

A view marked `@shows_case_content` (`livc/audit/access.py`) is answered, for a member who has
not acknowledged the secrecy of the table under the rules in force, with the acknowledgement
page instead, whatever the method, and before the view runs: no view checks it itself. An htmx
request is sent there by `HX-Redirect`, so the page replaces the screen rather than a panel.
"""

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from livc.audit.access import is_case_content
from participants.selectors import request_has_acknowledged

View = TypeVar("View", bound=Callable[..., Any])


def acknowledgement_first(view: View) -> View:
    """Put a view that shows no case content behind the secrecy acknowledgement too (referring a
    person, for instance); views marked `@shows_case_content` are behind it already."""
    view.acknowledgement_first = True  # type: ignore[attr-defined]
    return view


def _gated(view: Callable[..., Any]) -> bool:
    return is_case_content(view) or bool(getattr(view, "acknowledgement_first", False))


class SecrecyGateMiddleware:
    """Runs after `CellMiddleware`, which has set `request.cell` and `request.membership`."""

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
        if not _gated(view_func) or not hasattr(request, "membership"):
            return None
        if request_has_acknowledged(request):  # type: ignore[arg-type]
            return None
        back = request.get_full_path() if request.method == "GET" else ""
        url = reverse("participants:acknowledge", kwargs={"cell_slug": request.cell.slug})  # type: ignore[attr-defined]
        if back:
            url = f"{url}?{urlencode({'next': back})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
