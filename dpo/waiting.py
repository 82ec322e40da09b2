"""What waits for the DPO: members' breach reports not yet assessed, breaches whose notification
deadline is near or past, the unusual-access signals of the last 30 days (the same figures
as the console's home), and requests for access near or past their deadline; and for the members
asked, the questions about a request for access that wait for their answer.

Registered when imported (`DpoConfig.ready`); see `livc/cells/waiting.py`.
"""

import datetime

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dpo import access_request_selectors, selectors
from livc.cells import waiting
from livc.cells.models import Role
from livc.cells.waiting import WaitingItem
from livc.http import CellRequest
from participants.selectors import request_has_acknowledged

REPORTED = "dpo.reported"
BREACHES = "dpo.breaches"
SIGNALS = "dpo.signals"
ACCESS_REQUESTS = "dpo.access_requests"
ACCESS_QUESTIONS = "dpo.access_questions"
SIGNAL_PERIOD = datetime.timedelta(days=30)


def breaches_reported(request: CellRequest) -> list[WaitingItem]:
    """Members' reports of a suspected breach that the DPO has not yet taken in hand."""
    if request.membership.role != Role.DPO:
        return []
    reported = selectors.breaches_reported(cell=request.cell)
    count = len(reported)
    slug = request.cell.slug
    if count == 1:
        url = reverse("audit:breach", kwargs={"cell_slug": slug, "pk": reported[0]})
    else:
        url = reverse("audit:breaches", kwargs={"cell_slug": slug})
    text = ngettext(
        "%(count)d member's report of a suspected breach waits for your assessment.",
        "%(count)d members' reports of a suspected breach wait for your assessment.",
        count,
    ) % {"count": count}
    link_text = _("Assess it") if count == 1 else _("Assess them")
    return [WaitingItem(text, count, url, link_text, level="warning")]


def _deadline_lines(
    due: selectors.Due, url: str, link_text: str | Promise, overdue: str, soon: str
) -> list[WaitingItem]:
    """A deadline's two lines: what is past it (an error), what reaches it soon (a warning); the
    texts come with their counts filled in."""
    items = []
    if due.overdue:
        items.append(WaitingItem(overdue, due.overdue, url, link_text, level="error"))
    if due.soon:
        items.append(WaitingItem(soon, due.soon, url, link_text, level="warning"))
    return items


def breaches_due(request: CellRequest) -> list[WaitingItem]:
    if request.membership.role != Role.DPO:
        return []
    due = selectors.breaches_due(cell=request.cell)
    overdue = ngettext(  # the words of the 72-hour notice (dpo/notices.py), which the home leaves out
        "%(count)d breach was discovered more than 72 hours ago and the supervisory authority "
        "has not been informed, nor is it recorded why not.",
        "%(count)d breaches were discovered more than 72 hours ago and the supervisory authority "
        "has not been informed, nor is it recorded why not.",
        due.overdue,
    ) % {"count": due.overdue}
    soon = ngettext(
        "%(count)d breach must be notified to the supervisory authority within 24 hours.",
        "%(count)d breaches must be notified to the supervisory authority within 24 hours.",
        due.soon,
    ) % {"count": due.soon}
    url = reverse("audit:breaches", kwargs={"cell_slug": request.cell.slug})
    return _deadline_lines(due, url, _("Breach register"), overdue, soon)


def unusual_access(request: CellRequest) -> list[WaitingItem]:
    if request.membership.role != Role.DPO:
        return []
    count = selectors.unusual_access_count(cell=request.cell, user=request.user)
    text = ngettext(
        "%(count)d unusual-access signal in the last 30 days.",
        "%(count)d unusual-access signals in the last 30 days.",
        count,
    ) % {"count": count}
    url = reverse("audit:unusual", kwargs={"cell_slug": request.cell.slug})
    return [WaitingItem(text, count, url, _("Look at them"))]


def access_requests_due(request: CellRequest) -> list[WaitingItem]:
    """Subject-access requests past their deadline, or due within a week (the register's flags)."""
    if request.membership.role != Role.DPO:
        return []
    due = access_request_selectors.requests_due(cell=request.cell)
    overdue = ngettext(
        "%(count)d request for access is past its deadline.",
        "%(count)d requests for access are past their deadline.",
        due.overdue,
    ) % {"count": due.overdue}
    soon = ngettext(
        "%(count)d request for access must be answered within a week.",
        "%(count)d requests for access must be answered within a week.",
        due.soon,
    ) % {"count": due.soon}
    url = reverse("audit:access_requests", kwargs={"cell_slug": request.cell.slug})
    return _deadline_lines(due, url, _("Access requests"), overdue, soon)


def access_questions(request: CellRequest) -> list[WaitingItem]:
    """Questions about a request for access that wait for this member's answer (an item's owner,
    the information officer); nothing before the secrecy of the table is acknowledged."""
    if request.membership.role == Role.DPO or not request_has_acknowledged(request):
        return []
    count = access_request_selectors.open_question_count(member=request.membership)
    text = ngettext(
        "%(count)d question about a request for access waits for your answer.",
        "%(count)d questions about a request for access wait for your answer.",
        count,
    ) % {"count": count}
    url = reverse("audit:access_questions", kwargs={"cell_slug": request.cell.slug})
    return [WaitingItem(text, count, url, _("Answer"), level="warning")]


waiting.register(REPORTED, breaches_reported, position=69)
waiting.register(BREACHES, breaches_due, position=70)
waiting.register(SIGNALS, unusual_access, position=71)
waiting.register(ACCESS_REQUESTS, access_requests_due, position=72)
waiting.register(ACCESS_QUESTIONS, access_questions, position=73)
SOURCES = (REPORTED, BREACHES, SIGNALS, ACCESS_REQUESTS, ACCESS_QUESTIONS)  # the names this module registers
