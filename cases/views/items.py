"""Information items: any member who sees the case adds their own; only the owner withdraws."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.access import get_case_for_user
from cases.forms import ItemForm
from cases.models import InformationItem
from cases.services import items as item_services
from cases.views.cases import case_url
from livc.audit.access import record_access, shows_case_content
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission


@shows_case_content
@once_per_submission
def item_new(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    form = ItemForm(request.POST if request.method == "POST" else None, cell=case.cell)
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
            return HttpResponseRedirect(case_url(case))  # the confirmation shows at the top
    record_access(request, case, cases=[case])
    return render(request, "cases/item_form.html", {"case": case, "form": form})


@shows_case_content
@once_per_submission
def item_withdraw(request: CellRequest, pk: str, item_pk: str) -> HttpResponse:
    """GET says that withdrawing erases the text for good; only the POST withdraws."""
    case = get_case_for_user(request, pk)
    item = get_object_or_404(InformationItem, pk=item_pk, case=case, withdrawn_at__isnull=True)
    if item.owner.membership_id != request.membership.pk:
        raise PermissionDenied
    if request.method == "POST":
        item_services.item_withdraw(member=request.membership, item=item)
        messages.success(request, _("Information withdrawn. It no longer appears anywhere."))
        return HttpResponseRedirect(case_url(case))  # the confirmation shows at the top
    context = {
        "case": case,
        "title": _("Withdraw your information?"),
        "explanation": [
            _(
                "The information you shared on %(date)s (%(category)s) is erased for good: nobody at "
                "the table sees it any more, and it cannot be brought back."
            )
            % {"date": date_format(item.shared_on, "DATE_FORMAT"), "category": item.category_label},
            _("To share it again later, add it anew."),
        ],
        "action": _("Withdraw and erase"),
        "cancel_url": case_url(case) + "#items",
    }
    record_access(request, case, cases=[case])
    return render(request, "cases/confirm.html", context)
