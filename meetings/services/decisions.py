"""Decisions about a case at a meeting, and the consensus some of them need (rules 12, 13, 15).

Feedback to the Local Taskforce and informing the person are valid only when every
participant present for the item agreed; informing also needs the information officer not
to object. Only the information officer passes feedback on to the Local Taskforce.

A decision that uses information items beyond the table (`ITEM_USE_KINDS`) lists them, and
recording it asks each item's owner to consent to that use (rule 9, `cases/services/uses.py`):
only what its owner consented to is passed on, used in informing or shared with the partner.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseStatus, InformationItem, InformingKind, UseKind
from cases.services import cases as case_services
from cases.services import identity as identity_services
from cases.services import informing as informing_services
from cases.services import uses as use_services
from cases.services.statistics import stat_of_case
from livc.cells.models import Membership, Role
from livc.cells.notices import figures_changed
from livc.db import unique_or_error
from livc.notifications.models import NotificationKind
from livc.notifications.services import notify_role
from livc.statistics.models import StatKind
from meetings.models import (
    CONSENSUS_KINDS,
    ITEM_USE_KINDS,
    ONCE_PER_ITEM_KINDS,
    AgendaItem,
    Agreement,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionKind,
    DecisionStatus,
    ItemKind,
)
from participants.models import Participant

MAX_RETENTION_YEARS = 5
DEFERRAL_REVIEW = datetime.timedelta(days=90)
# The use of an item each kind of decision asks its owner to consent to.
USE_OF_DECISION = {
    DecisionKind.LTF_FEEDBACK: UseKind.LTF_FEEDBACK,
    DecisionKind.INFORM_SUBJECT: UseKind.INFORMING,
    DecisionKind.SHARE_WITH_PARTNER: UseKind.PARTNER,
}


def _meeting_date(item: AgendaItem) -> datetime.date:
    return timezone.localtime(item.meeting.starts_at).date()


def _five_years_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + MAX_RETENTION_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + MAX_RETENTION_YEARS, day=28)


@transaction.atomic
def decision_record(
    *,
    member: Membership,
    item: AgendaItem,
    kind: str,
    text: str = "",
    extend_until: datetime.date | None = None,
    items: Iterable[InformationItem] = (),
    partner: str = "",
) -> Decision:
    """Record a decision about the item's case; one that uses information lists its `items`
    (a share names its `partner`), and each item's owner is asked to consent to that use."""
    member.require_role(Role.COORDINATOR)
    item = AgendaItem.objects.select_related("meeting", "case").get(pk=item.pk, meeting__cell=member.cell)
    if item.meeting.is_locked:
        raise ValidationError(_("The minutes of this meeting are finalised: add a correction instead."))
    if item.kind != ItemKind.CASE or item.case is None:
        raise ValidationError(_("Decisions are taken about a case."))
    text, partner, items = text.strip(), partner.strip(), list(items)
    _validate(kind, text, extend_until, item)
    _validate_uses(kind, items, partner)
    repeated = _repeated(kind)
    if repeated is not None and _same_decisions(item, kind).exists():
        raise repeated
    with unique_or_error(Decision, {ONE_OF_A_KIND: repeated} if repeated else {}):  # sent twice at once
        decision = Decision.objects.create(
            item=item,
            case=item.case,
            kind=kind,
            text=text,
            extend_until=extend_until if kind == DecisionKind.EXTEND_RETENTION else None,
            partner=partner if kind == DecisionKind.SHARE_WITH_PARTNER else "",
            status=DecisionStatus.AWAITING_AGREEMENT if _awaits(kind) else DecisionStatus.VALID,
            recorded_by=member.user,
            decided_at=None if _awaits(kind) else timezone.now(),
        )
    if kind in ITEM_USE_KINDS and items:
        use_kind = USE_OF_DECISION[DecisionKind(kind)]
        use_services.uses_ask(member=member, case=item.case, decision_id=decision.pk, kind=use_kind,
                              items=items, partner=partner)  # fmt: skip
    if decision.status == DecisionStatus.VALID:
        _carry_out(decision, member)
    return decision


