"""`@once_per_submission`: the same form sent twice (a double click, a reload of the answer to a
POST) does what it asks once. (A page opened in two tabs holds two forms, with two tokens: what
must happen once however many tabs are open is refused by the service, by state.)

Every form that creates or records something carries a one-time token
(`{% submission_token %}`, `livc/submissions/templatetags/submissions.py`). On a POST with a
valid token the view runs inside one transaction, after the token was inserted in a savepoint of
its own (`livc/submissions/services.py::submission_claim`):

- the view succeeded (a redirect; for htmx an `HX-Redirect`/`HX-Location` header or a 2xx) and
  added no error message: the token keeps where it led;
- it did not (form errors, or a redirect with an error message): the token is deleted, so the
  corrected form is sent again with the same token;
- the token was there already: the view is not called; the answer is the first one's address
  with "This form had already been sent" (for htmx, `HX-Redirect` to it). On PostgreSQL a second
  request that arrives while the first still runs waits on the token's primary key until the
  first has committed, then finds its result.

A POST without a token, or with one that is not a UUID, runs the view as before (a script, a
test client); so does a POST by someone not logged in.
"""

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from livc.accounts.models import User
from livc.submissions.services import (
    FIELD,
    parse_token,
    submission_claim,
    submission_done,
    submission_get,
    submission_release,
)

View = TypeVar("View", bound=Callable[..., HttpResponse])

REDIRECTS = frozenset({301, 302, 303, 307, 308})


def once_per_submission(view: View) -> View:
    """Mark and wrap a view whose POST creates a row or records a step (see the module)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = parse_token(request.POST.get(FIELD)) if request.method == "POST" else None
        if token is None or not isinstance(request.user, User):
            return view(request, *args, **kwargs)
        with transaction.atomic():
            if not submission_claim(token=token, user=request.user):
                return _already_sent(request, token)
            errors = _error_messages(request)
            response = view(request, *args, **kwargs)
            result = _result(request, response) if _error_messages(request) == errors else None
            if result is None:
                submission_release(token=token)
            else:
                submission_done(token=token, result=result)
            return response

    wrapper.once_per_submission = True  # type: ignore[attr-defined]
    return cast(View, wrapper)


def is_once_per_submission(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, "once_per_submission", False))


def _error_messages(request: HttpRequest) -> int:
    """How many error messages the request has queued so far. A view that refuses and redirects
    (`messages.error` then back to the page) did not do what the form asked. Django's message
    storage keeps this request's messages in `_queued_messages`; reading them through the public
    iterator would mark them as shown."""
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", ())
    return sum(1 for message in queued if message.level >= messages.ERROR)


def _result(request: HttpRequest, response: HttpResponse) -> str | None:
    """Where the view's answer leads when it succeeded; None when it did not."""
    if response.status_code in REDIRECTS:
        return _local(request, response["Location"])
    if not getattr(request, "htmx", False):
        return None  # a page shown again: the form with its errors
    for header in ("HX-Redirect", "HX-Location"):
        if response.has_header(header):
            return _local(request, _hx_path(response[header]))
    if 200 <= response.status_code < 300:  # a fragment swapped in; our htmx views answer errors 4xx
        return _local(request, request.headers.get("HX-Current-URL", ""))
    return None


def _hx_path(value: str) -> str:
    """`HX-Location` is a path or a JSON object with one."""
    if value.startswith("{"):
        try:
            return str(json.loads(value).get("path", ""))
        except (ValueError, AttributeError):
            return ""
    return value


def _local(request: HttpRequest, url: str) -> str:
    """The path, query and fragment of an address on this site; "" for any other."""
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return ""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment)) or ""


def _already_sent(request: HttpRequest, token: Any) -> HttpResponse:
    first = submission_get(token=token)
    if first is not None and first.user_id != request.user.pk:
        raise BadRequest("This form token belongs to another user.")
    messages.info(request, _("This form had already been sent: it was saved once."))
    url = (first.result if first is not None else "") or _page_of_the_form(request)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _page_of_the_form(request: HttpRequest) -> str:
    """The page the form was sent from, when the first answer named no address."""
    for header in ("HX-Current-URL", "Referer"):
        if url := _local(request, request.headers.get(header, "")):
            return url
    return "/"
