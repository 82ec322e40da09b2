"""The informing register of a case: read by everyone at the table, kept by coordinator and officer.

The page shows where informing stands (rule 13) and offers "the person was informed" only when
a valid decision of the table waits to be carried out; the service refuses it otherwise.
"""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import selectors
from cases.access import get_case_for_user
from cases.forms import DeferralForm, InformedForm
from cases.models import Case, InformingKind
from cases.models.informing import INFORMING_KEEPERS
from cases.services import informing as informing_services
from cases.views.cases import case_url
from livc.audit.access import record_access, shows_case_content
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as _StrPromise

FORMS: dict[str, type[forms.Form]] = {
    InformingKind.INFORMED: InformedForm,
    InformingKind.DEFERRED: DeferralForm,
}
DONE: dict[str, "_StrPromise"] = {
    InformingKind.INFORMED: gettext_lazy("Recorded: you informed the person."),
    InformingKind.DEFERRED: gettext_lazy("Recorded: informing the person is deferred."),
}


@shows_case_content
@once_per_submission
def informing(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    keeper = request.membership.role in INFORMING_KEEPERS
    bound: forms.Form | None = None
    if request.method == "POST":
        if not keeper:
            raise PermissionDenied
        kind = request.POST.get("kind", "")
        if kind not in FORMS:
            messages.error(request, _("Choose whether the person was informed or informing is deferred."))
        elif (bound := FORMS[kind](request.POST)).is_valid():
            try:
                informing_services.informing_record(
                    member=request.membership, case=case, **bound.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                messages.success(request, DONE[kind])
                return HttpResponseRedirect(case_url(case, "informing"))
    record_access(request, case, cases=[case])
    return render(request, "cases/informing.html", _context(case, keeper, bound))


def _context(case: Case, keeper: bool, bound: forms.Form | None) -> dict[str, object]:
    entries = list(selectors.informing_list(case=case))  # newest first: the first is the state
    current = entries[0] if entries else None
    may_inform = keeper and informing_services.informing_may_inform(current)
    informed_form = bound if isinstance(bound, InformedForm) else InformedForm()
    to_inform = current is not None and current.kind == InformingKind.DECIDED and current.decision_id
    return {
        "case": case,
        "entries": entries,
        "current": current,
        "keeper": keeper,
        "may_inform": may_inform,
        # A refused "informed" keeps what was typed, with the reason, even where it is not offered.
        "informed_form": informed_form if may_inform or informed_form.is_bound else None,
        "deferral_form": bound if isinstance(bound, DeferralForm) else DeferralForm(),
        # The items the decision lists, and which of them their owners consented to (rule 9).
        "uses": selectors.decision_uses(decision_ids=[current.decision_id]).get(current.decision_id, [])
        if to_inform and current is not None
        else [],
    }