def _awaits(kind: str) -> bool:
    return kind in CONSENSUS_KINDS or kind == DecisionKind.REVEAL_MINOR


ONE_OF_A_KIND = "one_decision_of_a_kind_per_item"


def _same_decisions(item: AgendaItem, kind: str) -> QuerySet[Decision]:
    """What a new decision of `kind` on the item would repeat (the constraint ONE_OF_A_KIND): any
    decision of a kind taken once per item, or a round of agreement still open."""
    same = Decision.objects.filter(item=item, kind=kind)
    return same if kind in ONCE_PER_ITEM_KINDS else same.filter(status=DecisionStatus.AWAITING_AGREEMENT)


def _repeated(kind: str) -> ValidationError | None:
    """The answer to a decision recorded a second time, or None for a kind that may repeat."""
    if kind in ONCE_PER_ITEM_KINDS:
        message = _("This item already has the decision “%(kind)s”: it is recorded once.")
    elif kind in CONSENSUS_KINDS:
        message = _("The decision “%(kind)s” on this item still awaits agreement: settle it first.")
    else:
        return None
    return ValidationError({"kind": message % {"kind": DecisionKind(kind).label}})


def _validate(kind: str, text: str, extend_until: datetime.date | None, item: AgendaItem) -> None:
    needs_text = {
        DecisionKind.FOLLOW_UP_PLAN: _("Describe the follow-up plan."),
        DecisionKind.CLOSE_CASE: _("Give the reason for closing the case."),
        DecisionKind.EXTEND_RETENTION: _(
            "Motivate the extension: which serious indications of a terrorism risk?"
        ),
        DecisionKind.REVEAL_MINOR: _("Give the reason why the table needs this minor's identity."),
    }
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Choose a decision.")})
    if kind in needs_text and not text:
        raise ValidationError({"text": needs_text[DecisionKind(kind)]})
    if kind == DecisionKind.REVEAL_MINOR and item.case is not None and not item.case.subject.is_minor:
        raise ValidationError({"kind": _("The person is not a minor: the coordinator records the identity.")})
    if kind == DecisionKind.EXTEND_RETENTION:
        held_on = _meeting_date(item)
        if extend_until is None or extend_until <= held_on:
            raise ValidationError({"extend_until": _("Give the date until which the data may be kept.")})
        if extend_until > _five_years_after(held_on):
            raise ValidationError(
                {"extend_until": _("At most five years after the last discussion (until %(date)s).")
                 % {"date": _five_years_after(held_on).isoformat()}}
            )  # fmt: skip


def _validate_uses(kind: str, items: list[InformationItem], partner: str) -> None:
    """A share names its partner and the information it shares; feedback and informing may list
    information (or none); no other decision uses any."""
    errors = {}
    if kind == DecisionKind.SHARE_WITH_PARTNER:
        if not partner:
            errors["partner"] = _("Name the partner the information is shared with.")
        if not items:
            errors["items"] = _("Choose the information to share with the partner.")
    elif items and kind not in ITEM_USE_KINDS:
        errors["items"] = _(
            "Only feedback to the Local Taskforce, informing the person or sharing with a partner uses "
            "information: leave it unticked."
        )
    if errors:
        raise ValidationError(errors)


# The valid decisions the cell's statistics count (feedback counts when passed on, `pass_on_to_ltf`).
STAT_OF_DECISION: dict[str, str] = {
    DecisionKind.EXTEND_RETENTION: StatKind.EXTENSION_DECIDED,
    DecisionKind.INFORM_SUBJECT: StatKind.INFORMING_DECIDED,
}


