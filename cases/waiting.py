"""What waits in the cases app for the coordinator: referrals to qualify, overdue case reviews.

Registered when imported (`CasesConfig.ready`); see `livc/cells/waiting.py`. Counts only, and
nothing before the secrecy of the table is acknowledged (docs/rules.md, rule 6).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import selectors
from cases.models import ReferralStatus
from livc.cells import waiting
from livc.cells.models import Role
from livc.cells.waiting import WaitingItem
from livc.http import CellRequest
from participants.selectors import request_has_acknowledged

REFERRALS = "cases.referrals"
REVIEWS = "cases.reviews"


def _coordinator_may_see_cases(request: CellRequest) -> bool:
    return request.membership.role == Role.COORDINATOR and request_has_acknowledged(request)


def referrals_to_qualify(request: CellRequest) -> list[WaitingItem]:
    if not _coordinator_may_see_cases(request):
        return []
    count = selectors.referral_queue(member=request.membership, status=ReferralStatus.SUBMITTED).count()
    text = ngettext(
        "%(count)d referral is waiting for qualification.",
        "%(count)d referrals are waiting for qualification.",
        count,
    ) % {"count": count}
    url = reverse("cases:referrals", kwargs={"cell_slug": request.cell.slug})
    return [WaitingItem(text=text, count=count, url=url, link_text=_("Qualify"))]


def overdue_reviews(request: CellRequest) -> list[WaitingItem]:
    """Open cases whose review date has passed: the same filter as the case list's "overdue"."""
    if not _coordinator_may_see_cases(request):
        return []
    count = selectors.case_list(member=request.membership, overdue=True).order_by().count()
    text = ngettext(
        "%(count)d case is overdue for review.", "%(count)d cases are overdue for review.", count
    ) % {"count": count}
    url = reverse("cases:list", kwargs={"cell_slug": request.cell.slug}) + "?overdue=1"
    return [
        WaitingItem(
            text=text, count=count, url=url, link_text=ngettext("See it", "See them", count), level="warning"
        )
    ]


waiting.register(REFERRALS, referrals_to_qualify, position=30)
waiting.register(REVIEWS, overdue_reviews, position=31)
SOURCES = (REFERRALS, REVIEWS)  # the names this module registers
