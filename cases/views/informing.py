"""The informing register of a case: read by everyone at the table, kept by coordinator and officer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from cases import selectors
from cases.access import acknowledgement_redirect, get_case_for_user
from cases.forms import InformingForm
from cases.services import informing as informing_services
from cases.views.cases import case_url
from livc.audit.access import record_access, shows_personal_data
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest

KEEPERS = (Role.COORDINATOR, Role.INFORMATION_OFFICER)


@shows_personal_data
def informing(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    if (redirect := acknowledgement_redirect(request)) is not None:
        return redirect
    keeper = request.membership.role in KEEPERS
    form = InformingForm(request.POST if request.method == "POST" else None, cell=request.cell)
    if request.method == "POST":
        if not keeper:
            raise PermissionDenied
        if form.is_valid():
            try:
                informing_services.informing_record(member=request.membership, case=case, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Entry added to the informing register."))
                return HttpResponseRedirect(case_url(case, "informing"))
    record_access(request, case)
    entries = list(selectors.informing_list(case=case))
    return render(
        request, "cases/informing.html", {"case": case, "entries": entries, "form": form, "keeper": keeper}
    )
