from django.urls import reverse
from django.utils.translation import ngettext

from livc.cells.models import Role
from livc.cells.notices import Notice
from livc.http import CellRequest
from meetings.selectors import overdue_action_count


def overdue_actions(request: CellRequest) -> Notice | None:
    """Overdue follow-up actions: all of them for the coordinator, one's own for an owner."""
    if request.membership.role == Role.DPO:
        return None
    count = overdue_action_count(member=request.membership)
    if not count:
        return None
    text = ngettext(
        "%(count)d follow-up action is overdue.", "%(count)d follow-up actions are overdue.", count
    )
    return Notice(
        text=text % {"count": count},
        link_url=reverse("meetings:actions", kwargs={"cell_slug": request.cell.slug}),
        link_text=ngettext("See it", "See them", count),
    )
