"""Case pages. Every one starts with the access helper (404 outside the user's cases) and records
the access, with the cases it shows, before rendering; the confidentiality acknowledgement is
asked for every `@shows_case_content` view by `participants.middleware.SecrecyGateMiddleware`."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors, workflow
from cases.access import get_case_for_user, require_case_manager, require_no_dpo
from cases.forms import CloseForm, KnownToServiceForm, ReviewForm, StatusForm
from cases.models import Case, CaseStatus
from cases.services import cases as case_services
from livc.audit.access import record_access, shows_case_content
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.pagination import BoundedPaginator
from livc.submissions.decorators import once_per_submission


def case_url(case: Case, name: str = "detail") -> str:
    return reverse(f"cases:{name}", kwargs={"cell_slug": case.cell.slug, "pk": case.pk})


PAGE_SIZE = 50


@shows_case_content
def case_list(request: CellRequest) -> HttpResponse:
    require_no_dpo(request)
    status = request.GET.get("status") if request.GET.get("status") in CaseStatus.values else None
    minors, overdue = request.GET.get("minors") == "1", request.GET.get("overdue") == "1"
    cases = selectors.case_list(member=request.membership, status=status, minors=minors, overdue=overdue)
    # A bounded count and a page read off the index: the cost follows the page, not the cell's size.
    page = BoundedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.case_rows(page.object_list)
    record_access(request, request.cell, cases=rows)
    filters = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    context = {
        "page": page,
        "cases": rows,
        "status": status,
        "minors": minors,
        "overdue": overdue,
        "statuses": CaseStatus.choices,
        "filters": filters,
    }
    return render(request, "cases/list.html", context)


@shows_case_content
def case_detail(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk, identity_pending=True)
    manager = request.membership.role == Role.COORDINATOR
    context = {
        "case": case,
        "subject": case.subject,
        "referral": case.referral,
        "items": selectors.with_where_it_went(
            selectors.item_list(case=case, member=request.membership), member=request.membership
        ),
        "relations": list(case.relations.all()),
        **_known_to_service(case, request),  # with "seats": who sits at the table
        "informing": selectors.informing_state(case=case),
        "duplicates": selectors.duplicate_list(subject=case.subject) if manager else [],
        "pending_identity": case.identity_pending,  # type: ignore[attr-defined]  # with_identity_pending
        "manager": manager,
        "status_form": StatusForm(case=case) if workflow.allowed_next(case.status) else None,
        "review_form": ReviewForm(initial={"review_on": case.review_on}),
    }
    record_access(request, case, cases=[case])
    return render(request, "cases/detail.html", context)


def _known_to_service(case: Case, request: CellRequest) -> dict[str, object]:
    """The table's answers to the "known to your service?" round, and the member's own form if
    she sits at the table (her current answer chosen; "not stated" when she gave none)."""
    known_round = selectors.known_to_service_round(case=case)
    mine = known_round.mine(request.membership)
    form = KnownToServiceForm(initial={"answer": mine.answer}) if mine is not None else None
    return {"seats": known_round.seats, "known_round": known_round, "known_form": form}


@require_POST
@once_per_submission
def case_status(request: CellRequest, pk: str) -> HttpResponse:
    """Reopening or follow-up changes at once; closing asks for confirmation on its own page."""
    case = get_case_for_user(request, pk)
    require_case_manager(request)
    form = StatusForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose the case's new status."))
        return HttpResponseRedirect(case_url(case) + "#manage-title")
    if form.cleaned_data["status"] == CaseStatus.CLOSED:
        return HttpResponseRedirect(case_url(case, "close"))
    try:
        case_services.case_change_status(
            member=request.membership, case=case, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Status changed to “%(status)s”.") % {"status": CaseStatus(form.cleaned_data["status"]).label},
        )
    return HttpResponseRedirect(case_url(case))


@shows_case_content
@once_per_submission
def case_close(request: CellRequest, pk: str) -> HttpResponse:
    """What closing does, and the reason it needs; nothing changes until the button is pressed."""
    case = get_case_for_user(request, pk)
    require_case_manager(request)
    if CaseStatus.CLOSED not in workflow.allowed_next(case.status):
        messages.error(request, _("This case cannot be closed now."))
        return HttpResponseRedirect(case_url(case))
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.case_change_status(
                member=request.membership,
                case=case,
                status=CaseStatus.CLOSED,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case %(reference)s closed.") % {"reference": case.reference})
            return HttpResponseRedirect(case_url(case))
    record_access(request, case, cases=[case])
    return render(request, "cases/close.html", {"case": case, "form": form})


@require_POST
def case_review(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    require_case_manager(request)
    form = ReviewForm(request.POST)
    if form.is_valid():
        case_services.case_set_review(
            member=request.membership, case=case, review_on=form.cleaned_data["review_on"]
        )
        messages.success(request, _("Review date saved."))
    else:
        messages.error(request, _("Give a valid date."))
    return HttpResponseRedirect(case_url(case))
