"""Retention pages of the coordinator: upcoming purges and the cell's periods. None shows
personal data (references, dates and counts only). The DPO's purge records and monthly
report are pages of the DPO console (`dpo/views/retention.py`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from livc import legal
from livc.cells.access import require_role
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission
from retention import selectors, services
from retention.forms import RetentionSettingsForm


@require_GET
def upcoming(request: CellRequest) -> HttpResponse:
    """What the purge will remove within the cell's warning period, earliest first."""
    require_role(request, Role.COORDINATOR)
    context = {
        "upcoming": selectors.upcoming_get(cell=request.cell),
        "rules": selectors.settings_get(cell=request.cell),
    }
    return render(request, "retention/upcoming.html", context)


@require_http_methods(["GET", "POST"])
@once_per_submission
def retention_settings(request: CellRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    form = RetentionSettingsForm(request.POST or None, instance=selectors.settings_get(cell=request.cell))
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(cell=request.cell, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The retention periods were saved."))
            return redirect("retention:upcoming", cell_slug=request.cell.slug)
    status = 400 if form.is_bound else 200
    # Where the periods come from depends on the law the cell works under (livc/legal.py).
    context = {"form": form, "retention_basis": legal.references(request.cell).retention}
    return render(request, "retention/settings.html", context, status=status)
