"""What waits in the cases app for the coordinator: referrals to qualify, overdue case reviews,
people the table decided to inform who have not been informed yet (also for the information officer);
and for any owner of information, the requests for her consent to use it beyond the table (rule 9).

Registered when imported (`CasesConfig.ready`); see `livc/cells/waiting.py`. Counts only, and
nothing before the secrecy of the table is acknowledged (docs/rules.md, rule 6).
"""

import uuid

from django.db.models import CharField, Count, Min, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import selectors
from cases.models import InformingEntry, InformingKind, ReferralStatus
from cases.models.informing import INFORMING_KEEPERS
from livc.cells import waiting
from livc.cells.models import Role
from livc.cells.waiting import WaitingItem
from livc.http import CellRequest
from participants.selectors import request_has_acknowledged

REFERRALS = "cases.referrals"
REVIEWS = "cases.reviews"
INFORMING = "cases.informing"
CONSENT = "cases.consent"


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


def to_be_informed(request: CellRequest) -> list[WaitingItem]:
    """Cases whose informing register stands at "to be informed": a valid decision of the table
    that nobody has yet recorded carrying out (rule 13)."""
    if request.membership.role not in INFORMING_KEEPERS or not request_has_acknowledged(request):
        return []
    latest = InformingEntry.objects.filter(case=OuterRef("pk")).order_by("-recorded_at").values("kind")[:1]
    awaiting = (
        selectors.case_visible_list(member=request.membership)
        .annotate(informing=Subquery(latest))
        .filter(informing=InformingKind.DECIDED)
        .aggregate(count=Count("pk"), case=Min(Cast("pk", output_field=CharField())))
    )
    count = awaiting["count"]
    if not count:
        return []
    text = ngettext(
        "%(count)d person is to be informed, as the table decided: record it once it is done.",
        "%(count)d people are to be informed, as the table decided: record it once it is done.",
        count,
    ) % {"count": count}
    if count == 1:
        case = uuid.UUID(awaiting["case"])  # the text form differs between databases
        url = reverse("cases:informing", kwargs={"cell_slug": request.cell.slug, "pk": case})
    else:
        url = reverse("cases:list", kwargs={"cell_slug": request.cell.slug})
    link_text = _("Informing register") if count == 1 else ngettext("See it", "See them", count)
    return [WaitingItem(text=text, count=count, url=url, link_text=link_text)]


def consent_requests(request: CellRequest) -> list[WaitingItem]:
    """Uses of the member's own items that wait for her consent, in the cases she may see."""
    if request.membership.role == Role.DPO or not request_has_acknowledged(request):
        return []
    count = selectors.consent_requests_count(member=request.membership)
    text = ngettext(
        "%(count)d request for your consent: your information would be used beyond the table.",
        "%(count)d requests for your consent: your information would be used beyond the table.",
        count,
    ) % {"count": count}
    url = reverse("cases:my_item_uses", kwargs={"cell_slug": request.cell.slug})
    return [WaitingItem(text=text, count=count, url=url, link_text=_("Answer"))]


waiting.register(REFERRALS, referrals_to_qualify, position=30)
waiting.register(REVIEWS, overdue_reviews, position=31)
waiting.register(INFORMING, to_be_informed, position=32)
waiting.register(CONSENT, consent_requests, position=33)
SOURCES = (REFERRALS, REVIEWS, INFORMING, CONSENT)  # the names this module registers
