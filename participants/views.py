"""Pages of the coordinator (organisations, participants, invitations, rules), the mayor
(approvals, rules) and every member (rules, acknowledgement). Views are thin: access
helper, form, service, redirect. Pages listing people record an access entry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from livc import legal
from livc.audit.access import record_access, shows_personal_data
from livc.cells.access import require_role
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
from participants import rules as rules_services
from participants import selectors, services
from participants.forms import (
    AcknowledgeForm,
    CategoryFormSet,
    InvitationForm,
    OrganisationForm,
    ParticipantForm,
    ReasonForm,
    RulesForm,
)
from participants.models import Invitation, InvitationStatus, Organisation, Participant, RulesOfProcedure

COORDINATOR, MAYOR = Role.COORDINATOR, Role.MAYOR


def _back(request: CellRequest, name: str, **kwargs: int) -> HttpResponse:
    return HttpResponseRedirect(
        reverse(f"participants:{name}", kwargs={"cell_slug": request.cell.slug, **kwargs})
    )


def _refused(request: CellRequest, error: ValidationError | PermissionDenied) -> None:
    text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text or _("Your role in this cell does not allow this."))


# --- Organisations ------------------------------------------------------------------------


@once_per_submission
def organisation_list(request: CellRequest) -> HttpResponse:
    require_role(request, COORDINATOR, MAYOR)
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require_role(request, COORDINATOR)
        if form.is_valid():
            try:
                services.organisation_save(member=request.membership, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Organisation added."))
                return _back(request, "organisations")
    organisations = selectors.organisation_list(cell=request.cell)
    return render(request, "participants/organisations.html", {"form": form, "organisations": organisations})


def organisation_edit(request: CellRequest, pk: int) -> HttpResponse:
    require_role(request, COORDINATOR)
    organisation = get_object_or_404(Organisation, pk=pk, cell=request.cell)
    form = OrganisationForm(request.POST if request.method == "POST" else None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_save(
                member=request.membership, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Organisation saved."))
            return _back(request, "organisations")
    return render(
        request, "participants/organisation_edit.html", {"form": form, "organisation": organisation}
    )


# --- Participants ----------------------------------------------------------------------------


@shows_personal_data
def participant_list(request: CellRequest) -> HttpResponse:
    require_role(request, COORDINATOR, MAYOR)
    participants = list(selectors.participant_list(cell=request.cell, active=None))
    record_access(request, request.cell)
    return render(request, "participants/participants.html", {"participants": participants})


@shows_personal_data
def participant_edit(request: CellRequest, pk: int) -> HttpResponse:
    require_role(request, COORDINATOR, MAYOR)
    participant = get_object_or_404(selectors.participant_list(cell=request.cell, active=None), pk=pk)
    form = ParticipantForm(request.POST if request.method == "POST" else None, instance=participant)
    if request.method == "POST":
        require_role(request, COORDINATOR)
        if form.is_valid():
            try:
                services.participant_update(
                    member=request.membership, participant=participant, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Participant saved."))
                return _back(request, "participants")
    record_access(request, participant)
    context = {"participant": participant, "form": form, "revoke_form": ReasonForm()}
    return render(request, "participants/participant_edit.html", context)


@require_POST
@once_per_submission
def participant_revoke(request: CellRequest, pk: int) -> HttpResponse:
    require_role(request, COORDINATOR, MAYOR)
    participant = get_object_or_404(Participant, pk=pk, cell=request.cell)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.participant_revoke(member=request.membership, participant=participant, reason=reason)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return _back(request, "participant_edit", pk=pk)
    messages.success(request, _("Access ended. The participant can no longer open anything of this cell."))
    return _back(request, "participants")


# --- Invitations ----------------------------------------------------------------------------


@shows_personal_data
def invitation_list(request: CellRequest) -> HttpResponse:
    require_role(request, COORDINATOR, MAYOR)
    status = request.GET.get("status", "")
    if status not in InvitationStatus.values:
        status = ""
    invitations = list(selectors.invitation_list(cell=request.cell, status=status or None))
    record_access(request, request.cell)
    context = {
        "invitations": invitations,
        "status": status,
        "statuses": InvitationStatus.choices,
        "counts": selectors.invitation_counts(cell=request.cell),
    }
    return render(request, "participants/invitations.html", context)


@once_per_submission
def invitation_new(request: CellRequest) -> HttpResponse:
    require_role(request, COORDINATOR)
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        cell=request.cell,
        initial={"language": request.user.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_save_draft(
                member=request.membership, data=services.InvitationData(**form.cleaned_data)
            )
            if "propose" in request.POST:
                services.invitation_propose(member=request.membership, invitation=invitation)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Invitation proposed to the mayor.") if "propose" in request.POST
                             else _("Draft saved."))  # fmt: skip
            return _back(request, "invitation_detail", pk=invitation.pk)
    return render(request, "participants/invitation_form.html", {"form": form})


@once_per_submission
def invitation_edit(request: CellRequest, pk: int) -> HttpResponse:
    require_role(request, COORDINATOR)
    invitation = get_object_or_404(Invitation, pk=pk, cell=request.cell, status=InvitationStatus.DRAFT)
    initial = {field: getattr(invitation, field) for field in InvitationForm.base_fields}
    form = InvitationForm(
        request.POST if request.method == "POST" else None, cell=request.cell, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_save_draft(
                member=request.membership,
                invitation=invitation,
                data=services.InvitationData(**form.cleaned_data),
            )
            if "propose" in request.POST:
                services.invitation_propose(member=request.membership, invitation=invitation)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Invitation saved."))
            return _back(request, "invitation_detail", pk=invitation.pk)
    return render(request, "participants/invitation_form.html", {"form": form, "invitation": invitation})


@shows_personal_data
def invitation_detail(request: CellRequest, pk: int) -> HttpResponse:
    require_role(request, COORDINATOR, MAYOR)
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "proposed_by", "decided_by"),
        pk=pk,
        cell=request.cell,
    )
    events = invitation.events.select_related("actor")
    record_access(request, invitation)
    context = {"invitation": invitation, "events": events, "reason_form": ReasonForm()}
    return render(request, "participants/invitation_detail.html", context)


# action -> (who may, service, message when done)
_ACTIONS = {
    "propose": (COORDINATOR, services.invitation_propose, gettext_lazy("Invitation proposed to the mayor.")),
    "withdraw": (
        COORDINATOR,
        services.invitation_withdraw,
        gettext_lazy("Invitation withdrawn; a link already sent no longer works."),
    ),
    "resend": (
        COORDINATOR,
        services.invitation_resend,
        gettext_lazy("Invitation sent again with a new link; the old link no longer works."),
    ),
    "approve": (MAYOR, services.invitation_approve, gettext_lazy("Invitation approved and sent.")),
}


@require_POST
@once_per_submission
def invitation_action(request: CellRequest, pk: int, action: str) -> HttpResponse:
    require_role(request, COORDINATOR, MAYOR)
    invitation = get_object_or_404(Invitation, pk=pk, cell=request.cell)
    role, service, done = _ACTIONS[action]
    if request.membership.role != role:
        raise PermissionDenied
    try:
        service(member=request.membership, invitation=invitation)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, str(done))
    if request.POST.get("from") == "approvals":
        return _back(request, "approvals")
    return _back(request, "invitation_detail", pk=pk)


@shows_personal_data
def approval_list(request: CellRequest) -> HttpResponse:
    """The mayor's queue: approve in one click, or reject with a reason."""
    require_role(request, MAYOR)
    return _render_approvals(request, rejecting=None, form=None)


