"""Second-factor throttling per login session, not per device.

django-otp throttles on the device (`ThrottlingMixin`): whoever knows the password could keep
typing wrong codes in their own session and so keep the rightful user's codes refused in
theirs. Here the count lives in the session of the login being tried: after the n-th wrong
code in a row, this session waits 2**(n-1) seconds (1, 2, 4, ... up to
`LIVC_SECOND_FACTOR_MAX_DELAY_SECONDS`) before the next code is even checked. The device
throttle is switched off in the settings (`OTP_TOTP_THROTTLE_FACTOR = 0`).

Each new session needs the password again, which django-axes and the per-account cap of
`livc/accounts/lockout.py` limit; every wrong code is an audit event.
"""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

FAILURES_KEY = "livc_second_factor_failures"
LAST_FAILURE_KEY = "livc_second_factor_last_failure"


def locked_until(session: SessionBase) -> datetime | None:
    """When this session may try a code again, or None if it may now."""
    failures = int(session.get(FAILURES_KEY, 0))
    last = session.get(LAST_FAILURE_KEY)
    if failures <= 0 or not last:
        return None
    delay = min(2 ** (failures - 1), settings.LIVC_SECOND_FACTOR_MAX_DELAY_SECONDS)
    until = datetime.fromisoformat(last) + timedelta(seconds=delay)
    return until if until > timezone.now() else None


def seconds_to_wait(until: datetime) -> int:
    """Whole seconds from now until `until`, at least 1: what the "wait" messages say."""
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def record_failure(session: SessionBase) -> None:
    session[FAILURES_KEY] = int(session.get(FAILURES_KEY, 0)) + 1
    session[LAST_FAILURE_KEY] = timezone.now().isoformat()


def reset(session: SessionBase) -> None:
    session.pop(FAILURES_KEY, None)
    session.pop(LAST_FAILURE_KEY, None)
