"""The session store: Django's database store, plus reading the expiry without renewing it.

Requests renew the idle timeout, at most once a minute (`livc/accounts/renewal.py`). The page's timer
(`static/js/session.js`) must be able to ask how long is left, for instance because another
tab has been active, without that question counting as activity: `keep_expiry()` skips the
save at the end of such a request.
"""

from datetime import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    _keep_expiry = False

    def keep_expiry(self) -> None:
        """Do not save (and so do not renew) this session at the end of the request."""
        self._keep_expiry = True

    @property
    def keeps_expiry(self) -> bool:
        """`keep_expiry()` was called: `SessionRenewalMiddleware` leaves the session alone."""
        return self._keep_expiry

    def save(self, must_create: bool = False) -> None:
        if self._keep_expiry and not must_create and not self.modified:
            return
        super().save(must_create=must_create)

    def expires_at(self) -> datetime | None:
        """When the stored session ends if nothing renews it; None if it has no live row."""
        if not self.session_key:
            return None
        expiry: datetime | None = (
            self.model.objects.filter(session_key=self.session_key, expire_date__gt=timezone.now())
            .values_list("expire_date", flat=True)
            .first()
        )
        return expiry
