"""The subject's identity (explicit, logged; for a minor approved by a second person) and relations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import get_case_for_user, require_case_manager, require_no_dpo
from cases.forms import IdentityForm, IdentityRequestForm, RelationForm
from cases.models import IdentityRequest, Relation
from cases.services import cases as case_services
from cases.services import identity as identity_services
from cases.views.cases import case_url
from livc.audit.access import record_access, shows_case_content
from livc.cells.access import require_role
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission


@shows_case_content
@once_per_submission
def identity_edit(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    require_case_manager(request)
    subject = case.subject
    if subject.is_minor and not identity_services.reveal_approved(subject):
        return HttpResponseRedirect(case_url(case, "identity_request"))
    initial = {
        f: getattr(subject, f) for f in ("first_name", "last_name", "birth_date", "address", "contact")
    }
    form = IdentityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            identity_services.identity_record(
                member=request.membership, subject=subject, identity=form.identity()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Identity recorded."))
            return HttpResponseRedirect(case_url(case))
    record_access(request, case, cases=[case])
    return render(request, "cases/identity_form.html", {"case": case, "form": form})


@shows_case_content
@once_per_submission
def identity_request(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    require_no_dpo(request)
    form = IdentityRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            identity_services.identity_request(
                member=request.membership, subject=case.subject, identity=form.identity(),
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Request sent: the coordinator or a mayor decides on it."))
            return HttpResponseRedirect(case_url(case))
    record_access(request, case, cases=[case])
    return render(request, "cases/identity_request_form.html", {"case": case, "form": form})


@shows_case_content
def identity_request_list(request: CellRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR, Role.MAYOR)
    pending = list(selectors.identity_requests_pending(member=request.membership))
    cases = {case.subject_id: case for case in selectors.case_visible_list(member=request.membership)
             .filter(subject__in=[r.subject_id for r in pending])}  # fmt: skip
    rows = [(req, cases.get(req.subject_id)) for req in pending]
    record_access(request, request.cell, cases=[case for _request, case in rows])
    return render(request, "cases/identity_requests.html", {"rows": rows})


@require_POST
@once_per_submission
def identity_request_decide(request: CellRequest, request_pk: str, decision: str) -> HttpResponse:
    require_role(request, Role.COORDINATOR, Role.MAYOR)
    pending = get_object_or_404(IdentityRequest, pk=request_pk, cell=request.cell)
    try:
        identity_services.identity_request_decide(
            member=request.membership, request=pending, approve=decision == "approve"
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Approved: the identity is recorded.") if decision == "approve"
                         else _("Rejected: the identity stays withheld."))  # fmt: skip
    return HttpResponseRedirect(reverse("cases:identity_requests", kwargs={"cell_slug": request.cell.slug}))


@shows_case_content
@once_per_submission
def relation_new(request: CellRequest, pk: str) -> HttpResponse:
    case = get_case_for_user(request, pk)
    require_case_manager(request)
    form = RelationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.relation_add(member=request.membership, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Relation recorded."))
            return HttpResponseRedirect(case_url(case))  # the confirmation shows at the top
    record_access(request, case, cases=[case])
    return render(request, "cases/relation_form.html", {"case": case, "form": form})


@shows_case_content
@once_per_submission
def relation_delete(request: CellRequest, pk: str, relation_pk: str) -> HttpResponse:
    """GET asks for confirmation; only the POST removes the relation."""
    case = get_case_for_user(request, pk)
    require_case_manager(request)
    relation = get_object_or_404(Relation, pk=relation_pk, case=case)
    if request.method == "POST":
        case_services.relation_remove(member=request.membership, relation=relation)
        messages.success(request, _("Relation removed."))
        return HttpResponseRedirect(case_url(case))  # the confirmation shows at the top
    context = {
        "case": case,
        "title": _("Remove this relation?"),
        "explanation": [
            _("The relation “%(kind)s” and what was noted about it are deleted; it cannot be brought back.")
            % {"kind": relation.get_kind_display()},
        ],
        "action": _("Remove the relation"),
        "cancel_url": case_url(case) + "#relations",
    }
    record_access(request, case, cases=[case])
    return render(request, "cases/confirm.html", context)
