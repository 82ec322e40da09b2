from django.urls import reverse
from django.utils.translation import ngettext

from livc.cells.models import Role
from livc.cells.notices import Notice, figures_for_day
from livc.http import CellRequest
from meetings.selectors import overdue_action_count

OVERDUE = "meetings.overdue_actions"


def overdue_actions(request: CellRequest) -> Notice | None:
    """Overdue follow-up actions: all of them for the coordinator, one's own for an owner."""
    if request.membership.role == Role.DPO:
        return None
    member = request.membership
    # From the cache per member and day while no action of the cell changes (`figures_changed`).
    (count,) = figures_for_day(
        member.cell_id,
        f"{OVERDUE}.{member.pk}.{member.role}",
        lambda: (overdue_action_count(member=member),),
    )
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
