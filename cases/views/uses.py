"""Where an owner's information went (rule 9): her answer to each use of her items, the record of
a share with a partner, and her page of every use of her items.

Only the item's owner answers (anyone else who sees the case gets 403); the coordinator or the
owner records a share with a partner once the owner consented. Outside the case's table: 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cases import selectors
from cases.access import get_case_for_user, require_no_dpo
from cases.forms import UseAnswerForm
from cases.models import Case, ItemUse
from cases.services import uses as use_services
from cases.views.cases import case_url
from livc.audit.access import record_access, shows_case_content
from livc.cells.models import Role
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission


def _use_of(case: Case, use_pk: str) -> ItemUse:
    return get_object_or_404(ItemUse.objects.select_related("item__owner"), pk=use_pk, item__case=case)


def _back(request: CellRequest, case: Case) -> HttpResponse:
    """Back where the form was (the case page or the owner's page of uses)."""
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(wanted if wanted and safe else case_url(case) + "#items")


@once_per_submission
def item_use_answer(request: CellRequest, pk: str, use_pk: str) -> HttpResponse:
    """Only a POST answers; a GET is sent to the case page, where the answer's buttons are."""
    case = get_case_for_user(request, pk)
    use = _use_of(case, use_pk)
    if use.item.owner.membership_id != request.membership.pk:
        raise PermissionDenied  # nobody answers for the owner, not even the coordinator (ADR 13)
    if request.method != "POST":
        return HttpResponseRedirect(case_url(case) + "#items")
    form = UseAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say whether you consent to this use of your information."))
        use = use_services.use_answer(
            member=request.membership, use=use, consent=form.cleaned_data["consent"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["consent"]:
            messages.success(request, _("Consent given: your information may be used this way."))
        else:
            messages.success(request, _("Consent refused: your information is not used this way."))
    return _back(request, case)


@once_per_submission
def item_use_shared(request: CellRequest, pk: str, use_pk: str) -> HttpResponse:
    """The coordinator or the owner records that the item was shared with the partner (a POST;
    a GET is sent to the case page)."""
    case = get_case_for_user(request, pk)
    use = _use_of(case, use_pk)
    if request.membership.role != Role.COORDINATOR and use.item.owner.membership_id != request.membership.pk:
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseRedirect(case_url(case) + "#items")
    try:
        use = use_services.use_record_shared(member=request.membership, use=use)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recorded as shared with %(partner)s.") % {"partner": use.partner})
    return _back(request, case)


@shows_case_content
def my_item_uses(request: CellRequest) -> HttpResponse:
    """Your information: where it went. Every use of the member's own items in the cases she may
    see, those awaiting her answer first, with the same answers as under each item."""
    require_no_dpo(request)
    rows = selectors.own_use_rows(member=request.membership)
    record_access(request, request.cell, cases=[row.use.item.case for row in rows])
    context = {"rows": rows, "awaiting": sum(row.awaiting for row in rows)}
    return render(request, "cases/item_uses.html", context)
