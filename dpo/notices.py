"""The 72-hour reminder at the top of every page the DPO opens in the cell."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dpo.selectors import breaches_overdue
from livc.cells.models import Role
from livc.cells.notices import Notice
from livc.http import CellRequest


def breach_authority_overdue(request: CellRequest) -> Notice | None:
    if request.membership.role != Role.DPO:
        return None
    count = len(breaches_overdue(cell=request.cell))
    if not count:
        return None
    text = ngettext(
        "%(count)d breach was discovered more than 72 hours ago and the supervisory authority "
        "has not been informed, nor is it recorded why not.",
        "%(count)d breaches were discovered more than 72 hours ago and the supervisory authority "
        "has not been informed, nor is it recorded why not.",
        count,
    ) % {"count": count}
    url = reverse("audit:breaches", kwargs={"cell_slug": request.cell.slug})
    return Notice(text=text, link_url=url, link_text=_("Breach register"), level="error")
