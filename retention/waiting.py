"""What waits in the retention app for the coordinator: what the purge removes within the
cell's warning period. The same selector as the coordinator's notice (`retention/hooks.py`).

Registered when imported (`RetentionConfig.ready`); see `livc/cells/waiting.py`.
"""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from livc.cells import waiting
from livc.cells.models import Role
from livc.cells.waiting import WaitingItem
from livc.http import CellRequest
from participants.selectors import request_has_acknowledged
from retention import selectors

PURGES = "retention.purges"


def upcoming_purges(request: CellRequest) -> list[WaitingItem]:
    if request.membership.role != Role.COORDINATOR or not request_has_acknowledged(request):
        return []
    upcoming = selectors.upcoming_get(cell=request.cell)
    url = reverse("retention:upcoming", kwargs={"cell_slug": request.cell.slug})
    by, items = date_format(upcoming.until), []
    if upcoming.cases:  # the words of the coordinator's notice (retention/hooks.py)
        count = len(upcoming.cases)
        text = ngettext(
            "%(count)d case will be purged under the retention rule by %(date)s.",
            "%(count)d cases will be purged under the retention rule by %(date)s.",
            count,
        ) % {"count": count, "date": by}
        items.append(WaitingItem(text, count, url, _("See which"), level="warning"))
    if upcoming.referrals:
        count = len(upcoming.referrals)
        text = ngettext(
            "%(count)d referral that was not retained will be purged by %(date)s.",
            "%(count)d referrals that were not retained will be purged by %(date)s.",
            count,
        ) % {"count": count, "date": by}
        items.append(WaitingItem(text, count, url, _("See which"), level="warning"))
    return items


waiting.register(PURGES, upcoming_purges, position=60)
SOURCES = (PURGES,)  # the names this module registers
