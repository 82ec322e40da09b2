"""Lockouts after wrong passwords: django-axes per account and address, plus a per-account cap.

django-axes locks an account-and-address pair after `AXES_FAILURE_LIMIT` wrong passwords.
A guesser spread over many addresses is not caught by that, so every wrong password also
counts for the typed address alone, whatever the client address: after
`LIVC_ACCOUNT_FAILURE_LIMIT` within `LIVC_ACCOUNT_FAILURE_WINDOW`, logging in (and confirming
the password again) with that address pauses until the oldest of them leaves the window. The
count is kept for any typed address, existing account or not, so the pause tells no more about
whether an account exists than the login form itself.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from livc.accounts.models import PasswordFailure
from livc.audit.events import EventKind, record_typed_account_event


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """How django-axes names the account being tried (`AXES_USERNAME_CALLABLE`).

    The login form's field is `username` (holding the e-mail address). Normalising it here
    means "Alice@Example.org" and "alice@example.org " count as the same account.
    """
    raw = (credentials or {}).get("username") or request.POST.get("username")
    return normalise(raw) if raw else None


def normalise(raw: Any) -> str:
    return str(raw).strip().lower()


def account_key(raw: Any) -> str:
    return salted_hmac("livc.accounts.lockout.account", normalise(raw)).hexdigest()


def _window_start() -> datetime:
    return timezone.now() - settings.LIVC_ACCOUNT_FAILURE_WINDOW


def account_failures(raw: Any) -> int:
    """Wrong passwords for this typed address within the window, from every address."""
    return PasswordFailure.objects.filter(key=account_key(raw), at__gt=_window_start()).count()


def account_paused(raw: Any) -> bool:
    return bool(raw) and account_failures(raw) >= settings.LIVC_ACCOUNT_FAILURE_LIMIT


def record_failure(raw: Any) -> int:
    """Count one wrong password; returns the count within the window, this one included."""
    PasswordFailure.objects.filter(at__lte=_window_start()).delete()
    PasswordFailure.objects.create(key=account_key(raw))
    return account_failures(raw)


@receiver(user_login_failed, dispatch_uid="livc_accounts_account_cap")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    raw = credentials.get("username")
    if not raw:
        return
    if record_failure(raw) == settings.LIVC_ACCOUNT_FAILURE_LIMIT:
        _record_pause(raw, request)


def _record_pause(raw: Any, request: HttpRequest | None) -> None:
    """The cap is reached: one "locked out" event (scope "account"), like django-axes' lockout."""
    record_typed_account_event(EventKind.LOCKED_OUT, typed=raw, request=request, data={"scope": "account"})


def login_refused(request: HttpRequest, address: Any) -> bool:
    """Whether a login to this address must be refused now, whatever the method.

    The same two locks as the password form's: django-axes' lock on the account and client
    address, and the per-account cap. A passkey or a provider's login that comes while
    either holds is refused like a password would be (`livc/accounts/signin.py`).
    """
    from axes.handlers.proxy import AxesProxyHandler

    if not address:
        return False
    return account_paused(address) or AxesProxyHandler.is_locked(request, {"username": normalise(address)})
