"""Meetings: creating one, building its agenda, attendance and the secrecy acknowledgement,
writing minutes (with a conflict check), finalising them and adding corrections."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from livc.accounts.models import User
from livc.cells.models import Membership, Role
from livc.cells.notices import figures_changed
from livc.cells.selectors import composition_missing
from livc.outbox.services import enqueue
from livc.statistics.models import StatKind
from livc.statistics.services import stat_record
from meetings.models import (
    Addendum,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesDocument,
)
from meetings.selectors import items_open_to
from meetings.services.calendar import meeting_moved
from meetings.services.stand_ins import stand_in_attendance, stand_ins_agenda_changed, stand_ins_end
from meetings.tasks import make_minutes_document
from participants.models import Participant
from participants.selectors import rules_in_force


class MinutesConflict(Exception):
    """Someone saved this item's minutes since the version the writer started from."""

    def __init__(self, item: AgendaItem) -> None:
        super().__init__("minutes changed meanwhile")
        self.item = item


# --- The meeting ---------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, member: Membership, kind: str, title: str, starts_at: datetime.datetime, location: str = ""
) -> Meeting:
    """No meeting without the legal minimum composition and rules of procedure in force (rules 1, 2)."""
    member.require_role(Role.COORDINATOR)
    missing = composition_missing(cell=member.cell)
    if missing:
        names = ", ".join(str(Role(role).label) for role in missing)
        raise ValidationError(_("The cell cannot meet: its legal minimum is incomplete (missing: %(names)s).")
                              % {"names": names})  # fmt: skip
    rules = rules_in_force(cell=member.cell)
    if rules is None:
        raise ValidationError(_("The cell cannot meet until a mayor has put rules of procedure in force."))
    if not title.strip():
        raise ValidationError({"title": _("Give the meeting a title (no names).")})
    return Meeting.objects.create(
        cell=member.cell,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        location=location.strip(),
        rules=rules,
        created_by=member.user,
    )


def _locked_meeting(meeting: Meeting, member: Membership) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk, cell=member.cell)
    if locked.is_locked:
        raise ValidationError(_("The minutes of this meeting are finalised: add a correction instead."))
    if locked.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    return locked


class OtherDayStart(ValidationError):
    """Starting on another day than planned needs the coordinator's confirmation."""


def planned_for_another_day(meeting: Meeting) -> bool:
    return timezone.localtime(meeting.starts_at).date() != timezone.localdate()


@transaction.atomic
def meeting_update(
    *, member: Membership, meeting: Meeting, title: str, starts_at: datetime.datetime, location: str = ""
) -> Meeting:
    """Correct a planned meeting's title, date and location; once started, the date is what happened."""
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(meeting, member)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be changed: this one has started."))
    if not title.strip():
        raise ValidationError({"title": _("Give the meeting a title (no names).")})
    moved = (meeting.starts_at, meeting.location) != (starts_at, location.strip())
    meeting.title, meeting.starts_at, meeting.location = title.strip(), starts_at, location.strip()
    meeting.save(update_fields=["title", "starts_at", "location"])
    if moved:
        meeting_moved(meeting=meeting)  # a published invitation: the calendars are updated
    return meeting


@transaction.atomic
def meeting_start(*, member: Membership, meeting: Meeting, other_day_confirmed: bool = False) -> Meeting:
    """Planned → in progress. The meeting's date becomes the real start: a meeting started on
    another day than planned asks for confirmation first, and then records the day it really met."""
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(meeting, member)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("The meeting has already started."))
    if planned_for_another_day(meeting) and not other_day_confirmed:
        raise OtherDayStart(
            _("The meeting was planned for another day: confirm that it takes place today."),
            code="other_day",
        )
    meeting.status, meeting.starts_at = MeetingStatus.IN_PROGRESS, timezone.now()
    meeting.save(update_fields=["status", "starts_at"])
    return meeting


@transaction.atomic
def meeting_end(*, member: Membership, meeting: Meeting) -> Meeting:
    """In progress → held: the minutes may still be written, then finalised."""
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(meeting, member)
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise ValidationError(_("Only a meeting in progress can be ended."))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    stat_record(cell=member.cell, kind=StatKind.MEETING_HELD, on=held_on(meeting), detail=meeting.kind)
    return meeting


def meeting_advance(*, member: Membership, meeting: Meeting, other_day_confirmed: bool = False) -> Meeting:
    """Planned → in progress → held. Finalising is its own step."""
    if meeting.status == MeetingStatus.PLANNED:
        return meeting_start(member=member, meeting=meeting, other_day_confirmed=other_day_confirmed)
    if meeting.status == MeetingStatus.IN_PROGRESS:
        return meeting_end(member=member, meeting=meeting)
    member.require_role(Role.COORDINATOR)
    _locked_meeting(meeting, member)
    raise ValidationError(_("The meeting cannot move on from here."))


