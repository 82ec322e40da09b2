"""The DPO console: the cell's audit trail, exports, authorised persons, signals, breach register.

For the cell's data-protection officer only: every view starts with `assert_dpo`, which
answers 404 to any other role (and CellMiddleware already answers 404 to other cells).
No page shows case content: entries appear by object type and id.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dpo import selectors, services
from dpo.exports import csv_chunks, entry_rows
from dpo.forms import (
    AuditSettingsForm,
    BreachForm,
    DocumentNumberForm,
    LogFilterForm,
    ObjectFilterForm,
    PeriodForm,
)
from dpo.models import Breach
from dpo.selectors import LogFilter
from livc.accounts.models import User
from livc.audit import chain
from livc.audit import services as audit_services
from livc.audit.access import record_access, shows_personal_data
from livc.audit.models import AccessKind, LogEntry
from livc.database.tenancy import streamed_in_cell
from livc.forms import add_service_errors
from livc.http import CellRequest
from livc.pagination import BoundedPaginator
from livc.pdf import render_pdf
from livc.submissions.decorators import once_per_submission
from meetings.models import Meeting

PAGE_SIZE = 50


def _dpo(request: CellRequest) -> None:
    selectors.assert_dpo(cell=request.cell, user=request.user)


def _filtered(request: CellRequest) -> tuple[LogFilterForm, Any]:
    """The filter form bound to the query string, and the entries it selects (none if invalid)."""
    form = LogFilterForm(request.GET, cell=request.cell)
    log_filter = form.to_filter() if form.is_valid() else None
    if log_filter is None:
        return form, LogEntry.objects.none()
    return form, selectors.log_list(cell=request.cell, user=request.user, log_filter=log_filter)


def _page(request: CellRequest, entries: Any) -> Any:
    """A page of entries, counted up to `LIVC_LIST_COUNT_BOUND` (a cell's log holds millions)."""
    rows = selectors.log_page_rows(entries)
    return BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: CellRequest, **overrides: Any) -> str:
    params = {key: value for key, value in request.GET.items() if key != "page" and value}
    params.update({key: value for key, value in overrides.items() if value not in (None, "")})
    return urlencode(params)


@shows_personal_data
def home(request: CellRequest) -> HttpResponse:
    """Overview: the state of the cell's hash chain and what needs the DPO's attention.

    Verifies nothing: the chain's state is read from its last checkpoint, its head and the last
    runs (`livc/audit/chain.py::chain_overview`, a handful of indexed reads however long the chain).
    """
    _dpo(request)
    overview = chain.chain_overview(request.cell.pk)
    signal_count = selectors.unusual_access_count(cell=request.cell, user=request.user)
    record_access(request, request.cell)
    context = {
        "chain": overview,
        "broken": [(run, chain.REASONS.get(run.reason, run.reason)) for run in overview.broken_runs],
        "verify_now_limit": VERIFY_NOW_LIMIT,
        "signal_count": signal_count,
        "overdue": len(selectors.breaches_overdue(cell=request.cell)),
    }
    return render(request, "dpo/home.html", context)


# Entries "Verify the new entries now" seals and verifies in the request at most (about a second);
# the beat task verifies the rest within five minutes, and the button can be pressed again.
VERIFY_NOW_LIMIT = 20_000


@require_POST
@once_per_submission
def chain_extend(request: CellRequest) -> HttpResponse:
    """Seal the cell's waiting entries and verify those since the last checkpoint, now (bounded)."""
    _dpo(request)
    chain.seal_pending(request.cell.pk, limit=VERIFY_NOW_LIMIT)
    status = chain.extend_verification(request.cell.pk, limit=VERIFY_NOW_LIMIT, started_by=request.user)
    if not status.ok:
        messages.warning(request, _("The verification found a break in the log: see below."))
    elif status.remaining:
        messages.info(
            request,
            ngettext(
                "%(checked)d new entry verified; %(remaining)d remains, verified within five minutes "
                "or when you ask again.",
                "%(checked)d new entries verified; %(remaining)d remain, verified within five minutes "
                "or when you ask again.",
                status.remaining,
            )
            % {"checked": status.checked, "remaining": status.remaining},
        )
    else:
        messages.success(
            request,
            ngettext(
                "%(checked)d new entry verified: the log is intact up to the last entry.",
                "%(checked)d new entries verified: the log is intact up to the last entry.",
                status.checked,
            )
            % {"checked": status.checked},
        )
    return redirect("audit:home", cell_slug=request.cell.slug)


@require_POST
@once_per_submission
def chain_verify_full(request: CellRequest) -> HttpResponse:
    """Ask for a full verification of the cell's chain: a worker runs it (through the outbox)."""
    _dpo(request)
    if audit_services.full_verification_request(chain_key=request.cell.pk, user=request.user) is None:
        messages.info(
            request, _("A full verification of the log was already waiting; it was not asked for again.")
        )
    else:
        messages.success(
            request, _("A full verification of the log was asked for. Its result appears here when it ends.")
        )
    return redirect("audit:home", cell_slug=request.cell.slug)


