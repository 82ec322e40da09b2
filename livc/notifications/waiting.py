"""The member's unread notifications in the cell: one line of the home's "Waiting for you" list,
and the number on the menu's "Notifications" entry (one count query per page)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from livc.cells.waiting import WaitingItem, register
from livc.http import CellRequest
from livc.notifications.selectors import unread_count

SOURCE = "notifications.unread"


def unread(request: CellRequest) -> list[WaitingItem]:
    count = unread_count(user=request.user, cell=request.cell)
    if not count:
        return []
    text = ngettext(
        "You have %(count)d unread notification.", "You have %(count)d unread notifications.", count
    )
    return [
        WaitingItem(
            text=text % {"count": count},
            count=count,
            url=reverse("notifications:list", kwargs={"cell_slug": request.cell.slug}),
            link_text=_("See your notifications"),
        )
    ]


register(SOURCE, unread, position=95)
