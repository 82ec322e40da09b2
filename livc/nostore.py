"""No page of a logged-in user, and no file handed out, is kept by a browser or a proxy.

After logging out, the Back button or a shared computer's disk cache must not show a case,
the minutes or an audit export: every response to an authenticated request, and every
attachment whoever asked for it, says `Cache-Control: no-store` (with Django's other
never-cache headers). Static files are served before this middleware sees a user, and keep
their own long cache headers.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        attachment = "attachment" in response.get("Content-Disposition", "")
        if attachment or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
