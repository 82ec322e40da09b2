"""The DPO's retention pages: the purge records and the monthly report (references, dates and
counts only; no personal data)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dpo.retention_forms import MonthForm, YearForm
from livc.cells.access import require_role
from livc.cells.models import Role
from livc.http import CellRequest
from retention import selectors

PAGE_SIZE = 50


@require_GET
def records(request: CellRequest) -> HttpResponse:
    """The DPO's list of purge records, optionally of one month."""
    require_role(request, Role.DPO)
    form = MonthForm(request.GET)
    if not form.is_valid():
        return render(request, "dpo/retention_records.html", {"form": form, "page": None}, status=400)
    month = form.cleaned_data["month"]
    entries = selectors.purge_record_list(cell=request.cell, month=month)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"month={month:%Y-%m}&" if month else ""
    return render(request, "dpo/retention_records.html", {"form": form, "page": page, "query": query})


@require_GET
def report(request: CellRequest) -> HttpResponse:
    """Per month: cases purged, referrals purged, extensions in force."""
    require_role(request, Role.DPO)
    form = YearForm(request.GET)
    if not form.is_valid():
        return render(request, "dpo/retention_report.html", {"form": form, "rows": None}, status=400)
    year = form.cleaned_data["year"]
    context = {
        "form": form,
        "year": year,
        "rows": selectors.retention_report(cell=request.cell, year=year),
        "rules": selectors.settings_get(cell=request.cell),
    }
    return render(request, "dpo/retention_report.html", context)
