"""Reads of the register of subject-access requests: the DPO's register and one request's file,
and the questions waiting for a member's answer (docs/adr/0013-item-use-ledger-and-access-requests.md).

The register lists numbers, dates and outcomes, never who asked. The questions a member sees
are their own: about their own items, or, for the information officer, about a whole case.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case, Referral
from cases.selectors import case_visible_list
from dpo.access_requests import information_officer, open_questions
from dpo.models import AccessRequest, AccessRequestDetails, AccessRequestStatus, ExceptionQuestion
from dpo.selectors import Due, assert_dpo
from livc.cells.models import Cell, Membership
from livc.cells.notices import figures_for_day

# A deadline this close is flagged "soon" on the register and in the DPO's waiting list.
DEADLINE_NEAR = datetime.timedelta(days=7)
# The cached figure of the cell's open requests (`livc/cells/notices.py::figures_for_day`): the
# waiting list asks for questions and deadlines only while there are (services call `figures_changed`).
OPEN_REQUESTS = "dpo.open_access_requests"


def has_open_requests(*, cell: Cell) -> bool:
    """Whether the cell has a request still to be answered; from the cache, as every page asks."""
    figures = figures_for_day(
        cell.pk,
        OPEN_REQUESTS,
        lambda: (AccessRequest.objects.filter(cell=cell, status=AccessRequestStatus.OPEN).count(),),
    )
    return bool(figures[0])


def deadline_state(request: AccessRequest, today: datetime.date | None = None) -> str:
    """ "overdue" (open past its deadline), "soon" (open, due within a week) or ""."""
    if request.status != AccessRequestStatus.OPEN:
        return ""
    today = today or timezone.localdate()
    if today > request.deadline:
        return "overdue"
    return "soon" if request.deadline - today <= DEADLINE_NEAR else ""


def request_list(*, member: Membership) -> QuerySet[AccessRequest]:
    """The cell's register, newest first: for its DPO only (404 for anyone else)."""
    assert_dpo(cell=member.cell, user=member.user)
    return AccessRequest.objects.filter(cell=member.cell).order_by("-received_on", "-number")


def request_get(*, member: Membership, pk: Any) -> AccessRequest:
    access_request = request_list(member=member).filter(pk=pk).first()
    if access_request is None:
        raise Http404("No such request.")
    return access_request


def requests_due(*, cell: Cell, today: datetime.date | None = None) -> Due:
    """How many open requests are past their deadline, and how many due within a week."""
    if not has_open_requests(cell=cell):
        return Due(overdue=0, soon=0)
    today = today or timezone.localdate()
    near = today + DEADLINE_NEAR
    open_requests = AccessRequest.objects.filter(cell=cell, status=AccessRequestStatus.OPEN)
    due = list(
        open_requests.filter(Q(extended_to__isnull=True, due_on__lte=near) | Q(extended_to__lte=near)).only(
            "due_on", "extended_to", "status"
        )
    )
    overdue = sum(1 for request in due if today > request.deadline)
    return Due(overdue=overdue, soon=len(due) - overdue)


@dataclass
class RequestFile:
    """One request as the DPO works on it."""

    request: AccessRequest
    details: AccessRequestDetails | None  # None: gone with the person's data (or expired)
    case: Case | None = None
    referral: Referral | None = None
    item_questions: list[ExceptionQuestion] = field(default_factory=list)
    officer_question: ExceptionQuestion | None = None
    waiting: list[ExceptionQuestion] = field(default_factory=list)
    officer_missing: bool = False  # matched, and no information officer could be asked
    inactive: set[int] = field(default_factory=set)  # asked memberships that are no longer effective

    @property
    def matched(self) -> bool:
        return self.details is not None and self.details.subject_id is not None

    @property
    def is_open(self) -> bool:
        return self.request.status == AccessRequestStatus.OPEN

    @property
    def may_extend(self) -> bool:
        return (
            self.is_open
            and self.details is not None
            and self.request.extended_to is None
            and timezone.localdate() <= self.request.due_on
        )

    @property
    def may_answer(self) -> bool:
        return self.is_open and self.details is not None and not self.waiting

    @property
    def waiting_for(self) -> list[str]:
        """The names of the members whose answer is awaited, each once."""
        return list(dict.fromkeys(question.asked.user.name for question in self.waiting))

    @property
    def shown_cases(self) -> list[Case]:
        """The case this file shows (its reference, with what the requester gave: their name)."""
        return [self.case] if self.case is not None else []


