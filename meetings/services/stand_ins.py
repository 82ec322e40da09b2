"""A substitute who stands in for a fixed representative at one meeting (`meetings.StandIn`).

The coordinator, or the representative herself, names the representative's recorded substitute
(`Participant.substitute`) for one meeting that is neither finalised nor cancelled. While the
stand-in is open the substitute sees, of that meeting only, what the representative may see: the
meeting's agenda items of cases at whose table the representative sits, and those cases' pages.

Who sees which case stays decided in one place (`cases/selectors.py::case_visible_list`: a
participant sees the cases she holds a `view_case` grant on). A stand-in gives the substitute
that grant on those cases, only where she has none; `_resync` keeps the grants in step with
the stand-ins, the agenda and the seats, and takes back exactly the grants no seat of hers and
no other open stand-in of hers still gives. The stand-in ends, and the grants go, when the
meeting's minutes are finalised (`meeting_finalise`), when the meeting is cancelled, or when the
naming is withdrawn; the ended stand-in stays on record, and so does her attendance.
"""

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import Case, CaseUserObjectPermission, Seat
from cases.services.seats import VIEW_CASE, VIEW_CASE_CODENAME
from livc.audit.events import record_event
from livc.cells.models import Membership, Role
from livc.db import unique_or_error
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    StandIn,
)
from meetings.selectors import items_open_to
from participants.models import Participant

STAND_IN_NAMED = "stand_in_named"
STAND_IN_WITHDRAWN = "stand_in_withdrawn"
STAND_IN_ENDED = "stand_in_ended"
# The audit events (registered in `MeetingsConfig.ready`).
EVENT_KINDS = {
    STAND_IN_NAMED: gettext_lazy("substitute named to stand in at a meeting"),
    STAND_IN_WITHDRAWN: gettext_lazy("stand-in at a meeting withdrawn"),
    STAND_IN_ENDED: gettext_lazy("stand-in at a meeting ended (minutes finalised, or meeting cancelled)"),
}

# A stand-in is named, and stays open, only for a meeting whose minutes are still to be final.
CLOSED_STATUSES = frozenset({MeetingStatus.FINALISED, MeetingStatus.CANCELLED})
ONE_PER_REPRESENTATIVE = "one_stand_in_per_representative"


def open_stand_ins() -> QuerySet[StandIn]:
    return StandIn.objects.filter(ended_at__isnull=True)


# --- What a stand-in gives ----------------------------------------------------------------------


def stand_in_case_ids(*, meeting: Meeting, representative: Participant) -> set[uuid.UUID]:
    """The cases on the meeting's agenda at whose table the representative sits."""
    return set(
        Seat.objects.filter(
            participant=representative,
            case__agenda_items__meeting=meeting,
            case__agenda_items__kind=ItemKind.CASE,
        ).values_list("case_id", flat=True)
    )


def _agenda_case_ids(meeting: Meeting) -> set[uuid.UUID]:
    return set(meeting.items.filter(case__isnull=False).values_list("case_id", flat=True))


def _granted(user_id: int, case_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    return set(
        CaseUserObjectPermission.objects.filter(
            user_id=user_id,
            permission__codename=VIEW_CASE_CODENAME,
            permission__content_type__app_label="cases",
            content_object_id__in=list(case_ids),
        ).values_list("content_object_id", flat=True)
    )


def _resync(substitute: Participant, touched: Iterable[uuid.UUID]) -> None:
    """Bring the substitute's `view_case` grants in step with her open stand-ins.

    She gets the grant on every case one of her open stand-ins gives; of the `touched` cases
    (those a change may have taken from her), she loses the grant unless an open stand-in still
    gives it or she sits at the case's table herself. Grants on other cases are not looked at.
    Roles that see every case need no grant; a member whose access ended gets none."""
    membership = Membership.objects.get(pk=substitute.membership_id)
    wanted: set[uuid.UUID] = set()
    if membership.role == Role.PARTICIPANT and membership.is_active:
        for stand_in in open_stand_ins().filter(substitute=substitute).select_related("meeting"):
            wanted |= stand_in_case_ids(meeting=stand_in.meeting, representative=stand_in.representative)
    touched = set(touched) - wanted
    if touched:
        touched -= set(
            Seat.objects.filter(participant=substitute, case_id__in=touched).values_list("case_id", flat=True)
        )
    granted = _granted(membership.user_id, wanted | touched)
    cases = Case.objects.in_bulk((wanted - granted) | (touched & granted))
    for case_id in wanted - granted:
        assign_perm(VIEW_CASE, membership.user, cases[case_id])
    for case_id in touched & granted:
        remove_perm(VIEW_CASE, membership.user, cases[case_id])


# --- Naming, withdrawing, ending -----------------------------------------------------------------


def _may_name(member: Membership, representative: Participant) -> bool:
    return member.role == Role.COORDINATOR or representative.membership_id == member.pk


def may_name_stand_ins(*, member: Membership) -> bool:
    """The coordinator names a substitute for any fixed representative; a fixed representative
    for herself; no one else."""
    return (
        member.role == Role.COORDINATOR
        or Participant.objects.filter(membership=member, is_fixed_representative=True).exists()
    )


def may_withdraw(*, member: Membership, stand_in: StandIn) -> bool:
    return _may_name(member, stand_in.representative)


def _locked_open_meeting(meeting: Meeting, member: Membership) -> Meeting:
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk, cell=member.cell).first()
    if locked is None:
        raise PermissionDenied
    if locked.status in CLOSED_STATUSES:
        raise ValidationError(
            _("The minutes of this meeting are finalised, or it was cancelled: no one stands in any more.")
        )
    return locked


