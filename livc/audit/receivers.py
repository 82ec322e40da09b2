"""Logins, failed logins and lockouts, written as audit events (connected in `AuditConfig.ready`);
and, where no beat task seals, each new entry sealed after its transaction commits.

Each records its method (password, passkey, an identity provider's) and, when it failed, a
reason code (`livc/accounts/signin.py`). A failed login records whether the typed address
matched an account, and which, but never the address itself
(`livc/audit/events.py::record_typed_account_event`).
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from livc.accounts.signin import PASSWORD, login_details
from livc.audit.chain import seal_after_commit
from livc.audit.events import EventKind, record_account_event, record_typed_account_event
from livc.audit.hashing import NO_CELL
from livc.audit.models import LogEntry


@receiver(user_logged_in, dispatch_uid="livc_audit_login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    data = login_details(request)  # the method (password, passkey, oidc) and its provider
    record_account_event(EventKind.LOGIN, user=user, actor=user, request=request, data=data)


@receiver(user_login_failed, dispatch_uid="livc_audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    details = {key: credentials[key] for key in ("method", "provider", "reason") if credentials.get(key)}
    details.setdefault("method", PASSWORD)
    record_typed_account_event(
        EventKind.LOGIN_FAILED, typed=credentials.get("username"), request=request, data=details
    )


@receiver(user_locked_out, dispatch_uid="livc_audit_locked_out")
def on_locked_out(sender: Any, request: HttpRequest, username: Any = None, **kwargs: Any) -> None:
    record_typed_account_event(EventKind.LOCKED_OUT, typed=username, request=request)


@receiver(post_save, sender=LogEntry, dispatch_uid="livc_audit_seal_new_entry")
def seal_new_entry(sender: Any, instance: LogEntry, created: bool, using: str, **kwargs: Any) -> None:
    if created:
        seal_after_commit({instance.cell_id or NO_CELL}, using)
