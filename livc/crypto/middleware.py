"""A page that says why data cannot be read, instead of a bare server error (docs/adr/0010).

A value whose data key was destroyed (the retention rule, a withdrawal, an erasure) answers
410 Gone with the date and the reason; a value whose key is missing from the key store, or that
does not decrypt, answers 500 with a page that says so and that nothing was changed. Neither
ever shows the stored text.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from livc.crypto.datakeys import KeyDestroyedError
from livc.crypto.keyring import DecryptionError
from livc.crypto.models import DestroyedBecause

logger = logging.getLogger(__name__)


def destroyed_message(error: KeyDestroyedError) -> str:
    # A destroyed key always has its date (a check constraint says so).
    when = date_format(localdate(error.destroyed_at), "DATE_FORMAT") if error.destroyed_at else "?"
    if error.because == DestroyedBecause.RETENTION:
        return _("This case's data was destroyed under the retention rule on %(date)s.") % {"date": when}
    if error.because == DestroyedBecause.WITHDRAWN:
        return _("This information was withdrawn by its owner on %(date)s.") % {"date": when}
    if error.because == DestroyedBecause.ERASED:
        return _("This data was erased on %(date)s.") % {"date": when}
    return _("The key of this data was destroyed on %(date)s.") % {"date": when}


class UnreadableDataMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, KeyDestroyedError):
            logger.warning("%s %s: %s", request.method, request.path, exception)
            context = {"destroyed": True, "message": destroyed_message(exception)}
            return render(request, "crypto/unreadable.html", context, status=410)
        if isinstance(exception, DecryptionError):
            logger.error("%s %s: %s", request.method, request.path, exception)
            message = _(
                "Some of the data on this page cannot be decrypted: its key is missing or does not "
                "match. Nothing was changed. Tell your administrator the time of this message."
            )
            return render(
                request, "crypto/unreadable.html", {"destroyed": False, "message": message}, status=500
            )
        return None