@require_POST
@once_per_submission
def invitation_reject(request: CellRequest, pk: int) -> HttpResponse:
    require_role(request, MAYOR)
    invitation = get_object_or_404(Invitation, pk=pk, cell=request.cell)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_reject(
                member=request.membership, invitation=invitation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            _refused(request, error)
            return _back(request, "approvals")
        else:
            messages.success(request, _("Invitation rejected. The coordinator sees your reason."))
            return _back(request, "approvals")
    return _render_approvals(request, rejecting=invitation, form=form)


def _render_approvals(
    request: CellRequest, *, rejecting: Invitation | None, form: ReasonForm | None
) -> HttpResponse:
    pending = list(selectors.pending_approval_list(cell=request.cell))
    record_access(request, request.cell)
    context = {"pending": pending, "rejecting": rejecting, "reject_form": form}
    return render(request, "participants/approvals.html", context, status=400 if form is not None else 200)


# --- Rules of procedure and acknowledgement ---------------------------------------------------


def rules_list(request: CellRequest) -> HttpResponse:
    versions = list(selectors.rules_list(cell=request.cell))
    in_force = next((v for v in versions if v.status == "in_force"), None)
    context = {"versions": versions, "in_force": in_force, **_categories_context(request, in_force)}
    return render(request, "participants/rules_list.html", context)


def rules_detail(request: CellRequest, pk: int) -> HttpResponse:
    rules = get_object_or_404(RulesOfProcedure, pk=pk, cell=request.cell)
    context = {"rules": rules, **_categories_context(request, rules)}
    return render(request, "participants/rules_detail.html", context)


def _categories_context(request: CellRequest, rules: RulesOfProcedure | None) -> dict[str, object]:
    """A version's data categories, and where the cell's come from (livc/legal.py)."""
    return {
        "categories": selectors.version_categories(rules) if rules else [],
        "define_categories": legal.rules_define_categories(request.cell),
        "categories_source": legal.categories_source(request.cell),
    }


@once_per_submission
def rules_edit(request: CellRequest) -> HttpResponse:
    """The coordinator drafts the next version (one draft at a time), starting from the current text
    and, where the rules define them (livc/legal.py), the current data categories."""
    require_role(request, COORDINATOR)
    draft = RulesOfProcedure.objects.filter(cell=request.cell, status="draft").first()
    current = draft or selectors.rules_in_force(cell=request.cell)
    data = request.POST if request.method == "POST" else None
    form = RulesForm(data, initial={"text": current.text if current else ""})
    categories = None
    if legal.rules_define_categories(request.cell):
        categories = CategoryFormSet(
            data, prefix="categories", initial=current.data_categories if current else []
        )
    if request.method == "POST" and all([form.is_valid(), categories is None or categories.is_valid()]):
        try:
            rules_services.rules_draft_save(
                member=request.membership,
                text=form.cleaned_data["text"],
                draft=draft,
                categories=categories.entries() if categories is not None else None,
            )
        except ValidationError as error:
            rest = categories.add_service_errors(error) if categories is not None else error
            if rest is not None:
                add_service_errors(form, rest)
        else:
            messages.success(request, _("Draft saved. A mayor puts it in force."))
            return _back(request, "rules")
    context = {"form": form, "draft": draft, "categories": categories}
    return render(request, "participants/rules_edit.html", context)


@require_POST
@once_per_submission
def rules_approve(request: CellRequest, pk: int) -> HttpResponse:
    require_role(request, MAYOR)
    rules = get_object_or_404(RulesOfProcedure, pk=pk, cell=request.cell)
    try:
        rules_services.rules_approve(member=request.membership, rules=rules)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Version %(version)s is now in force. Members acknowledge it again.")
                         % {"version": rules.version})  # fmt: skip
    return _back(request, "rules")


@once_per_submission
def acknowledge(request: CellRequest) -> HttpResponse:
    """The secrecy of the table (art. 458ter Sw.), accepted before any case content."""
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        rules_services.acknowledgement_record(cell=request.cell, user=request.user)
        messages.success(request, _("Thank you. Your acknowledgement has been recorded."))
        return redirect(_safe_next(request))
    context = {
        "form": form,
        "rules": selectors.rules_in_force(cell=request.cell),
        "done": selectors.has_acknowledged(cell=request.cell, user=request.user),
    }
    return render(request, "participants/acknowledge.html", context)


def _safe_next(request: CellRequest) -> str:
    candidate = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return f"/c/{request.cell.slug}/"
