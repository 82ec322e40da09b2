import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from livc.accounts.otp import has_confirmed_device, is_verified

SESSION_EXPIRED_EVENT = "livc:session-expired"


def wants_script_answer(request: HttpRequest) -> bool:
    """An htmx request, or a script asking for JSON: a redirect to a login page helps neither."""
    return request.headers.get("HX-Request") == "true" or "application/json" in request.headers.get(
        "Accept", ""
    )


def session_expired_response() -> HttpResponse:
    """401 and an `HX-Trigger` event instead of the login page, which htmx would paste in.

    `static/js/session.js` listens for the event, keeps what was typed and opens the login
    page with `expired=1`; the 401 itself is never swapped into the page.
    """
    response = HttpResponse(
        _("Your session has expired. Log in again to go on."),
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["HX-Trigger"] = json.dumps({SESSION_EXPIRED_EVENT: {"login": reverse(settings.LOGIN_URL)}})
    response["HX-Reswap"] = "none"
    add_never_cache_headers(response)
    return response


def session_cookie_is_stale(request: HttpRequest) -> bool:
    """The browser still sends a session cookie, but the server no longer has that session.

    After a logout the cookie is deleted, so this means the session timed out.
    """
    return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME)) and request.session.is_empty()


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's login requirement, answering scripts with a 401 and saying when a session expired.

    A page request without a session still goes to the login page with `next` (a form posted
    after the expiry too: it never fails with a 500); when the session has timed out, the
    login page also gets `expired=1` and says so.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[Any, Any],
    ) -> HttpResponseBase | None:
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is None:
            return None
        if wants_script_answer(request):
            return session_expired_response()
        if session_cookie_is_stale(request):
            location = response["Location"]
            response["Location"] = f"{location}{'&' if '?' in location else '?'}expired=1"
        return response


class UserLanguageMiddleware:
    """Speak the language stored on the user, whatever the browser asks for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """After the password, nothing but the second-factor pages until a device is verified.

    A user without a confirmed device is sent to enrol one; a user with one, to verify it.
    Views marked `second_factor_not_required` (login, verification, logout, language)
    stay reachable. Runs after django-otp's `OTPMiddleware`, which sets `is_verified()`.
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
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        if not getattr(view_func, "second_factor_required", True):
            return None
        if wants_script_answer(request):
            return session_expired_response()
        step = "accounts:verify" if has_confirmed_device(user) else "accounts:setup"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")