def held_on(meeting: Meeting) -> datetime.date:
    """The day the meeting really took place: never later than today."""
    return min(timezone.localtime(meeting.starts_at).date(), timezone.localdate())


@transaction.atomic
def meeting_finalise(*, member: Membership, meeting: Meeting) -> Meeting:
    """Lock the minutes; every case discussed gets the day the meeting took place as its last
    discussion (the retention clock, rule 15), never a day in the future."""
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(meeting, member)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("End the meeting first: the minutes are finalised after the meeting."))
    day = held_on(meeting)
    discussed = meeting.items.filter(case__isnull=False).values_list("case_id", flat=True)
    for case in Case.objects.select_for_update().filter(
        pk__in=list(discussed)
    ):  # no DISTINCT with FOR UPDATE
        if case.last_discussed_on is None or case.last_discussed_on < day:
            case.last_discussed_on = day
            case.save(update_fields=["last_discussed_on"])
    figures_changed(meeting.cell_id)  # the retention clock restarted: the purge notice counts afresh
    meeting.status, meeting.finalised_at, meeting.finalised_by = (
        MeetingStatus.FINALISED,
        timezone.now(),
        member.user,
    )
    meeting.save(update_fields=["status", "finalised_at", "finalised_by"])
    MinutesDocument.objects.filter(meeting=meeting).delete()  # made again from the final text
    stand_ins_end(meeting=meeting)  # a substitute's access for this meeting ends with its minutes
    return meeting


# --- The agenda ------------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def agenda_add_case(*, member: Membership, meeting: Meeting, case: Case) -> AgendaItem:
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(meeting, member)
    if meeting.kind == MeetingKind.STRATEGIC:
        raise ValidationError(
            _("A strategic meeting discusses policy: no case or person can be on its agenda.")
        )
    if case.cell_id != member.cell_id:
        raise PermissionDenied
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case is not discussed; reopen it first."))
    if meeting.items.filter(case=case).exists():
        raise ValidationError(_("This case is already on the agenda."))
    item = AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), kind=ItemKind.CASE, case=case
    )
    stand_ins_agenda_changed(meeting=meeting, case_id=case.pk)  # a substitute standing in follows
    return item


@transaction.atomic
def agenda_add_topic(*, member: Membership, meeting: Meeting, topic: str) -> AgendaItem:
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(meeting, member)
    if not topic.strip():
        raise ValidationError({"topic": _("Name the topic (no personal data).")})
    return AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), kind=ItemKind.TOPIC, topic=topic.strip()
    )


@transaction.atomic
def agenda_add_actions_review(*, member: Membership, meeting: Meeting) -> AgendaItem:
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(meeting, member)
    if meeting.kind == MeetingKind.STRATEGIC:
        raise ValidationError(_("A strategic meeting reviews no case actions."))
    if meeting.items.filter(kind=ItemKind.ACTIONS_REVIEW).exists():
        raise ValidationError(_("The review of open actions is already on the agenda."))
    return AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), kind=ItemKind.ACTIONS_REVIEW
    )


@transaction.atomic
def agenda_move(*, member: Membership, item: AgendaItem, up: bool) -> bool:
    """Swap the item with its neighbour; False when it is already first (or last)."""
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(item.meeting, member)
    items = list(meeting.items.order_by("position"))
    index = next(i for i, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        if each.position != position:
            AgendaItem.objects.filter(pk=each.pk).update(position=position)
    return True


@transaction.atomic
def agenda_remove(*, member: Membership, item: AgendaItem) -> None:
    member.require_role(Role.COORDINATOR)
    _locked_meeting(item.meeting, member)
    if item.has_minutes or item.decisions.exists():
        raise ValidationError(_("This item has minutes or decisions: it stays on the agenda."))
    item.delete()
    if item.case_id is not None:
        stand_ins_agenda_changed(meeting=item.meeting, case_id=item.case_id)  # a substitute follows


# --- Attendance and the secrecy acknowledgement ---------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    member: Membership,
    meeting: Meeting,
    participant: Participant,
    status: str,
    items: list[AgendaItem] | None = None,
    acknowledged: bool = False,
) -> Attendance:
    """The coordinator records presence per participant and item; `acknowledged` notes a
    secrecy acknowledgement given in the room (on paper)."""
    member.require_role(Role.COORDINATOR)
    meeting = _locked_meeting(meeting, member)
    if participant.cell_id != member.cell_id:
        raise PermissionDenied
    allowed = items_open_to(participant=participant, meeting=meeting)
    chosen = allowed if items is None else items
    if any(item not in allowed for item in chosen):
        raise ValidationError(
            {"items": _("A participant attends only the items of cases at whose table they sit.")}
        )
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, participant=participant, defaults={"status": status}
    )
    attendance.items.set(chosen if status == AttendanceStatus.PRESENT else [])
    stand_in_attendance(attendance, items=False)  # a substitute standing in: for whom
    if acknowledged and attendance.acknowledged_at is None:
        attendance.acknowledged_at = timezone.now()
        attendance.save(update_fields=["acknowledged_at"])
    return attendance


