"""The numbers `templates/includes/session_timeout.html` gives `static/js/session.js`."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_timeout_seconds() -> int:
    """The idle timeout: a request renews the session for this long (at most once a minute)."""
    return int(settings.SESSION_COOKIE_AGE)


@register.simple_tag
def session_warning_seconds() -> int:
    """How long before the expiry the warning shows: the lead time, at most half the timeout."""
    timeout = int(settings.SESSION_COOKIE_AGE)
    return min(int(settings.LIVC_SESSION_WARNING_SECONDS), timeout // 2)


@register.simple_tag
def session_renewal_seconds() -> int:
    """How much earlier than the timeout after the last request the session may end: requests
    renew it at most this often (`livc/accounts/renewal.py`)."""
    from livc.accounts.renewal import renewal_seconds

    return renewal_seconds()
