"""The password asked again before the second factor or the backup codes change.

A session left open on a shared computer must not be enough to move someone's second factor
to another phone or to read a fresh set of backup codes. Those pages first ask for the
password (`accounts:confirm_password`) unless it was given in this session within the last
`LIVC_REAUTH_MINUTES`; the time is kept in the session, and a session key rotation keeps it.
"""

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from livc.audit.events import EventKind, record_account_event

CONFIRMED_AT_KEY = "livc_password_confirmed_at"


def mark_confirmed(session: SessionBase) -> None:
    session[CONFIRMED_AT_KEY] = timezone.now().isoformat()


def confirm(request: HttpRequest, *, data: dict[str, Any] | None = None) -> None:
    """The person confirmed it is them (password, passkey or provider): noted and logged.

    `data` says how, when it was not the password (`{"method": "passkey", "device": 3}`).
    """
    mark_confirmed(request.session)
    record_account_event(
        EventKind.PASSWORD_CONFIRMED, user=request.user, actor=request.user, request=request, data=data
    )


def recently_confirmed(session: SessionBase) -> bool:
    raw = session.get(CONFIRMED_AT_KEY)
    if not raw:
        return False
    confirmed_at = datetime.fromisoformat(raw)
    age = timezone.now() - confirmed_at
    return timedelta(0) <= age <= timedelta(minutes=settings.LIVC_REAUTH_MINUTES)


def confirmation_redirect(request: HttpRequest, *, next_url: str) -> HttpResponseRedirect | None:
    """A redirect to the password confirmation if it is due, else None."""
    if recently_confirmed(request.session):
        return None
    return HttpResponseRedirect(f"{reverse('accounts:confirm_password')}?{urlencode({'next': next_url})}")
