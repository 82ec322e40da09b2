"""Information items: any member who sees the case adds their own; only the owner withdraws."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import acknowledgement_redirect, get_case_for_user
from cases.forms import ItemForm
from cases.models import InformationItem
from cases.services import items as item_services
from cases.views.cases import case_url
from livc.forms import add_service_errors
from livc.http import CellRequest


def item_new(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    if (redirect := acknowledgement_redirect(request)) is not None:
        return redirect
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            item_services.item_add(member=request.membership, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(case_url(case))
        else:
            messages.success(
                request, _("Information added. It stays yours: you can withdraw it at any time.")
            )
            return HttpResponseRedirect(case_url(case) + "#items")
    return render(request, "cases/item_form.html", {"case": case, "form": form})


@require_POST
def item_withdraw(request: CellRequest, pk: str, item_pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    item = get_object_or_404(InformationItem, pk=item_pk, case=case, withdrawn_at__isnull=True)
    item_services.item_withdraw(member=request.membership, item=item)  # 403 unless the owner
    messages.success(request, _("Information withdrawn. It no longer appears anywhere."))
    return HttpResponseRedirect(case_url(case) + "#items")
