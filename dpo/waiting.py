"""What waits for the DPO: breaches whose notification deadline is near or past, and the
unusual-access signals of the last 30 days (the same figures as the console's home).

Registered when imported (`DpoConfig.ready`); see `livc/cells/waiting.py`.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dpo import selectors
from livc.cells import waiting
from livc.cells.models import Role
from livc.cells.waiting import WaitingItem
from livc.http import CellRequest

BREACHES = "dpo.breaches"
SIGNALS = "dpo.signals"
SIGNAL_PERIOD = datetime.timedelta(days=30)


def breaches_due(request: CellRequest) -> list[WaitingItem]:
    if request.membership.role != Role.DPO:
        return []
    due = selectors.breaches_due(cell=request.cell)
    url = reverse("audit:breaches", kwargs={"cell_slug": request.cell.slug})
    items = []
    if due.overdue:
        text = ngettext(  # the words of the 72-hour notice (dpo/notices.py), which the home leaves out
            "%(count)d breach was discovered more than 72 hours ago and the supervisory authority "
            "has not been informed, nor is it recorded why not.",
            "%(count)d breaches were discovered more than 72 hours ago and the supervisory authority "
            "has not been informed, nor is it recorded why not.",
            due.overdue,
        ) % {"count": due.overdue}
        items.append(WaitingItem(text, due.overdue, url, _("Breach register"), level="error"))
    if due.soon:
        text = ngettext(
            "%(count)d breach must be notified to the supervisory authority within 24 hours.",
            "%(count)d breaches must be notified to the supervisory authority within 24 hours.",
            due.soon,
        ) % {"count": due.soon}
        items.append(WaitingItem(text, due.soon, url, _("Breach register"), level="warning"))
    return items


def unusual_access(request: CellRequest) -> list[WaitingItem]:
    if request.membership.role != Role.DPO:
        return []
    now = timezone.now()
    signals = selectors.unusual_access_list(
        cell=request.cell, user=request.user, since=now - SIGNAL_PERIOD, until=now
    )
    count = len(signals)
    text = ngettext(
        "%(count)d unusual-access signal in the last 30 days.",
        "%(count)d unusual-access signals in the last 30 days.",
        count,
    ) % {"count": count}
    url = reverse("audit:unusual", kwargs={"cell_slug": request.cell.slug})
    return [WaitingItem(text, count, url, _("Look at them"))]


waiting.register(BREACHES, breaches_due, position=70)
waiting.register(SIGNALS, unusual_access, position=71)
SOURCES = (BREACHES, SIGNALS)  # the names this module registers
