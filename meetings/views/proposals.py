"""Agenda proposals: proposing a case (from its page) or a topic (from the meetings list), the
member's own proposals, and the coordinator's list of waiting proposals to accept or decline."""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import get_case_for_user, require_no_dpo
from livc.audit.access import record_access, shows_case_content
from livc.cells.access import require_role
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
from meetings import selectors
from meetings.forms import ProposalAcceptForm, ProposalDeclineForm, ProposalForm
from meetings.models import AgendaProposal
from meetings.services import proposals as services


def _url(request: CellRequest, name: str) -> str:
    return reverse(f"meetings:{name}", kwargs={"cell_slug": request.cell.slug})


@shows_case_content
@once_per_submission
def propose_case(request: CellRequest, pk: str) -> HttpResponse:
    """Propose a case the member may see for a meeting's agenda, with a reason."""
    case = get_case_for_user(request, pk)
    form = ProposalForm(request.POST if request.method == "POST" else None, topic=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit(member=request.membership, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Proposed. The coordinator decides; you see the answer here."))
            return HttpResponseRedirect(_url(request, "my_proposals"))
    record_access(request, case, cases=[case])
    return render(request, "meetings/propose.html", {"case": case, "form": form})


@once_per_submission
def propose_topic(request: CellRequest) -> HttpResponse:
    """Propose a policy topic (no names) for a meeting's agenda, with a reason."""
    require_no_dpo(request)
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit(member=request.membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Proposed. The coordinator decides; you see the answer here."))
            return HttpResponseRedirect(_url(request, "my_proposals"))
    return render(request, "meetings/propose.html", {"case": None, "form": form})


@shows_case_content
def my_proposals(request: CellRequest) -> HttpResponse:
    """The member's own proposals, their status and the coordinator's message. Of a case she no
    longer sees, only the status and dates: not the case, nor her reason, nor the message."""
    require_no_dpo(request)
    rows = selectors.proposal_own_list(member=request.membership)
    record_access(request, request.cell, cases=[row.proposal.case for row in rows if row.shown])
    return render(request, "meetings/proposals_mine.html", {"rows": rows})


@once_per_submission
def proposal_withdraw(request: CellRequest, pk: str) -> HttpResponse:
    """The proposer's own proposal only: anyone else's does not exist here (404), for any method."""
    proposal = get_object_or_404(AgendaProposal, pk=pk, cell=request.cell, proposed_by=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.proposal_withdraw(member=request.membership, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your proposal is withdrawn."))
    return HttpResponseRedirect(_url(request, "my_proposals"))


# --- The coordinator's decisions ---------------------------------------------------------------------


STEPS = ("accept", "decline")


def _forms(request: CellRequest, proposal: AgendaProposal, data: Any = None) -> dict[str, forms.Form]:
    """The accept and decline forms of one proposal: ids of their own on the page of many."""
    meetings = selectors.planned_meeting_list(cell=request.cell)
    return {
        "accept": ProposalAcceptForm(data, meetings=meetings, auto_id=f"accept-{proposal.pk}-%s"),
        "decline": ProposalDeclineForm(data, auto_id=f"decline-{proposal.pk}-%s"),
    }


def _waiting_page(request: CellRequest, bound: tuple[UUID, str, forms.Form] | None = None) -> HttpResponse:
    """The waiting proposals, each with its forms; `bound`: the one form sent back with its errors."""
    proposals = list(selectors.proposal_waiting_list(member=request.membership))
    rows = []
    for proposal in proposals:
        row_forms = _forms(request, proposal)
        if bound is not None and bound[0] == proposal.pk:
            row_forms[bound[1]] = bound[2]
        rows.append({"proposal": proposal, **row_forms})
    context = {"rows": rows, "has_meetings": selectors.planned_meeting_list(cell=request.cell).exists()}
    record_access(request, request.cell, cases=[proposal.case for proposal in proposals])
    return render(request, "meetings/proposals.html", context)


@shows_case_content
def proposal_list(request: CellRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    return _waiting_page(request)


@require_POST
@shows_case_content
@once_per_submission
def proposal_decide(request: CellRequest, pk: str, step: str) -> HttpResponse:
    """Accept (onto a planned meeting's agenda) or decline (with a message) one proposal."""
    require_role(request, Role.COORDINATOR)
    proposal = get_object_or_404(AgendaProposal, pk=pk, cell=request.cell)
    if step not in STEPS:
        raise Http404("No such step.")
    form = _forms(request, proposal, request.POST)[step]
    if form.is_valid():
        try:
            if step == "accept":
                meeting = form.cleaned_data["meeting"]
                services.proposal_accept(member=request.membership, proposal=proposal, meeting=meeting,
                                         message=form.cleaned_data["message"])  # fmt: skip
                messages.success(
                    request, _("Accepted: it is on the agenda of %(title)s.") % {"title": meeting.title}
                )
            else:
                services.proposal_decline(
                    member=request.membership, proposal=proposal, message=form.cleaned_data["message"]
                )
                messages.success(request, _("Declined; the member who proposed it reads your message."))
            return HttpResponseRedirect(_url(request, "proposals"))
        except ValidationError as error:
            if not selectors.proposal_waiting_list(member=request.membership).filter(pk=proposal.pk).exists():
                messages.error(request, " ".join(error.messages))  # decided meanwhile: nothing to show
                return HttpResponseRedirect(_url(request, "proposals"))
            add_service_errors(form, error)
    return _waiting_page(request, bound=(proposal.pk, step, form))
