"""The register of subject-access requests (docs/adr/0013-item-use-ledger-and-access-requests.md).

The DPO's pages, under /c/<cell-slug>/audit/access-requests/: the register, a new request, a
request's file (who asked, how their identity was checked, whom it matched, the questions and
their answers, the extension, the answer) and its letter. For the cell's DPO only: every view
starts with `request_get` or `request_list`, which answer 404 to any other role (CellMiddleware
already answers 404 to other cells).

The members asked (the owners of the person's items, the information officer) answer on
/c/<cell-slug>/access-questions/: their own questions only, each with the case's reference and
their own item; never the requester's name.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dpo import access_request_selectors as selectors
from dpo import access_requests as services
from dpo.access_request_forms import AccessRequestForm, ExtensionForm, QuestionAnswerForm
from dpo.letters import letter_case, letter_filename, letter_pdf
from dpo.models import AccessRequest, AccessRequestDetails
from dpo.selectors import assert_dpo
from livc.audit.access import record_access, shows_case_content, shows_personal_data
from livc.audit.events import record_event
from livc.audit.models import AccessKind
from livc.forms import add_service_errors, permission_message
from livc.http import CellRequest
from livc.submissions.decorators import once_per_submission

# --- The DPO's register ------------------------------------------------------------------------


@require_GET
@shows_personal_data
def register(request: CellRequest) -> HttpResponse:
    """The register: numbers, dates, deadlines, status and outcome; never who asked."""
    access_requests = list(selectors.request_list(member=request.membership))
    today = timezone.localdate()
    rows = [(item, selectors.deadline_state(item, today)) for item in access_requests]
    record_access(request, request.cell)
    return render(request, "dpo/access_requests.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@once_per_submission
def request_new(request: CellRequest) -> HttpResponse:
    assert_dpo(cell=request.cell, user=request.user)
    form = AccessRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            access_request = services.request_record(member=request.membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Request %(number)d was recorded.") % {"number": access_request.number}
            )
            return redirect("audit:access_request", cell_slug=request.cell.slug, pk=access_request.pk)
    return render(request, "dpo/access_request_form.html", {"form": form})


def _file_page(
    request: CellRequest, access_request: AccessRequest, extension_form: ExtensionForm | None = None
) -> HttpResponse:
    found = selectors.request_file(access_request=access_request)
    record_access(request, access_request, cases=found.shown_cases)
    context = {
        "file": found,
        "access_request": access_request,
        "deadline_state": selectors.deadline_state(access_request),
        "extension_form": extension_form or ExtensionForm(),
    }
    return render(request, "dpo/access_request_detail.html", context)


@require_GET
@shows_case_content
def request_detail(request: CellRequest, pk: Any) -> HttpResponse:
    access_request = selectors.request_get(member=request.membership, pk=pk)
    return _file_page(request, access_request)


@require_POST
@shows_case_content
@once_per_submission
def request_extend(request: CellRequest, pk: Any) -> HttpResponse:
    access_request = selectors.request_get(member=request.membership, pk=pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            access_request = services.request_extend(
                member=request.membership, request=access_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The deadline was extended. Tell the requester, with the reason."))
            return redirect("audit:access_request", cell_slug=request.cell.slug, pk=access_request.pk)
    return _file_page(request, access_request, extension_form=form)


@require_POST
@once_per_submission
def request_answer(request: CellRequest, pk: Any) -> HttpResponse:
    access_request = selectors.request_get(member=request.membership, pk=pk)
    try:
        services.request_answer(member=request.membership, request=access_request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request was answered. Download the letter and send it."))
    return redirect("audit:access_request", cell_slug=request.cell.slug, pk=access_request.pk)


@require_GET
@shows_case_content
def letter(request: CellRequest, pk: Any) -> HttpResponse:
    """The answer letter, once the request is answered, as long as its details exist. Logged as a
    download against the case it is about, and as an event."""
    access_request = selectors.request_get(member=request.membership, pk=pk)
    details = AccessRequestDetails.objects.filter(request=access_request).first()
    if access_request.answered_on is None or details is None:
        messages.error(
            request,
            _("The letter can be made once the request is answered, and as long as its details are kept."),
        )
        return redirect("audit:access_request", cell_slug=request.cell.slug, pk=access_request.pk)
    pdf = letter_pdf(details)
    record_access(
        request,
        access_request,
        kind=AccessKind.DOWNLOAD,
        details={"letter": access_request.number},
        cases=[letter_case(details)],
    )
    record_event(
        services.LETTER_DOWNLOADED,
        cell=request.cell,
        actor=request.user,
        instance=access_request,
        request=request,
        data={"number": access_request.number, "language": details.language},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(access_request)}"'
    return response


# --- The members asked ---------------------------------------------------------------------------


def _record_questions(request: CellRequest, instance: Any, asked: list[selectors.AskedQuestion]) -> None:
    record_access(request, instance, cases=[entry.case for entry in asked])


@require_GET
@shows_case_content
def questions(request: CellRequest) -> HttpResponse:
    """The member's questions about requests for access that are still open, each with its form."""
    asked = selectors.asked_question_list(member=request.membership)
    _record_questions(request, request.cell, asked)
    rows = [(entry, QuestionAnswerForm.for_question(entry.question)) for entry in asked]
    return render(request, "dpo/access_questions.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@shows_case_content
@once_per_submission
def question_answer(request: CellRequest, pk: Any) -> HttpResponse:
    """One question: its form alone (GET, or a POST with errors); a good answer goes back to the list."""
    entry = selectors.asked_question_get(member=request.membership, pk=pk)
    question = entry.question
    form = QuestionAnswerForm.for_question(question, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_answer(
                member=request.membership,
                question=question,
                applies=data["applies"] == "yes",
                ground=data.get("ground") or "",
                reason=data.get("reason") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, permission_message(error) or _("You cannot answer this question."))
        else:
            messages.success(
                request, _("Your answer was recorded. You may change it until the request is answered.")
            )
            return redirect("audit:access_questions", cell_slug=request.cell.slug)
    _record_questions(request, question, [entry])
    return render(request, "dpo/access_question.html", {"entry": entry, "form": form})