@shows_personal_data
def log(request: CellRequest) -> HttpResponse:
    _dpo(request)
    form, entries = _filtered(request)
    page = _page(request, entries)
    rows = entry_rows(page.object_list)  # read before this access is itself logged
    record_access(request, request.cell)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "named": selectors.named_rows(cell=request.cell, rows=rows),
        "query": _query_without_page(request),
    }
    return render(request, "dpo/log.html", context)


@shows_personal_data
def log_csv(request: CellRequest) -> HttpResponseBase:
    _dpo(request)
    form, entries = _filtered(request)
    if not form.is_valid():
        return _back_to_log(request)
    record_access(request, request.cell, kind=AccessKind.EXPORT, details=_export_details(form, "csv"))
    chunks = streamed_in_cell(request.cell.pk, csv_chunks(entries))  # read after the request's transaction
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{request.cell.slug}-{_stamp()}.csv"'
    return response


@shows_personal_data
def log_pdf(request: CellRequest) -> HttpResponse:
    _dpo(request)
    form, entries = _filtered(request)
    if not form.is_valid():
        return _back_to_log(request)
    limit = settings.LIVC_AUDIT_PDF_MAX_ROWS
    total = entries.count()
    rows = entry_rows(selectors.log_page_rows(entries)[:limit])
    record_access(request, request.cell, kind=AccessKind.EXPORT, details=_export_details(form, "pdf"))
    context = {
        "rows": rows,
        "total": total,
        "limit": limit,
        "filter": form.describe(),
        "exported_at": timezone.now(),
        "title": _("Audit log"),
    }
    return _pdf_response(render_pdf("dpo/pdf/log.html", context, request), request, "audit")


def _back_to_log(request: CellRequest) -> HttpResponse:
    """An export with a bad filter: back to the log page, which shows what is wrong."""
    url = reverse("audit:log", kwargs={"cell_slug": request.cell.slug})
    return redirect(f"{url}?{request.GET.urlencode()}")


def _export_details(form: LogFilterForm, export_format: str) -> dict[str, Any]:
    """The filter of an export, for its own log entry: ids and codes only."""
    used = {name: str(value) for name, value in form.cleaned_data.items() if value not in (None, "")}
    return {"format": export_format, "filter": used}


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def _pdf_response(pdf: bytes, request: CellRequest, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-{request.cell.slug}-{_stamp()}.pdf"'
    return response


@shows_personal_data
def user_accesses(request: CellRequest, user_id: int) -> HttpResponse:
    """Who saw what: every access by one user of the cell, in a period."""
    _dpo(request)
    subject = User.objects.filter(pk=user_id, memberships__cell=request.cell).first()
    if subject is None:
        raise Http404("Not a member of this cell.")
    period = PeriodForm(request.GET)
    log_filter = LogFilter(user_id=subject.pk, action="access")
    if period.is_valid():
        log_filter = LogFilter(
            user_id=subject.pk,
            action="access",
            date_from=period.cleaned_data.get("date_from"),
            date_to=period.cleaned_data.get("date_to"),
        )
    entries = selectors.log_list(cell=request.cell, user=request.user, log_filter=log_filter)
    page = _page(request, entries if period.is_valid() else LogEntry.objects.none())
    rows = entry_rows(page.object_list)
    record_access(request, request.cell)
    context = {
        "subject": subject,
        "form": period,
        "page": page,
        "rows": rows,
        "named": selectors.named_rows(cell=request.cell, rows=rows),
        "query": _query_without_page(request),
        "export_query": _query_without_page(request, user=subject.pk, action="access"),
    }
    return render(request, "dpo/user_accesses.html", context)


@shows_personal_data
def object_accesses(request: CellRequest) -> HttpResponse:
    """Who saw this object: every access to one object (type and id), with a summary per user."""
    _dpo(request)
    form = ObjectFilterForm(request.GET if request.GET else None, cell=request.cell)
    rows: list[Any] = []
    page = None
    readers: list[dict[str, Any]] = []
    if form.is_bound and form.is_valid():
        f = form.to_filter()
        if f.content_type_id or f.case_reference:
            log_filter = LogFilter(
                date_from=f.date_from,
                date_to=f.date_to,
                action="access",
                content_type_id=f.content_type_id,
                object_pk=f.object_pk,
                case_reference=f.case_reference,
            )
            entries = selectors.log_list(cell=request.cell, user=request.user, log_filter=log_filter)
            readers = selectors.reader_summary(entries=entries)
            page = _page(request, entries)
            rows = entry_rows(page.object_list)
        else:
            form.add_error("object_type", _("Choose the object: its type and id."))
    record_access(request, request.cell)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "named": selectors.named_rows(cell=request.cell, rows=rows),
        "readers": readers,
        "query": _query_without_page(request),
        "export_query": _query_without_page(request, action="access"),
    }
    return render(request, "dpo/object_accesses.html", context)