@transaction.atomic
def attendance_acknowledge(*, member: Membership, meeting: Meeting) -> Attendance:
    """A participant at the meeting acknowledges the secrecy of the table for this meeting (rule 6).
    A substitute standing in acknowledges herself: her attendance says for whom, and holds the
    representative's items."""
    participant = Participant.objects.filter(membership=member).first()
    if participant is None:
        raise PermissionDenied(_("Only someone seated at the table acknowledges for a meeting."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk, cell=member.cell)
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, participant=participant, defaults={"status": AttendanceStatus.PRESENT}
    )
    if created:
        attendance.items.set(items_open_to(participant=participant, meeting=meeting))
    stand_in_attendance(attendance)
    if attendance.acknowledged_at is None:
        attendance.acknowledged_at = timezone.now()
        attendance.save(update_fields=["acknowledged_at"])
    return attendance


# --- Minutes -----------------------------------------------------------------------------------------


# Items without a case keep one text, in `agreements`: a topic's minutes, the review's agreements.
ONE_TEXT_KINDS = frozenset({ItemKind.TOPIC, ItemKind.ACTIONS_REVIEW})


@transaction.atomic
def minutes_save(
    *,
    member: Membership,
    item: AgendaItem,
    version: int,
    agreements: str,
    signals: str | None = None,
    assessment: str | None = None,
) -> AgendaItem:
    """Save what the coordinator typed, unless someone saved a newer version meanwhile.

    A case item has signals, an assessment and agreements; a topic and the review of open
    actions have one text (`agreements`). A field left out (None) keeps what it holds."""
    member.require_role(Role.COORDINATOR)
    _locked_meeting(item.meeting, member)
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if current.version != version:
        raise MinutesConflict(current)
    if current.kind in ONE_TEXT_KINDS and (signals or assessment):
        raise ValidationError(_("This item has one text for its minutes: no signals or assessment."))
    if signals is not None:
        current.signals = signals
    if assessment is not None:
        current.assessment = assessment
    current.agreements = agreements
    current.version += 1
    current.save()
    return current


@transaction.atomic
def addendum_add(*, member: Membership, item: AgendaItem, text: str) -> Addendum:
    member.require_role(Role.COORDINATOR)
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk, meeting__cell=member.cell)
    if not item.meeting.is_locked:
        raise ValidationError(_("The minutes are not finalised yet: change them directly."))
    if not text.strip():
        raise ValidationError({"text": _("Write the correction.")})
    return Addendum.objects.create(item=item, text=text.strip(), created_by=member.user)


@transaction.atomic
def addendum_approve(*, member: Membership, addendum: Addendum, meeting: Meeting) -> Addendum:
    """A correction is approved at a later meeting of the same cell."""
    member.require_role(Role.COORDINATOR)
    addendum = Addendum.objects.select_for_update().select_related("item__meeting").get(pk=addendum.pk)
    if addendum.item.meeting.cell_id != member.cell_id or meeting.cell_id != member.cell_id:
        raise PermissionDenied
    if meeting.starts_at <= addendum.item.meeting.starts_at:
        raise ValidationError(_("A correction is approved at a later meeting."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    addendum.approved_at_meeting = meeting
    addendum.save(update_fields=["approved_at_meeting"])
    return addendum


@transaction.atomic
def minutes_document_request(*, meeting: Meeting, recipient: User) -> MinutesDocument:
    """Ask for one's PDF of finalised minutes: made in the background (a request again makes it anew)."""
    document, _created = MinutesDocument.objects.update_or_create(
        meeting=meeting,
        recipient=recipient,
        defaults={"status": MinutesDocument.Status.PENDING, "content": ""},
    )
    document_id = str(document.pk)
    enqueue(make_minutes_document, document_id=document_id)
    return document
