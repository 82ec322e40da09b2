"""Searching the cases by a person's name and date of birth: a search that can reveal a person, so
each one is an event of the audit log, whether it finds a case or not.

The event says who searched, in which cell, when, from where and how many cases were found:
never the name, the date, nor their keyed hash (a hash of a name and a date is the person's, and
could be tried against names). The cases shown are named by the page's access entry, as every
list's are (`livc/audit/access.py::record_access`).
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from cases.selectors import CaseRow, case_rows, case_search
from cases.services.identity import Identity
from livc.audit.events import record_event
from livc.cells.models import Membership

PERSON_SEARCHED = "case_search_person"  # the event kind (registered in CasesConfig.ready)
PERSON_SEARCHED_LABEL = gettext_lazy("cases searched by a person's name and date of birth")


def person_search(
    *, member: Membership, person: Identity, limit: int, request: HttpRequest | None = None
) -> list[CaseRow]:
    """The member's cases of this person (at most `limit` + 1, so that the page can tell that more
    follow), the search noted in the audit log."""
    rows = case_rows(case_search(member=member, person=person)[: limit + 1])
    record_event(
        PERSON_SEARCHED,
        cell=member.cell,
        actor=member.user,
        request=request,
        data={"found": len(rows)},
    )
    return rows
