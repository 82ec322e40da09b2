"""Writes of the register of subject-access requests (GDPR art. 15, restricted as art. 23 and the
federal law of 30 July 2018 allow; docs/adr/0013-item-use-ledger-and-access-requests.md).

The DPO records a request; the person is found by the keyed hash of name and birth date
(`cases/identity.py`). If the cell holds them, each owner of an item about them is asked, for
that item, and the information officer, for the case as a whole, whether an exception applies
(the secrecy of an investigation, a third party's rights, professional secrecy); nobody is asked
about a person the cell does not hold. Once every question is answered the DPO answers the
request, and the letter (`dpo/letters.py`) says what may be given.

Every step is an audit event (`livc.audit.events`): ids, numbers and codes only, never a name or a
reason. Events about a question point at the question, so that the purge scrubs them with it.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.identity import identity_hash
from cases.models import Case, InformationItem, Subject
from dpo.models import (
    AccessOutcome,
    AccessRequest,
    AccessRequestDetails,
    AccessRequestStatus,
    ExceptionGround,
    ExceptionQuestion,
    RequesterLanguage,
)
from livc.audit.events import record_event
from livc.cells.models import Cell, Membership, Role
from livc.cells.notices import figures_changed
from livc.crypto.datakeys import destroy_keys, owner_name
from livc.crypto.models import DestroyedBecause
from retention.selectors import not_retained_days_by_cell

# The answer is due a month after receipt; the deadline may be extended once, by two more months
# (GDPR art. 12(3)): three months after receipt.
DUE_MONTHS = 1
EXTENDED_MONTHS = 3

# Event kinds (registered in DpoConfig.ready).
RECORDED = "access_request_recorded"
EXTENDED = "access_request_extended"
QUESTIONS_ADDED = "access_questions_added"
QUESTION_ANSWERED = "access_question_answered"
ANSWERED = "access_request_answered"
LETTER_DOWNLOADED = "access_letter_downloaded"
DETAILS_EXPIRED = "access_request_details_expired"
EVENT_KINDS = {
    RECORDED: gettext_lazy("subject-access request recorded"),
    EXTENDED: gettext_lazy("subject-access request: deadline extended"),
    QUESTIONS_ADDED: gettext_lazy("subject-access request: new exception questions asked"),
    QUESTION_ANSWERED: gettext_lazy("subject-access request: exception question answered"),
    ANSWERED: gettext_lazy("subject-access request answered"),
    LETTER_DOWNLOADED: gettext_lazy("subject-access request: answer letter downloaded"),
    DETAILS_EXPIRED: gettext_lazy("subject-access request: details deleted"),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day where it is shorter (31 January + 1 month
    is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def information_officer(*, cell: Cell) -> Membership | None:
    """The information officer asked about a whole case: the cell's effective one (the longest
    serving, if it has several); None if it has none today."""
    officers = Membership.objects.effective().filter(cell=cell, role=Role.INFORMATION_OFFICER)
    return officers.order_by("created_at", "pk").first()


def _next_number(cell: Cell) -> int:
    """The next number of the cell's register; call inside the transaction that saves it."""
    Cell.objects.select_for_update().filter(pk=cell.pk).first()  # numbers are handed out one at a time
    return (AccessRequest.objects.filter(cell=cell).aggregate(top=Max("number"))["top"] or 0) + 1


def matching_subject(
    *, cell: Cell, first_name: str, last_name: str, birth_date: datetime.date
) -> Subject | None:
    """The person of the cell with this name and birth date, by the keyed hash (accents, case and
    the order of the names do not matter). If the cell holds them twice (referred again), the one
    with a case, else the most recently identified."""
    hashed = identity_hash(cell_id=cell.pk, first_name=first_name, last_name=last_name, birth_date=birth_date)
    if not hashed:
        return None
    candidates = Subject.objects.filter(cell=cell, identity_hash=hashed).annotate(
        has_case=Exists(Case.objects.filter(subject=OuterRef("pk")))
    )
    return candidates.order_by("-has_case", "-identity_recorded_at", "pk").first()


def _ask_missing(details: AccessRequestDetails) -> int:
    """Ask whoever has not been asked yet: the owner of each item of the person's case (withdrawn
    items are gone: nobody is asked about them), and the information officer about the case as a
    whole. Returns how many questions were added."""
    added = 0
    case = Case.objects.filter(subject=details.subject_id).first() if details.subject_id else None
    if case is not None:
        asked = ExceptionQuestion.objects.filter(details=details, item__isnull=False).values("item_id")
        items = (
            InformationItem.objects.filter(case=case, withdrawn_at__isnull=True)
            .exclude(pk__in=asked)
            .select_related("owner")
            .order_by("shared_on", "created_at")
        )
        for item in items:
            ExceptionQuestion.objects.create(details=details, item=item, asked_id=item.owner.membership_id)
            added += 1
    if not ExceptionQuestion.objects.filter(details=details, item__isnull=True).exists():
        officer = information_officer(cell=details.request.cell)
        if officer is not None:
            ExceptionQuestion.objects.create(details=details, item=None, asked=officer)
            added += 1
    return added


