"""Referral pages: any member but the DPO refers; coordinator, officer and mayor see the queue;
the coordinator qualifies. A referrer sees the status of their own referrals, not the case."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import selectors
from cases.access import get_referral_for_user, require_case_manager, require_no_dpo
from cases.forms import IdentityForm, QualifyForm, ReferralForm
from cases.models import ReferralStatus
from cases.services import identity as identity_services
from cases.services import referrals as referral_services
from cases.views.cases import PAGE_SIZE, case_url
from livc.audit.access import record_access, shows_case_content
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.pagination import BoundedPaginator
from livc.submissions.decorators import once_per_submission
from participants.middleware import acknowledgement_first


def _url(request: CellRequest, name: str, **kwargs: object) -> str:
    return reverse(f"cases:{name}", kwargs={"cell_slug": request.cell.slug, **kwargs})


@acknowledgement_first
@once_per_submission
def referral_new(request: CellRequest) -> HttpResponse:
    require_no_dpo(request)
    form = ReferralForm(request.POST if request.method == "POST" else None, cell=request.cell)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in IdentityForm.base_fields}
        try:
            referral_services.referral_submit(
                member=request.membership,
                data=referral_services.ReferralData(**data, identity=form.identity()),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Referral sent to the coordinator. You can follow its status here."))
            return HttpResponseRedirect(_url(request, "referrals"))
    return render(request, "cases/referral_form.html", {"form": form})


@shows_case_content
def referral_list(request: CellRequest) -> HttpResponse:
    require_no_dpo(request)
    status = request.GET.get("status", ReferralStatus.SUBMITTED)
    status = status if status in ReferralStatus.values or status == "all" else ReferralStatus.SUBMITTED
    # A page of the queue with a bounded count: "all" in a large cell must not read every referral.
    referrals = selectors.referral_queue(
        member=request.membership, status=None if status == "all" else status
    )
    page = BoundedPaginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    queue = list(page.object_list)
    own = list(selectors.own_referral_list(member=request.membership))
    record_access(request, request.cell, cases=selectors.case_ids_of_referrals([*queue, *own]))
    context = {"queue": queue, "page": page, "filters": urlencode({"status": status}), "own": own,
               "status": status, "statuses": ReferralStatus.choices,
               "is_queue_role": request.membership.role in selectors.REFERRAL_QUEUE_ROLES}  # fmt: skip
    return render(request, "cases/referral_list.html", context)


@shows_case_content
def referral_detail(request: CellRequest, pk: str) -> HttpResponse:
    referral = get_referral_for_user(request, pk)
    full = request.membership.role in selectors.REFERRAL_QUEUE_ROLES
    manager = request.membership.has_role(Role.COORDINATOR)
    context = {
        "referral": referral,
        "full": full,
        "duplicates": selectors.duplicate_list(subject=referral.subject) if manager else [],
        "qualify_form": QualifyForm(cell=request.cell) if manager else None,
        "case": getattr(referral, "case", None) if full else None,
    }
    record_access(request, referral, cases=selectors.case_ids_of_referrals([referral]))
    return render(request, "cases/referral_detail.html", context)


@shows_case_content
@once_per_submission
def referral_qualify(request: CellRequest, pk: str) -> HttpResponse:
    referral = get_referral_for_user(request, pk)
    require_case_manager(request)
    form = QualifyForm(request.POST if request.method == "POST" else None, cell=request.cell)
    if request.method == "POST" and form.is_valid():
        try:
            case = referral_services.referral_qualify(
                member=request.membership, referral=referral,
                data=referral_services.QualificationData(**form.cleaned_data),
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if case is not None:
                messages.success(
                    request, _("Retained: case %(reference)s opened.") % {"reference": case.reference}
                )
                return HttpResponseRedirect(case_url(case, "table"))
            messages.success(request, _("Qualification recorded."))
            return HttpResponseRedirect(_url(request, "referrals"))
    record_access(request, referral, cases=selectors.case_ids_of_referrals([referral]))
    context = {"referral": referral, "full": True, "qualify_form": form, "duplicates": [], "case": None}
    return render(request, "cases/referral_detail.html", context, status=400 if form.is_bound else 200)


@shows_case_content
@once_per_submission
def referral_identity(request: CellRequest, pk: str) -> HttpResponse:
    """The coordinator adds the identity of an anonymous referral: an explicit, logged step."""
    referral = get_referral_for_user(request, pk)
    require_case_manager(request)
    subject = referral.subject
    if subject.is_minor:
        messages.info(request, _("This person is a minor: request the identity with a reason, for approval."))
    form = IdentityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            identity_services.identity_record(
                member=request.membership, subject=subject, identity=form.identity()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Identity recorded."))
            return HttpResponseRedirect(_url(request, "referral_detail", pk=referral.pk))
    record_access(request, referral, cases=selectors.case_ids_of_referrals([referral]))
    return render(request, "cases/referral_identity.html", {"referral": referral, "form": form})
