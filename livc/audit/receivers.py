"""Logins, failed logins and lockouts, written as audit events (connected in `AuditConfig.ready`).

A failed login records whether the typed address matched an account, and which, but never
the address itself: a mistyped address is personal data of someone else, or of no one.
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from livc.audit.events import EventKind, record_account_event, record_event


def _account(username: Any) -> Any:
    """The active account a typed e-mail address names, or None."""
    if not username:
        return None
    return get_user_model().objects.filter(email__iexact=str(username).strip()).first()


@receiver(user_logged_in, dispatch_uid="livc_audit_login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_account_event(EventKind.LOGIN, user=user, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="livc_audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    account = _account(credentials.get("username"))
    if account is None:
        record_event(EventKind.LOGIN_FAILED, request=request, data={"matched_account": False})
    else:
        record_account_event(
            EventKind.LOGIN_FAILED, user=account, request=request, data={"matched_account": True}
        )


@receiver(user_locked_out, dispatch_uid="livc_audit_locked_out")
def on_locked_out(sender: Any, request: HttpRequest, username: Any = None, **kwargs: Any) -> None:
    account = _account(username)
    if account is None:
        record_event(EventKind.LOCKED_OUT, request=request, data={"matched_account": False})
    else:
        record_account_event(
            EventKind.LOCKED_OUT, user=account, request=request, data={"matched_account": True}
        )