def _locked(member: Membership, request: AccessRequest) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update(of=("self",)).select_related("cell")
    return locked.get(pk=request.pk, cell=member.cell)


@transaction.atomic
def request_record(
    *,
    member: Membership,
    first_name: str,
    last_name: str,
    birth_date: datetime.date | None,
    language: str,
    identity_check: str,
    postal_address: str = "",
    received_on: datetime.date | None,
) -> AccessRequest:
    """The DPO records a request: its register line with the next number and the deadline, and its
    details; if the cell holds the person, the owners and the information officer are asked."""
    member.require_role(Role.DPO)
    today = timezone.localdate()
    first_name, last_name = first_name.strip(), last_name.strip()
    errors: dict[str, str] = {}
    if not first_name:
        errors["first_name"] = _("Give the requester's first name.")
    if not last_name:
        errors["last_name"] = _("Give the requester's last name.")
    if birth_date is None:
        errors["birth_date"] = _(
            "Give the requester's date of birth: the person is found by name and birth date."
        )
    elif birth_date > today:
        errors["birth_date"] = _("The date of birth cannot lie in the future.")
    if language not in RequesterLanguage.values:
        errors["language"] = _("Choose the language of the answer.")
    if not identity_check.strip():
        errors["identity_check"] = _("Say how the requester's identity was checked.")
    if received_on is None:
        errors["received_on"] = _("Give the date the request was received.")
    elif received_on > today:
        errors["received_on"] = _("The date of receipt cannot lie in the future.")
    if errors:
        raise ValidationError(errors)
    assert birth_date is not None and received_on is not None  # for the type checker: checked above
    cell = member.cell
    request = AccessRequest.objects.create(
        cell=cell,
        number=_next_number(cell),
        received_on=received_on,
        due_on=add_months(received_on, DUE_MONTHS),
    )
    subject = matching_subject(cell=cell, first_name=first_name, last_name=last_name, birth_date=birth_date)
    details = AccessRequestDetails.objects.create(
        request=request,
        subject=subject,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        language=language,
        identity_check=identity_check.strip(),
        postal_address=postal_address.strip(),
        recorded_by=member.user,
    )
    asked = _ask_missing(details) if subject is not None else 0
    figures_changed(cell.pk)  # the waiting lists count the open requests' questions and deadlines
    record_event(
        RECORDED,
        cell=cell,
        actor=member.user,
        instance=request,
        data={"number": request.number, "matched": subject is not None, "questions": asked},
    )
    return request