def request_file(*, access_request: AccessRequest) -> RequestFile:
    details = (
        AccessRequestDetails.objects.filter(request=access_request).select_related("recorded_by").first()
    )
    found = RequestFile(request=access_request, details=details)
    if details is None or details.subject_id is None:
        return found
    found.case = Case.objects.filter(subject_id=details.subject_id).first()
    found.referral = Referral.objects.filter(subject_id=details.subject_id).first()
    questions = list(
        ExceptionQuestion.objects.filter(details=details)
        .select_related("item__organisation", "asked__user", "answered_by")
        .order_by("asked_at", "pk")
    )
    found.item_questions = [question for question in questions if question.item_id is not None]
    found.officer_question = next((question for question in questions if question.item_id is None), None)
    found.waiting = open_questions(details) if found.is_open else []
    found.officer_missing = found.officer_question is None and (
        not found.is_open or information_officer(cell=access_request.cell) is None
    )
    asked = {question.asked_id for question in questions}
    effective = set(Membership.objects.effective().filter(pk__in=asked).values_list("pk", flat=True))
    found.inactive = asked - effective
    return found


# --- The members asked --------------------------------------------------------------------------


@dataclass(frozen=True)
class AskedQuestion:
    """A question as the member asked sees it: the case it is about (its reference; the pseudonym
    only if the member may see the case) and their own item, if it is about one."""

    question: ExceptionQuestion
    case: Case | None
    case_visible: bool

    @property
    def request(self) -> AccessRequest:
        return self.question.details.request


def _open_to(member: Membership) -> QuerySet[ExceptionQuestion]:
    """The member's questions of the cell's open requests (none about a withdrawn item)."""
    return ExceptionQuestion.objects.filter(
        Q(item__isnull=True) | Q(item__withdrawn_at__isnull=True),
        asked=member,
        details__request__cell=member.cell,
        details__request__status=AccessRequestStatus.OPEN,
    )


def open_question_count(*, member: Membership) -> int:
    """The member's questions still without an answer."""
    if not has_open_requests(cell=member.cell):
        return 0
    return _open_to(member).filter(applies__isnull=True).count()


def asked_question_list(*, member: Membership) -> list[AskedQuestion]:
    """The member's questions of open requests, unanswered first, then by the request's deadline:
    an answer may still be changed until the request is answered."""
    questions = list(
        _open_to(member)
        .select_related("details__request", "item__organisation", "item__case__subject")
        .order_by("answered_at", "details__request__received_on", "asked_at", "pk")
    )
    return _with_cases(member, questions)


def asked_question_get(*, member: Membership, pk: uuid.UUID) -> AskedQuestion:
    """One of the member's questions of an open request; 404 for anyone else's."""
    question = _open_to(member).select_related(
        "details__request", "item__organisation", "item__case__subject"
    )
    found = question.filter(pk=pk).first()
    if found is None:
        raise Http404("No such question.")
    return _with_cases(member, [found])[0]


def _with_cases(member: Membership, questions: list[ExceptionQuestion]) -> list[AskedQuestion]:
    """Each question with its case: the item's, or (the officer's question) the person's."""
    subjects = [question.details.subject_id for question in questions if question.item_id is None]
    by_subject: dict[Any, Case] = {
        case.subject_id: case
        for case in Case.objects.filter(subject_id__in=[pk for pk in subjects if pk]).select_related(
            "subject"
        )
    }
    cases = [question.item.case if question.item else by_subject.get(question.details.subject_id)
             for question in questions]  # fmt: skip
    visible = set(
        case_visible_list(member=member)
        .filter(pk__in=[case.pk for case in cases if case is not None])
        .values_list("pk", flat=True)
    )
    return [
        AskedQuestion(question, case, case is not None and case.pk in visible)
        for question, case in zip(questions, cases, strict=True)
    ]