@transaction.atomic
def stand_in_name(*, member: Membership, meeting: Meeting, representative: Participant) -> StandIn:
    """The representative's recorded substitute stands in for her at this meeting.

    Named by the coordinator, or by the representative herself. The substitute must be an
    effective member, a participant of the same cell and organisation."""
    if representative.cell_id != member.cell_id or not _may_name(member, representative):
        raise PermissionDenied(_("Only the coordinator or the representative herself names a substitute."))
    meeting = _locked_open_meeting(meeting, member)
    representative = Participant.objects.select_for_update().get(pk=representative.pk)
    if not representative.is_fixed_representative:
        raise ValidationError(_("Only a fixed representative has a substitute who stands in."))
    if representative.substitute_id is None:
        raise ValidationError(
            _("This representative has no substitute on record: the coordinator records one first.")
        )
    substitute = Participant.objects.select_related("membership").get(pk=representative.substitute_id)
    if (
        substitute.cell_id != representative.cell_id
        or substitute.organisation_id != representative.organisation_id
        or not Membership.objects.effective().filter(pk=substitute.membership_id, cell=member.cell).exists()
    ):
        raise ValidationError(
            _("The substitute on record no longer has access to the cell for this organisation.")
        )
    already = ValidationError(_("A substitute already stands in for this representative."))
    if open_stand_ins().filter(meeting=meeting, representative=representative).exists():
        raise already
    with unique_or_error(StandIn, {ONE_PER_REPRESENTATIVE: already}):  # two at once
        stand_in = StandIn.objects.create(
            meeting=meeting, representative=representative, substitute=substitute, named_by=member.user
        )
    _resync(substitute, ())
    _record(STAND_IN_NAMED, stand_in, member.user)
    return stand_in


@transaction.atomic
def stand_in_withdraw(*, member: Membership, stand_in: StandIn) -> StandIn:
    """The coordinator or the representative withdraws the naming: the substitute's access for
    that meeting ends. Before the meeting started she is taken off its attendance as a stand-in;
    once it started, her attendance stays as it happened."""
    locked = (
        StandIn.objects.select_for_update()
        .select_related("meeting", "representative", "substitute")
        .filter(pk=stand_in.pk, meeting__cell=member.cell)
        .first()
    )
    if locked is None or not _may_name(member, locked.representative):
        raise PermissionDenied(_("Only the coordinator or the representative herself withdraws a stand-in."))
    stand_in = locked
    _locked_open_meeting(stand_in.meeting, member)
    if stand_in.ended_at is not None:
        raise ValidationError(_("This stand-in has already ended."))
    _end(stand_in)
    if stand_in.meeting.status == MeetingStatus.PLANNED:
        _leave_attendance(stand_in)
    _record(STAND_IN_WITHDRAWN, stand_in, member.user)
    return stand_in


def stand_ins_end(*, meeting: Meeting) -> int:
    """End every open stand-in of the meeting and take back the access it gave (the minutes are
    finalised, or the meeting cancelled). The attendance stays. Returns how many ended."""
    ended = 0
    with transaction.atomic():
        for stand_in in (
            open_stand_ins()
            .select_for_update()
            .filter(meeting=meeting)
            .select_related("meeting", "substitute")
        ):
            _end(stand_in)
            _record(STAND_IN_ENDED, stand_in, None)
            ended += 1
    return ended