@transaction.atomic
def request_extend(*, member: Membership, request: AccessRequest, reason: str) -> AccessRequest:
    """Extend the deadline once, to three months after receipt, with the reason the requester is
    told; only while the first deadline has not passed."""
    member.require_role(Role.DPO)
    request = _locked(member, request)
    if request.status != AccessRequestStatus.OPEN:
        raise ValidationError(_("This request has been answered: its deadline no longer matters."))
    if request.extended_to is not None:
        raise ValidationError(_("The deadline was extended once already; it cannot be extended again."))
    if timezone.localdate() > request.due_on:
        raise ValidationError(_("The deadline has passed: it can be extended only before it does."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why more time is needed: the requester must be told.")})
    details = AccessRequestDetails.objects.select_for_update().filter(request=request).first()
    if details is None:
        raise ValidationError(_("The details of this request are gone with the person's data."))
    request.extended_to = add_months(request.received_on, EXTENDED_MONTHS)
    request.save(update_fields=["extended_to"])
    details.extension_reason = reason.strip()
    details.save(update_fields=["extension_reason"])
    record_event(
        EXTENDED,
        cell=request.cell,
        actor=member.user,
        instance=request,
        data={"number": request.number, "extended_to": request.extended_to.isoformat()},
    )
    return request


@transaction.atomic
def question_answer(
    *, member: Membership, question: ExceptionQuestion, applies: bool, ground: str = "", reason: str = ""
) -> ExceptionQuestion:
    """The member asked answers whether an exception applies, and if so which and why. The answer
    may be changed until the request is answered."""
    locked = AccessRequest.objects.select_for_update(of=("self",)).select_related("cell")
    request = locked.filter(details__questions=question.pk, cell=member.cell).first()
    question = ExceptionQuestion.objects.select_for_update().get(pk=question.pk)
    if request is None or question.asked_id != member.pk:
        raise PermissionDenied(_("Only the member who was asked answers this question."))
    if request.status != AccessRequestStatus.OPEN:
        raise ValidationError(_("The request has been answered: the answers can no longer change."))
    reason = reason.strip()
    if applies:
        errors = {}
        if ground not in ExceptionGround.values:
            errors["ground"] = _("Choose which exception applies.")
        if not reason:
            errors["reason"] = _("Say why the exception applies: the restriction must be justified.")
        if errors:
            raise ValidationError(errors)
    else:
        ground = ""
    question.applies, question.ground, question.reason = applies, ground, reason
    question.answered_at, question.answered_by = timezone.now(), member.user
    question.save()
    record_event(
        QUESTION_ANSWERED,
        cell=request.cell,
        actor=member.user,
        instance=question,
        data={"number": request.number, "applies": applies, "ground": ground},
    )
    return question


def open_questions(details: AccessRequestDetails) -> list[ExceptionQuestion]:
    """The questions still waiting for an answer (those about a withdrawn item do not wait: the
    item is gone, and the letter leaves it out)."""
    questions = ExceptionQuestion.objects.filter(details=details, applies__isnull=True)
    return list(questions.exclude(item__withdrawn_at__isnull=False).select_related("asked__user"))


def outcome_of(details: AccessRequestDetails) -> str:
    """No data: nobody matched; restricted: an exception applies to the case or to an item that is
    still there; otherwise full access."""
    if details.subject_id is None:
        return AccessOutcome.NO_DATA
    withheld = ExceptionQuestion.objects.filter(details=details, applies=True).exclude(
        item__withdrawn_at__isnull=False
    )
    return AccessOutcome.RESTRICTED if withheld.exists() else AccessOutcome.FULL


def request_answer(*, member: Membership, request: AccessRequest) -> AccessRequest:
    """The DPO answers the request once every question is answered: status answered, today's date
    and the outcome; the letter can then be downloaded as long as the details exist.

    Two steps, each its own transaction: items added to the person's case since the request was
    recorded (or an information officer appointed since) are asked about first, and kept, and the
    answer then refused; the answer itself is refused while any question waits.
    """
    member.require_role(Role.DPO)
    with transaction.atomic():
        locked = _locked(member, request)
        details = AccessRequestDetails.objects.filter(request=locked).first()
        added = 0
        if locked.status == AccessRequestStatus.OPEN and details is not None and details.subject_id:
            added = _ask_missing(details)
            if added:
                record_event(
                    QUESTIONS_ADDED,
                    cell=locked.cell,
                    actor=member.user,
                    instance=locked,
                    data={"number": locked.number, "questions": added},
                )
    if added:
        raise ValidationError(
            ngettext(
                "Information was added to the person's case since the request was recorded: %(count)d "
                "more question was asked. Answer the request once it is answered.",
                "Information was added to the person's case since the request was recorded: %(count)d "
                "more questions were asked. Answer the request once they are answered.",
                added,
            )
            % {"count": added}
        )
    return _answer(member=member, request=request)


@transaction.atomic
def _answer(*, member: Membership, request: AccessRequest) -> AccessRequest:
    request = _locked(member, request)
    if request.status != AccessRequestStatus.OPEN:
        raise ValidationError(_("This request was answered already."))
    details = AccessRequestDetails.objects.filter(request=request).first()
    if details is None:
        raise ValidationError(
            _("The details of this request are gone with the person's data: it cannot be answered here.")
        )
    waiting = open_questions(details)
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)d question waits for its answer: the request can be answered once every "
                "question is answered.",
                "%(count)d questions wait for their answer: the request can be answered once every "
                "question is answered.",
                len(waiting),
            )
            % {"count": len(waiting)}
        )
    request.status = AccessRequestStatus.ANSWERED
    request.outcome = outcome_of(details)
    request.answered_on = timezone.localdate()
    request.save(update_fields=["status", "outcome", "answered_on"])
    figures_changed(request.cell_id)
    record_event(
        ANSWERED,
        cell=request.cell,
        actor=member.user,
        instance=request,
        data={"number": request.number, "outcome": request.outcome},
    )
    return request


def details_expire(*, today: datetime.date, cell: Cell | None = None) -> int:
    """Delete the details of answered requests that matched nobody, once the cell's period for a
    referral it did not retain has passed since the answer (kept until answered + days, gone the
    day after, as the purge counts). Their data key is destroyed first: what they sealed is gone
    from every backup too. The register line stays. Returns how many went."""
    details = AccessRequestDetails.objects.filter(
        subject__isnull=True, request__status=AccessRequestStatus.ANSWERED
    ).select_related("request__cell")
    if cell is not None:
        details = details.filter(request__cell=cell)
    rows = list(details.order_by("request__cell_id", "request__number"))
    own, default = not_retained_days_by_cell({row.request.cell_id for row in rows})
    due = [
        row
        for row in rows
        if row.request.answered_on is not None
        and row.request.answered_on + datetime.timedelta(days=own.get(row.request.cell_id, default)) < today
    ]
    for row in due:
        _expire(row)
    return len(due)


@transaction.atomic
def _expire(details: AccessRequestDetails) -> None:
    destroy_keys([owner_name(AccessRequestDetails, details.pk)], because=DestroyedBecause.RETENTION)
    request = details.request
    details.delete()  # its questions (none: nobody matched) go with it
    record_event(DETAILS_EXPIRED, cell=request.cell, instance=request, data={"number": request.number})
