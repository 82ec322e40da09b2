"""Development only (added by `livc/settings/dev.py`): with DEBUG on, a missing page shows the
project's own translated 404 page, as in production, instead of Django's English technical
page. A developer who wants the technical page (the URL patterns tried) adds `?debug-404`."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.defaults import page_not_found

# Django's technical 404 page carries this line; the project's own pages do not.
TECHNICAL_PAGE_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'
SHOW_TECHNICAL_PAGE = "debug-404"


class ProjectNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self._is_technical_404(request, response):
            return page_not_found(request, Http404())
        return response

    @staticmethod
    def _is_technical_404(request: HttpRequest, response: HttpResponseBase) -> bool:
        return (
            settings.DEBUG
            and response.status_code == 404
            and SHOW_TECHNICAL_PAGE not in request.GET
            and isinstance(response, HttpResponse)
            and TECHNICAL_PAGE_MARK in response.content
        )
