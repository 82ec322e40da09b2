from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Role
from livc.cells.notices import Notice
from livc.http import CellRequest
from participants import selectors


def acknowledgement_missing(request: CellRequest) -> Notice | None:
    """Every member but the DPO acknowledges the secrecy of the table before case content."""
    if request.membership.role == Role.DPO:
        return None
    if selectors.request_has_acknowledged(request):
        return None
    url = reverse("participants:acknowledge", kwargs={"cell_slug": request.cell.slug})
    if request.path == url:
        return None
    return Notice(
        text=_(
            "You have not yet acknowledged the secrecy of the table under the rules of procedure in force."
        ),
        link_url=url,
        link_text=_("Read and acknowledge"),
    )


def rules_missing(request: CellRequest) -> Notice | None:
    if request.membership.role not in (Role.COORDINATOR, Role.MAYOR):
        return None
    if selectors.request_rules_in_force(request) is not None:
        return None
    return Notice(
        text=_(
            "No rules of procedure are in force: no case can be discussed until a mayor approves a version."
        ),
        link_url=reverse("participants:rules", kwargs={"cell_slug": request.cell.slug}),
        link_text=_("Rules of procedure"),
    )