def _carry_out(decision: Decision, member: Membership) -> None:
    """What a valid decision does to the case (and what it counts in the statistics)."""
    case = decision.case
    if decision.kind in STAT_OF_DECISION:
        assert decision.decided_at is not None
        stat_of_case(case, STAT_OF_DECISION[decision.kind], on=timezone.localdate(decision.decided_at))
    if decision.kind == DecisionKind.EXTEND_RETENTION:
        figures_changed(case.cell_id)  # the retention clock: the purge notice counts afresh
    elif decision.kind == DecisionKind.FOLLOW_UP_PLAN and case.status == CaseStatus.OPEN:
        case_services.case_change_status(member=member, case=case, status=CaseStatus.FOLLOW_UP)
    elif decision.kind == DecisionKind.CLOSE_CASE and case.status != CaseStatus.CLOSED:
        case_services.case_change_status(
            member=member, case=case, status=CaseStatus.CLOSED, reason=decision.text
        )
    elif decision.kind == DecisionKind.INFORM_SUBJECT:
        # The decision says the person *will* be informed: the register now waits for whoever
        # informs them to record it (cases/services/informing.py::informing_record).
        assert decision.decided_at is not None
        decided_on = timezone.localdate(decision.decided_at)
        informing_services.informing_open(
            member=member, case=case, decision_id=decision.pk, decided_on=decided_on
        )
    elif decision.kind == DecisionKind.LTF_FEEDBACK:
        # The information officers pass it on (`pass_on_to_ltf`), from the meeting's decisions.
        meeting = {"cell_slug": member.cell.slug, "pk": decision.item.meeting_id}
        path = reverse("meetings:detail", kwargs=meeting)
        notify_role(
            cell=member.cell, role=Role.INFORMATION_OFFICER, kind=NotificationKind.LTF_FEEDBACK,
            path=path + "#decisions", reference=case.reference, target=str(decision.pk),
        )  # fmt: skip


def present_participants(item: AgendaItem) -> list[Participant]:
    """Who was present for this item, by the attendance recorded at the meeting. A substitute
    standing in for a fixed representative counts in her place: the representative does not."""
    attendances = list(
        Attendance.objects.filter(
            meeting=item.meeting, status=AttendanceStatus.PRESENT, items=item
        ).select_related("participant__membership__user", "stands_in_for__membership__user")
    )
    replaced = {a.stands_in_for_id for a in attendances if a.stands_in_for_id is not None}
    present = []
    for attendance in attendances:
        if attendance.participant_id not in replaced:
            # For the chairing screen: "X (standing in for Y)".
            attendance.participant.standing_in_for = attendance.stands_in_for  # type: ignore[attr-defined]
            present.append(attendance.participant)
    return present


@transaction.atomic
def agreement_record(
    *, member: Membership, decision: Decision, participant: Participant, agrees: bool
) -> Decision:
    """A present participant agrees or not; the coordinator may record it for anyone present."""
    decision = _locked(decision, member, at_the_table=True)
    if member.role != Role.COORDINATOR and participant.membership_id != member.pk:
        raise PermissionDenied(_("You record only your own agreement."))
    if decision.kind not in CONSENSUS_KINDS:
        raise ValidationError(_("This decision needs no agreement round."))
    if participant not in present_participants(decision.item):
        raise ValidationError(_("Only participants present for this item take part in the decision."))
    Agreement.objects.update_or_create(
        decision=decision, participant=participant, defaults={"agrees": agrees}
    )
    return _settle(decision, member)


@transaction.atomic
def officer_objection(*, member: Membership, decision: Decision, objects: bool) -> Decision:
    """The information officer may object to informing the person (secrecy of an investigation)."""
    member.require_role(Role.INFORMATION_OFFICER)
    decision = _locked(decision, member, at_the_table=True)
    if decision.kind != DecisionKind.INFORM_SUBJECT:
        raise ValidationError(_("Only informing the person can be objected to."))
    decision.officer_objects = objects
    decision.save(update_fields=["officer_objects"])
    return _settle(decision, member)


@transaction.atomic
def reveal_approve(*, member: Membership, decision: Decision) -> Decision:
    """The coordinator or a mayor, other than who recorded it, approves revealing a minor's identity."""
    member.require_role(Role.COORDINATOR, Role.MAYOR)
    decision = _locked(decision, member)
    if decision.kind != DecisionKind.REVEAL_MINOR:
        raise ValidationError(_("This decision needs no approval."))
    if decision.recorded_by_id == member.user_id:
        raise PermissionDenied(_("Someone other than the person who recorded it approves."))
    decision.status, decision.decided_at = DecisionStatus.VALID, timezone.now()
    decision.save(update_fields=["status", "decided_at"])
    identity_services.identity_reveal_allow(subject=decision.case.subject)
    return decision


