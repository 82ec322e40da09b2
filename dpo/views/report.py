"""Reporting a suspected data breach: open to every member of the cell, whatever their role
(docs/rules.md, rule 16). The report opens an entry of the breach register, which stays the
DPO's alone: the reporter sees only the confirmation with the entry's number."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dpo import selectors, services
from dpo.forms import BreachReportForm
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission


@require_http_methods(["GET", "POST"])
@once_per_submission
def breach_report(request: CellRequest) -> HttpResponse:
    """Any member (CellMiddleware has checked the membership of the cell in the URL)."""
    form = BreachReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.breach_report(
                cell=request.cell,
                reported_by=request.user,
                token=data["token"],
                description=data["description"],
                discovered_at=data["discovered_at"],
                occurred_at=data["occurred_at"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("audit:breach_report_done", cell_slug=request.cell.slug, pk=report.breach.pk)
    notified = selectors.breach_report_recipients(cell=request.cell).role
    return render(request, "dpo/breach_report_form.html", {"form": form, "notified": notified})


def breach_report_done(request: CellRequest, pk: Any) -> HttpResponse:
    """The reporter's confirmation: the entry's number, nothing else of the register."""
    breach = selectors.breach_report_get(cell=request.cell, user=request.user, pk=pk)
    notified = selectors.breach_report_recipients(cell=request.cell).role
    return render(request, "dpo/breach_report_done.html", {"breach": breach, "notified": notified})
