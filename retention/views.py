"""Retention pages: the coordinator's upcoming purges and the cell's periods; the DPO's purge
records and monthly report. None shows personal data (references, dates and counts only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from livc.cells.access import require_role
from livc.cells.models import Role
from livc.forms import add_service_errors
from livc.http import CellRequest
from retention import selectors, services
from retention.forms import MonthForm, RetentionSettingsForm, YearForm

PAGE_SIZE = 50


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
    return render(request, "retention/settings.html", {"form": form}, status=status)


@require_GET
def records(request: CellRequest) -> HttpResponse:
    """The DPO's list of purge records, optionally of one month."""
    require_role(request, Role.DPO)
    form = MonthForm(request.GET)
    if not form.is_valid():
        return render(request, "retention/records.html", {"form": form, "page": None}, status=400)
    month = form.cleaned_data["month"]
    entries = selectors.purge_record_list(cell=request.cell, month=month)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"month={month:%Y-%m}&" if month else ""
    return render(request, "retention/records.html", {"form": form, "page": page, "query": query})


@require_GET
def report(request: CellRequest) -> HttpResponse:
    """Per month: cases purged, referrals purged, extensions in force."""
    require_role(request, Role.DPO)
    form = YearForm(request.GET)
    if not form.is_valid():
        return render(request, "retention/report.html", {"form": form, "rows": None}, status=400)
    year = form.cleaned_data["year"]
    context = {
        "form": form,
        "year": year,
        "rows": selectors.retention_report(cell=request.cell, year=year),
        "rules": selectors.settings_get(cell=request.cell),
    }
    return render(request, "retention/report.html", context)