def stand_ins_end_for(*, participant: Participant) -> int:
    """A participant's access ended: every open stand-in she is in, either side, ends."""
    ended = 0
    with transaction.atomic():
        for stand_in in (
            open_stand_ins()
            .select_for_update()
            .filter(Q(substitute=participant) | Q(representative=participant))
            .select_related("meeting", "substitute")
        ):
            _end(stand_in)
            _record(STAND_IN_ENDED, stand_in, None)
            ended += 1
    return ended


def _end(stand_in: StandIn) -> None:
    stand_in.ended_at = timezone.now()
    stand_in.save(update_fields=["ended_at"])
    _resync(stand_in.substitute, _agenda_case_ids(stand_in.meeting))


def _leave_attendance(stand_in: StandIn) -> None:
    attendance = Attendance.objects.filter(meeting=stand_in.meeting, participant=stand_in.substitute).first()
    if attendance is None or attendance.stands_in_for_id != stand_in.representative_id:
        return
    attendance.stands_in_for = None
    attendance.save(update_fields=["stands_in_for"])
    allowed = items_open_to(participant=stand_in.substitute, meeting=stand_in.meeting)
    attendance.items.set([item for item in attendance.items.all() if item in allowed])


def _record(kind: str, stand_in: StandIn, actor: object) -> None:
    record_event(
        kind,
        cell=stand_in.meeting.cell,
        actor=actor,
        instance=stand_in.meeting,
        data={
            "stand_in": stand_in.pk,
            "representative": stand_in.representative_id,
            "substitute": stand_in.substitute_id,
        },
    )


# --- Keeping in step ------------------------------------------------------------------------------------


def stand_ins_agenda_changed(*, meeting: Meeting, case_id: uuid.UUID) -> None:
    """A case came onto, or went off, the meeting's agenda: the open stand-ins follow."""
    for stand_in in open_stand_ins().filter(meeting=meeting).select_related("substitute"):
        _resync(stand_in.substitute, {case_id})


def stand_ins_seating_changed(*, case: Case, participant: Participant) -> None:
    """Someone was seated at, or left, a case's table: a substitute standing in for them, or they
    themselves standing in, keep the grant exactly as long as a seat or a stand-in gives it."""
    affected = open_stand_ins().filter(
        Q(representative=participant) | Q(substitute=participant), meeting__items__case=case
    )
    substitutes = {stand_in.substitute for stand_in in affected.select_related("substitute")}
    for substitute in substitutes:
        _resync(substitute, {case.pk})


def stand_in_attendance(attendance: Attendance, *, items: bool = True) -> Attendance:
    """The attendance of a substitute standing in at its meeting says for whom and, with `items`,
    holds the representative's items (called when she acknowledges, or the coordinator records
    her attendance: then the coordinator's choice of items stands)."""
    stand_in = (
        open_stand_ins()
        .filter(meeting_id=attendance.meeting_id, substitute_id=attendance.participant_id)
        .first()
    )
    if stand_in is None:
        return attendance
    if attendance.stands_in_for_id != stand_in.representative_id:
        attendance.stands_in_for_id = stand_in.representative_id
        attendance.save(update_fields=["stands_in_for"])
    if items and attendance.status == AttendanceStatus.PRESENT:
        cases = stand_in_case_ids(meeting=stand_in.meeting, representative=stand_in.representative)
        attendance.items.add(*AgendaItem.objects.filter(meeting_id=attendance.meeting_id, case_id__in=cases))
    return attendance


# --- Reads ----------------------------------------------------------------------------------------------


def stand_in_list(*, meeting: Meeting) -> list[StandIn]:
    """The meeting's stand-ins, open first, with both names."""
    return list(
        meeting.stand_ins.select_related(
            "representative__membership__user", "substitute__membership__user", "representative__organisation"
        ).order_by("ended_at", "named_at")
    )


def namable_representatives(*, member: Membership, meeting: Meeting) -> QuerySet[Participant]:
    """The fixed representatives the member may name a substitute for at this meeting: all of
    the cell's for the coordinator, herself for a representative; only those with a substitute
    on record and none standing in for them yet."""
    if meeting.status in CLOSED_STATUSES:
        return Participant.objects.none()
    representatives = Participant.objects.filter(
        cell=member.cell, is_fixed_representative=True, substitute__isnull=False, membership__is_active=True
    ).exclude(pk__in=open_stand_ins().filter(meeting=meeting).values("representative_id"))
    if member.role != Role.COORDINATOR:
        representatives = representatives.filter(membership=member)
    return representatives.select_related(
        "membership__user", "organisation", "substitute__membership__user"
    ).order_by("membership__user__name")
