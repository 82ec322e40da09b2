"""What every login method shares: the locks, the audit event's details, the failure count.

The password form goes through Django's `authenticate()`, which sends `user_login_failed`
itself. A passkey (`livc/accounts/passkeys.py`) and an identity provider's login
(`livc/accounts/oidc.py`) end here instead:

- `refused(request, address)`: django-axes' lock and the per-account cap hold for them too;
- `failed(...)`: one failure, counted by django-axes and the cap like a wrong password and
  written to the audit log with its method, provider and reason;
- `succeeded(...)`: Django's `login()`, after which the audit's login event names the method.

A failure's reason is a code (`REASONS`), never the typed or claimed value.
"""

from typing import Any

from django.contrib.auth import login as django_login
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

from livc.accounts import lockout
from livc.accounts.models import User

PASSWORD = "password"  # noqa: S105  a method's name, not a password
PASSKEY = "passkey"
OIDC = "oidc"

LOGIN_DETAILS_ATTRIBUTE = "livc_login_details"

REASONS = {
    "locked_out",  # django-axes or the per-account cap holds
    "no_account",  # the provider's address names no account here
    "no_membership",  # the account holds no effective membership (of the provider's cells)
    "inactive",  # the account is deactivated
    "invalid_token",  # the provider's answer did not verify (signature, issuer, audience, nonce ...)
    "provider_error",  # the provider answered with an error, or could not be reached
    "state_mismatch",  # the answer does not belong to a login started in this browser
    "no_email",  # the provider's answer holds no (verified) address
    "assertion_failed",  # a passkey's signature or challenge did not verify
    "unknown_credential",  # a passkey that is registered with no account
}


def refused(request: HttpRequest, address: Any) -> bool:
    return lockout.login_refused(request, address)


def failed(
    request: HttpRequest,
    *,
    method: str,
    reason: str,
    address: Any = None,
    provider: str | None = None,
) -> None:
    """One failed login by `method`: counted for `address` (if known) and logged with its reason."""
    if reason not in REASONS:
        raise ValueError(f"Unknown login failure reason {reason!r}.")
    credentials: dict[str, Any] = {"username": lockout.normalise(address) if address else None}
    credentials.update(method=method, reason=reason)
    if provider:
        credentials["provider"] = provider
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)


def succeeded(request: HttpRequest, user: User, *, method: str, backend: str, **details: Any) -> None:
    """Log `user` in by `method`; the audit's login event records `details` (e.g. provider, mfa)."""
    setattr(request, LOGIN_DETAILS_ATTRIBUTE, {"method": method, **details})
    django_login(request, user, backend=backend)


def login_details(request: HttpRequest | None) -> dict[str, Any]:
    """What the audit's login event records about how the login happened."""
    return dict(getattr(request, LOGIN_DETAILS_ATTRIBUTE, None) or {"method": PASSWORD})