@shows_personal_data
def minutes_copy(request: CellRequest) -> HttpResponse:
    """Whose copy is this: a minutes PDF's recipient, meeting and downloads, by its document number."""
    _dpo(request)
    form = DocumentNumberForm(request.GET if "number" in request.GET else None)
    copy = None
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"]
        copy = selectors.minutes_copy_get(cell=request.cell, user=request.user, number=number)
    rows = entry_rows(copy.downloads) if copy else []
    record_access(request, request.cell, details={"document_lookup": copy.number} if copy else None)
    context = {
        "form": form,
        "copy": copy,
        "rows": rows,
        "named": selectors.named_rows(cell=request.cell, rows=rows),
        "meeting_type_id": ContentType.objects.get_for_model(Meeting).pk,
    }
    return render(request, "dpo/minutes_copy.html", context)


@shows_personal_data
def people(request: CellRequest) -> HttpResponse:
    """The authorised persons: everyone who may reach the cell's personal data today."""
    persons = selectors.authorised_person_list(cell=request.cell, user=request.user)
    record_access(request, request.cell)
    return render(request, "dpo/people.html", {"persons": persons})


@shows_personal_data
def people_pdf(request: CellRequest) -> HttpResponse:
    persons = selectors.authorised_person_list(cell=request.cell, user=request.user)
    record_access(request, request.cell, kind=AccessKind.EXPORT, details={"format": "pdf", "list": "people"})
    context = {
        "persons": persons,
        "exported_at": timezone.now(),
        "title": _("Authorised persons"),
        "filter": [],
    }
    return _pdf_response(render_pdf("dpo/pdf/people.html", context, request), request, "authorised-persons")


@shows_personal_data
def unusual(request: CellRequest) -> HttpResponse:
    """Unusual-access signals in a period (the last 30 days unless the DPO picks one)."""
    _dpo(request)
    form = PeriodForm(request.GET)
    signals: list[selectors.AccessSignal] = []
    if form.is_valid():
        since, until = form.period()
        signals = selectors.unusual_access_list(
            cell=request.cell, user=request.user, since=since, until=until
        )
    record_access(request, request.cell)
    context = {"form": form, "signals": signals, "rules": selectors.audit_settings_get(cell=request.cell)}
    return render(request, "dpo/unusual.html", context)


@require_http_methods(["GET", "POST"])
@once_per_submission
def thresholds(request: CellRequest) -> HttpResponse:
    _dpo(request)
    current = selectors.audit_settings_get(cell=request.cell)
    form = AuditSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_settings_update(cell=request.cell, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The thresholds were saved."))
            return redirect("audit:unusual", cell_slug=request.cell.slug)
    return render(request, "dpo/thresholds.html", {"form": form})


@shows_personal_data
def breaches(request: CellRequest) -> HttpResponse:
    items = list(selectors.breach_list(cell=request.cell, user=request.user))
    record_access(request, request.cell)
    return render(request, "dpo/breaches.html", {"breaches": items, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
@once_per_submission
def breach_new(request: CellRequest) -> HttpResponse:
    _dpo(request)
    form = BreachForm(request.POST or None, instance=Breach(cell=request.cell))
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_create(
                cell=request.cell, recorded_by=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Breach %(number)d was recorded.") % {"number": breach.number})
            return redirect("audit:breach", cell_slug=request.cell.slug, pk=breach.pk)
    return render(request, "dpo/breach_form.html", {"form": form, "breach": None})


@shows_personal_data
def breach_detail(request: CellRequest, pk: Any) -> HttpResponse:
    breach = selectors.breach_get(cell=request.cell, user=request.user, pk=pk)
    history = selectors.breach_history(breach=breach)
    record_access(request, breach)
    context = {"breach": breach, "history": list(history), "now": timezone.now()}
    return render(request, "dpo/breach_detail.html", context)


@shows_personal_data
@require_http_methods(["GET", "POST"])
def breach_edit(request: CellRequest, pk: Any) -> HttpResponse:
    breach = selectors.breach_get(cell=request.cell, user=request.user, pk=pk)
    form = BreachForm(request.POST or None, instance=Breach.objects.get(pk=breach.pk))
    record_access(request, breach)
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_update(breach=breach, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The breach was updated."))
            return redirect("audit:breach", cell_slug=request.cell.slug, pk=breach.pk)
    return render(request, "dpo/breach_form.html", {"form": form, "breach": breach})
