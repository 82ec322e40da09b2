"""How django-axes names the account being tried, so that lockouts cannot be dodged.

The login form's field is `username` (holding the e-mail address). Normalising it here
means "Alice@Example.org" and "alice@example.org " count as the same account.
"""

from typing import Any

from django.http import HttpRequest


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    raw = (credentials or {}).get("username") or request.POST.get("username")
    return str(raw).strip().lower() if raw else None