@transaction.atomic
def pass_on_to_ltf(*, member: Membership, decision: Decision) -> Decision:
    """Only the information officer passes valid feedback on to the Local Taskforce; it is logged.

    With it go the items the decision lists whose owners consented, and only those
    (`cases/services/uses.py::uses_carry_out`). Passing on again later passes on the items whose
    owners consented since; `passed_on_at` keeps the first time."""
    member.require_role(Role.INFORMATION_OFFICER)
    decision = _locked(decision, member, settled_ok=True)
    if decision.kind != DecisionKind.LTF_FEEDBACK:
        raise ValidationError(_("Only feedback to the Local Taskforce is passed on."))
    if decision.status != DecisionStatus.VALID:
        raise ValidationError(_("Not every participant present agreed: the feedback may not be passed on."))
    if decision.passed_on_at is None:
        decision.passed_on_at, decision.passed_on_by = timezone.now(), member.user
        decision.save(update_fields=["passed_on_at", "passed_on_by"])
        stat_of_case(decision.case, StatKind.LTF_FEEDBACK_GIVEN)
    use_services.uses_carry_out(member=member, decision_id=decision.pk, kind=UseKind.LTF_FEEDBACK)
    return decision


def _locked(
    decision: Decision, member: Membership, *, settled_ok: bool = False, at_the_table: bool = False
) -> Decision:
    """The decision, locked. `at_the_table`: an answer given at the meeting, refused once its
    minutes are finalised (approving and passing on may come later)."""
    decision = (
        Decision.objects.select_for_update()
        .select_related("item__meeting", "case")
        .get(pk=decision.pk, case__cell=member.cell)
    )
    if at_the_table and decision.item.meeting.is_locked:
        raise ValidationError(_("The minutes of this meeting are finalised: no answer can be added."))
    if decision.status != DecisionStatus.AWAITING_AGREEMENT and not settled_ok:
        raise ValidationError(_("This decision has been settled."))
    return decision


def _settle(decision: Decision, member: Membership) -> Decision:
    """Valid when every present participant agreed (and, for informing, no objection);
    refused as soon as one disagrees or the officer objects; otherwise still awaiting."""
    present = present_participants(decision.item)
    answers = dict(Agreement.objects.filter(decision=decision).values_list("participant_id", "agrees"))
    refused = decision.officer_objects or any(answers.get(p.pk) is False for p in present)
    complete = bool(present) and all(answers.get(p.pk) is True for p in present)
    if refused:
        decision.status, decision.decided_at = DecisionStatus.REFUSED, timezone.now()
        decision.save(update_fields=["status", "decided_at"])
        if decision.kind == DecisionKind.INFORM_SUBJECT:
            informing_services.informing_record(
                member=_coordinator_of(member), case=decision.case, kind=InformingKind.DEFERRED,
                deferral_reason=_deferral_reason(decision), review_on=timezone.localdate() + DEFERRAL_REVIEW,
            )  # fmt: skip
    elif complete:
        decision.status, decision.decided_at = DecisionStatus.VALID, timezone.now()
        decision.save(update_fields=["status", "decided_at"])
        _carry_out(decision, _coordinator_of(member))
    return decision


def _deferral_reason(decision: Decision) -> str:
    if decision.officer_objects:
        return _("The information officer objects (secrecy of an investigation).")
    return _("Not every participant present agreed.")


def _coordinator_of(member: Membership) -> Membership:
    """The register is kept in the coordinator's name even when an officer's answer settles it."""
    if member.role in (Role.COORDINATOR, Role.INFORMATION_OFFICER):
        return member
    return Membership.objects.effective().filter(cell=member.cell, role=Role.COORDINATOR).first() or member
