"""The numbers `templates/includes/session_timeout.html` gives `static/js/session.js`."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_timeout_seconds() -> int:
    """The idle timeout: every request renews the session for this long."""
    return int(settings.SESSION_COOKIE_AGE)


@register.simple_tag
def session_warning_seconds() -> int:
    """How long before the expiry the warning shows: the lead time, at most half the timeout."""
    timeout = int(settings.SESSION_COOKIE_AGE)
    return min(int(settings.LIVC_SESSION_WARNING_SECONDS), timeout // 2)
