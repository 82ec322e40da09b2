"""Access helpers: the first line of every case and referral view.

A case of another cell, or one whose table the user does not sit at, is a 404; the member
who may read a case but not change it gets 403 on a write. Before any case content, a member
must have acknowledged the secrecy of the table under the rules in force (docs/rules.md, rule 6):
`participants/middleware.py::SecrecyGateMiddleware` asks for it, for every view so marked.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cases.models import Case, Referral
from cases.selectors import case_visible_list, referral_visible, with_identity_pending
from livc.cells.models import Role
from livc.http import CellRequest


def get_case_for_user(request: CellRequest, pk: object, *, identity_pending: bool = False) -> Case:
    """The case if the member may see it, with its person; with `identity_pending` (the case page)
    also whether a request to record the person's identity awaits approval, and the referral it
    came from with its municipality, in the same query."""
    cases = case_visible_list(member=request.membership).select_related("subject")
    if identity_pending:
        cases = with_identity_pending(cases).select_related("referral__municipality")
    return get_object_or_404(cases, pk=pk)


def get_referral_for_user(request: CellRequest, pk: object) -> Referral:
    return get_object_or_404(referral_visible(member=request.membership).select_related("subject"), pk=pk)


def require_case_manager(request: CellRequest) -> None:
    """Changing a case is the coordinator's: others who may read it get 403."""
    if request.membership.role != Role.COORDINATOR:
        raise PermissionDenied


def require_no_dpo(request: CellRequest) -> None:
    if request.membership.role == Role.DPO:
        raise Http404("The DPO sees no case content.")
