"""The case search: the member's cases by reference, pseudonym, status or meeting (GET, a page at
a time like the case list), or by a person's name and date of birth (POST, the keyed hash only).

The results come from the same selectors as the case list, so a participant finds only the
cases at whose table she sits and the DPO none (404, as every case list). Every answer records
the access with the cases it shows; a search by a person is also an audit event, found or not.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render

from cases import agendas, selectors
from cases.access import require_no_dpo
from cases.forms import CaseSearchForm, PersonSearchForm
from cases.services.search import person_search
from cases.views.cases import PAGE_SIZE
from livc.audit.access import record_access, shows_case_content
from livc.http import CellRequest
from livc.pagination import BoundedPaginator

SEARCH_FIELDS = ("text", "status", "meeting")


@shows_case_content
def case_search(request: CellRequest) -> HttpResponse:
    require_no_dpo(request)
    member = request.membership
    searching = any(name in request.GET for name in SEARCH_FIELDS)
    form = CaseSearchForm(request.GET if searching else None, meetings=agendas.meeting_choices(member))
    person_form = PersonSearchForm(request.POST if request.method == "POST" else None)
    page, rows, more = None, [], False
    if person_form.is_bound:
        if person_form.is_valid():
            rows = person_search(member=member, person=person_form.person(), limit=PAGE_SIZE, request=request)
            rows, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        cases = selectors.case_search(
            member=member, text=data["text"], status=data["status"] or None, meeting=data.get("meeting")
        )
        page = BoundedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = selectors.case_rows(page.object_list)
    record_access(request, request.cell, cases=rows)
    context = {
        "form": form,
        "person_form": person_form,
        "page": page,
        "cases": rows,
        "more": more,
        "searched": person_form.is_valid() or (form.is_bound and form.is_valid()),
        "filters": urlencode({k: v for k, v in request.GET.items() if k in SEARCH_FIELDS}),
    }
    return render(request, "cases/search.html", context)
