from django.http import HttpResponse
from django.shortcuts import redirect, render

from livc.audit.access import record_access, shows_personal_data
from livc.cells.models import CELL_WIDE_CASE_ROLES, MEMBER_LIST_ROLES, Role
from livc.cells.selectors import composition_missing, member_list, membership_list_for_user
from livc.cells.waiting import waiting_for
from livc.http import AuthenticatedRequest, CellRequest


def pick(request: AuthenticatedRequest) -> HttpResponse:
    """After login: straight into the only cell, or a choice between several."""
    memberships = list(membership_list_for_user(user=request.user))
    if len(memberships) == 1:
        return redirect("cells:home", cell_slug=memberships[0].cell.slug)
    return render(request, "cells/pick.html", {"memberships": memberships})


@shows_personal_data
def home(request: CellRequest) -> HttpResponse:
    """The member's home: what waits for them first (counts and links, each source deciding what
    the member may see), then who they are and, for mayor and coordinator, the cell."""
    waiting = waiting_for(request)
    members = None
    if request.membership.role in MEMBER_LIST_ROLES:
        members = list(member_list(cell=request.cell, user=request.user))
    missing = None
    if request.membership.role in CELL_WIDE_CASE_ROLES:
        missing = [Role(role).label for role in composition_missing(cell=request.cell)]
    record_access(request, request.cell)
    context = {
        "waiting": waiting,
        "waiting_urls": {item.url for item in waiting},
        "members": members,
        "municipalities": request.cell.municipalities.all(),
        "composition_missing": missing,
    }
    return render(request, "cells/home.html", context)
