"""The statistics page, its CSV and its PDF annual report: for the mayor, the coordinator and the
strategic table (`livc/statistics/access.py`). They show counts only, suppressed
(`livc/statistics/suppression.py`), and no personal data: nothing to log."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from livc.http import CellRequest
from livc.pdf import render_pdf
from livc.statistics.access import require_reader
from livc.statistics.exports import report_csv
from livc.statistics.forms import ReportForm
from livc.statistics.selectors import ALL, Report, report_years, statistics_report, suppression_rule


def _chosen(request: CellRequest) -> tuple[ReportForm, Report | None, str]:
    form = ReportForm(request.GET, cell=request.cell, years=report_years(cell=request.cell))
    if not form.is_valid():
        return form, None, ""
    year, scope = form.chosen()
    return form, statistics_report(cell=request.cell, year=year), scope


def report(request: CellRequest) -> HttpResponse:
    require_reader(request)
    form, chosen, scope = _chosen(request)
    context: dict[str, Any] = {"form": form, "report": chosen, "rule": suppression_rule()}
    if chosen is None:
        return render(request, "statistics/report.html", context, status=400)
    context.update(
        {"scope": chosen.scope(scope), "tables": chosen.tables(scope), "query": request.GET.urlencode()}
    )
    return render(request, "statistics/report.html", context)


def report_csv_download(request: CellRequest) -> HttpResponse:
    require_reader(request)
    _form, chosen, scope = _chosen(request)
    if chosen is None:
        return _back_to_page(request)
    response = HttpResponse(report_csv(chosen, scope), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(chosen, scope)}.csv"'
    return response


def report_pdf_download(request: CellRequest) -> HttpResponse:
    """The annual report, in the reader's language: a title page, the rule, each table with its chart."""
    require_reader(request)
    _form, chosen, scope = _chosen(request)
    if chosen is None:
        return _back_to_page(request)
    context = {
        "report": chosen,
        "scope": chosen.scope(scope),
        "tables": chosen.tables(scope),
        "rule": suppression_rule(),
        "pdf": True,
        "title": _("Statistics %(year)s") % {"year": chosen.year},
    }
    pdf = render_pdf("statistics/pdf/report.html", context, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(chosen, scope)}.pdf"'
    return response


def _back_to_page(request: CellRequest) -> HttpResponse:
    """A download with a bad choice: back to the page, which says what is wrong."""
    url = reverse("statistics:report", kwargs={"cell_slug": request.cell.slug})
    return redirect(f"{url}?{request.GET.urlencode()}")


def _filename(chosen: Report, scope: str) -> str:
    part = "" if scope == ALL else f"-{scope}"
    return f"statistics-{chosen.cell.slug}-{chosen.year}{part}"
