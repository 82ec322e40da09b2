"""The idle timeout renewed at most once a minute, not on every request.

The session is kept in the database; saving it on every request (`SESSION_SAVE_EVERY_REQUEST`)
cost an UPDATE on every page, htmx request and autosave. `SessionRenewalMiddleware` marks the
session modified (so Django's `SessionMiddleware` saves it, and with it a new expiry) only when
its last renewal is older than `renewal_seconds()`: the time of that renewal is kept in the
session itself. A session that changes anyway (a login, a message) is saved by Django as before,
and the renewal time goes with it.

So the server's expiry lies between `timeout - renewal_seconds()` and `timeout` after the last
request. The page's timer (`static/js/session.js`) counts from the earlier end and asks the
server before it warns; see docs/adr/0007-session-expiry-drafts.md.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

RENEWED_AT = "_livc_renewed_at"  # session key: when the expiry was last pushed back (Unix time)
RENEWAL_SECONDS = 60  # at most this stale; a tenth of the timeout when that is shorter


def renewal_seconds() -> int:
    """How long a renewal lasts before a request renews again: a minute, or a tenth of a short
    idle timeout (the one-minute timeout of the browser journey renews every 6 seconds)."""
    return max(1, min(RENEWAL_SECONDS, int(settings.SESSION_COOKIE_AGE) // 10))


class SessionRenewalMiddleware:
    """Placed right after Django's `SessionMiddleware`, so that it sees the response first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or getattr(session, "keeps_expiry", False):
            return response  # no session, or a question that must not renew it (session_status)
        renewed = session.get(RENEWED_AT)  # loads a session the request did not read
        if session.is_empty():
            return response  # the cookie named a session that has expired: create none
        now = int(time.time())
        if session.modified or not isinstance(renewed, int) or now - renewed >= renewal_seconds():
            session[RENEWED_AT] = now
        return response
