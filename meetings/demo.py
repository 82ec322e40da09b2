"""Invented demo meetings of the cell Demostad, on the demo's one timeline (livc/cells/demo.py):
two past meetings with finalised minutes, and the next one planned. Runs after the cases app's
demo data.

- about eleven weeks ago: the first case consultation, on both open cases and the one closed
  since, with an action that was done and one that is now overdue, and the decision, agreed by
  everyone present, to inform the person of the closed case (who was informed four weeks ago);
- two weeks ago: the last case consultation, on the same cases and a topic, with decisions
  (feedback to the Local Taskforce and informing "Persoon Eik", each agreed by everyone present)
  and an action due next week; "Persoon Eik" is still to be informed;
- in ten days: the next one, planned, with one case and the review of open actions on its
  agenda; the other case can still be added, and is not new since it was discussed before. The
  CLB's fixed representative has named her recorded substitute to stand in for her at it. Its
  agenda is published: those invited were told. The other case is proposed for an agenda and
  waits for the coordinator; a topic proposed by the school counsellor was declined.

In the German-speaking cell Hochwalden, three weeks ago: a case consultation on its one case, in
German, with an action for the school psychologist; its minutes are finalised.

Each title names the month of its date. The services build everything as on the day itself;
the dates are then moved back to the day each meeting took place.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cases.demo import INFORMED_DAYS_AGO
from cases.models import Case, CaseStatus, InformationItem, InformingEntry, InformingKind, ItemUse
from cases.selectors import case_visible_list
from cases.services import uses
from cases.services.informing import informing_record
from livc.cells.demo import Demo, days_ago
from livc.cells.models import Cell, Membership, Role
from meetings.models import Action, ActionStatus, AgendaItem, Agreement, Attendance, Decision, Meeting
from meetings.services import actions, calendar, decisions, meetings, proposals, stand_ins
from participants.models import Participant

FIRST_MEETING_DAYS_AGO = 77  # after every case opened (94 days ago at the latest)
LAST_MEETING_DAYS_AGO = 14  # after the closed case was closed (30 days ago): it is not on the agenda
NEXT_MEETING_IN_DAYS = 10
GERMAN_MEETING_DAYS_AGO = 21  # after Hochwalden's case opened (57 days ago) and its items
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]  # fmt: skip
LOCATION = "Stadhuis, zaal 2"
PLAN = "Begeleiding door school en CLB loopt verder; opvolging over drie maanden."


@dataclass(frozen=True)
class Words:
    """What a cell's demo meetings say, in the language of its members."""

    months: list[str]
    title: str  # with {month}
    location: str
    signals: str
    assessment: str
    agreements: str
    topic_agreements: str


DUTCH = Words(
    months=MONTHS, title="Casusoverleg {month} (demo)", location=LOCATION,
    signals="Toestand besproken aan tafel.", assessment="Geen acuut risico; opvolging loopt.",
    agreements="School en CLB blijven in contact.",
    topic_agreements="Scholen krijgen een infosessie over signalen.",
)  # fmt: skip
GERMAN = Words(
    months=["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
            "Oktober", "November", "Dezember"],
    title="Fallbesprechung {month} (Demo)", location="Rathaus Hochwalden, Sitzungssaal",
    signals="Lage am Tisch besprochen.", assessment="Keine akute Gefahr; die Begleitung läuft.",
    agreements="Schule und Präventionsdienst bleiben in Kontakt.",
    topic_agreements="Die Schulen erhalten eine Informationsveranstaltung zu Warnsignalen.",
)  # fmt: skip


def _at_two(moment: datetime.datetime) -> datetime.datetime:
    """The meeting's time on that day: 14:00."""
    return timezone.localtime(moment).replace(hour=14, minute=0, second=0, microsecond=0)


def _title(starts_at: datetime.datetime, words: Words = DUTCH) -> str:
    return words.title.format(month=words.months[timezone.localtime(starts_at).month - 1])


@transaction.atomic
def seed(demo: Demo) -> None:
    _seed_german_cell(demo)
    cell = demo.cells["demostad"]
    if Meeting.objects.filter(cell=cell).exists():
        return  # demo meetings exist already: keep them as they are
    coordinator = Membership.objects.get(cell=cell, role=Role.COORDINATOR)
    cases = list(Case.objects.filter(cell=cell).exclude(status=CaseStatus.CLOSED).order_by("reference"))
    owner = Participant.objects.get(cell=cell, membership__user__email="clb@demostad.example")

    first_day = days_ago(FIRST_MEETING_DAYS_AGO)
    first = _held(coordinator, first_day, cases, topic=None, closed_since=_closed(cell))
    for item in first.items.select_related("case"):
        if item.case is not None and item.case.status != CaseStatus.CLOSED:
            actions.action_create(member=coordinator, case=item.case, item=item, owner=owner,
                                  description="Gesprek met de leerlingbegeleider plannen.",
                                  due_on=timezone.localdate() + datetime.timedelta(days=1))  # fmt: skip
    for item in first.items.filter(case__status=CaseStatus.CLOSED):
        _agreed(coordinator, item, "inform_subject")
    _finalise(coordinator, first, first_day)
    for case in _closed(cell):  # whoever informs the person records it, on the day it happened
        informing_record(
            member=coordinator,
            case=case,
            kind=InformingKind.INFORMED,
            informed_on=_day(INFORMED_DAYS_AGO),
            message="Je werd besproken aan de LIVC-R.",
        )
        InformingEntry.objects.filter(case=case, kind=InformingKind.INFORMED).update(
            recorded_at=days_ago(INFORMED_DAYS_AGO)
        )
    done, overdue = Action.objects.filter(item__meeting=first).order_by("case__reference")[:2]
    Action.objects.filter(pk=done.pk).update(
        status=ActionStatus.DONE, due_on=_day(FIRST_MEETING_DAYS_AGO - 21), closed_at=days_ago(60)
    )
    Action.objects.filter(pk=overdue.pk).update(due_on=_day(5))  # comes back to the next table

    last_day = days_ago(LAST_MEETING_DAYS_AGO)
    last = _held(coordinator, last_day, cases, topic="Afspraken met de scholen")
    for item in last.items.select_related("case"):
        if item.case is None:
            continue
        if item.case.status == CaseStatus.FOLLOW_UP:  # a plan for an open case would change its status
            decisions.decision_record(member=coordinator, item=item, kind="follow_up_plan", text=PLAN)
        actions.action_create(member=coordinator, case=item.case, item=item, owner=owner,
                              description="Terugkoppeling van het gesprek met de school.",
                              due_on=timezone.localdate() + datetime.timedelta(days=7))  # fmt: skip
    feedback_item = last.items.filter(case__isnull=False).order_by("position").first()
    if feedback_item is not None:
        _feedback(coordinator, feedback_item)
        _agreed(coordinator, feedback_item, "inform_subject")  # the person is now to be informed
    _finalise(coordinator, last, last_day)

    upcoming = meetings.meeting_create(
        member=coordinator, kind="operational", location=LOCATION,
        starts_at=_at_two(timezone.now() + datetime.timedelta(days=NEXT_MEETING_IN_DAYS)),
        title=_title(timezone.now() + datetime.timedelta(days=NEXT_MEETING_IN_DAYS)),
    )  # fmt: skip
    for case in cases[:1]:  # the other open case is left to add: the agenda shows it, not new
        meetings.agenda_add_case(member=coordinator, meeting=upcoming, case=case)
    meetings.agenda_add_actions_review(member=coordinator, meeting=upcoming)
    # The CLB's fixed representative names her substitute for the next meeting.
    fixed = Participant.objects.filter(cell=cell, is_fixed_representative=True, substitute__isnull=False)
    for rep in fixed.select_related("membership")[:1]:
        stand_ins.stand_in_name(member=rep.membership, meeting=upcoming, representative=rep)
    calendar.meeting_publish(member=coordinator, meeting=upcoming)  # those invited are told
    _proposals(coordinator, cases[1:])


def _seed_german_cell(demo: Demo) -> None:
    """Hochwalden's one meeting, held: its case discussed, an action for the school psychologist."""
    cell = demo.cells["hochwalden"]
    if Meeting.objects.filter(cell=cell).exists():
        return
    coordinator = Membership.objects.get(cell=cell, role=Role.COORDINATOR)
    cases = list(Case.objects.filter(cell=cell).exclude(status=CaseStatus.CLOSED).order_by("reference"))
    owner = Participant.objects.get(cell=cell, membership__user__email="schulpsychologie@hochwalden.example")
    day = days_ago(GERMAN_MEETING_DAYS_AGO)
    meeting = _held(coordinator, day, cases, topic="Zusammenarbeit mit den Schulen", words=GERMAN)
    for item in meeting.items.filter(case__isnull=False).select_related("case"):
        assert item.case is not None
        actions.action_create(member=coordinator, case=item.case, item=item, owner=owner,
                              description="Gespräch mit den Eltern vorbereiten.",
                              due_on=timezone.localdate() + datetime.timedelta(days=10))  # fmt: skip
    _finalise(coordinator, meeting, day)


def _proposals(coordinator: Membership, others: list[Case]) -> None:
    """The school counsellor proposes a case she sits at for a meeting's agenda (it waits for the
    coordinator; the mayor, who sees every case, proposes one if she sits at none), and a topic
    the coordinator declined with a message."""
    counsellor = Membership.objects.get(cell=coordinator.cell, user__email="clb@demostad.example")
    mayor = Membership.objects.filter(cell=coordinator.cell, role=Role.MAYOR).first()
    seated = [case for case in others if case_visible_list(member=counsellor).filter(pk=case.pk).exists()]
    proposer = counsellor if seated else mayor
    if (seated or others) and proposer is not None:
        reason = "De school meldt nieuwe signalen sinds het vorige overleg."
        proposals.proposal_submit(member=proposer, case=(seated or others)[0], reason=reason)
    topic = proposals.proposal_submit(
        member=counsellor, topic="Samenwerking met de jeugdbewegingen",
        reason="Enkele jeugdbewegingen vragen hoe ze zorgen kunnen melden.",
    )  # fmt: skip
    message = "Dit agenderen we op de strategische tafel van het voorjaar."
    proposals.proposal_decline(member=coordinator, proposal=topic, message=message)


def _day(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _closed(cell: Cell) -> list[Case]:
    """Cases closed since: they were open, and discussed, at the first meeting."""
    return list(Case.objects.filter(cell=cell, status=CaseStatus.CLOSED).order_by("reference"))


def _held(
    coordinator: Membership,
    when: datetime.datetime,
    cases: list[Case],
    topic: str | None,
    closed_since: Sequence[Case] = (),
    words: Words = DUTCH,
) -> Meeting:
    """A meeting that took place on `when`'s day: agenda, attendance, minutes; ended, not yet final."""
    meeting = meetings.meeting_create(
        member=coordinator, kind="operational", title=_title(when, words), starts_at=_at_two(when),
        location=words.location,
    )  # fmt: skip
    for case in cases:
        meetings.agenda_add_case(member=coordinator, meeting=meeting, case=case)
    for case in closed_since:  # the service refuses a closed case today; back then it was open
        AgendaItem.objects.create(meeting=meeting, position=meeting.items.count() + 1, kind="case", case=case)
    if topic:
        meetings.agenda_add_topic(member=coordinator, meeting=meeting, topic=topic)
    meetings.meeting_start(member=coordinator, meeting=meeting, other_day_confirmed=True)
    for participant in Participant.objects.filter(cell=coordinator.cell, membership__is_active=True):
        meetings.attendance_record(
            member=coordinator, meeting=meeting, participant=participant, status="present", acknowledged=True
        )
    for item in meeting.items.select_related("case"):
        if item.case is None:
            meetings.minutes_save(member=coordinator, item=item, version=item.version,
                                  agreements=words.topic_agreements)  # fmt: skip
        else:
            meetings.minutes_save(member=coordinator, item=item, version=item.version,
                                  signals=words.signals, assessment=words.assessment,
                                  agreements=words.agreements)  # fmt: skip
    return meetings.meeting_end(member=coordinator, meeting=meeting)


def _agreed(coordinator: Membership, item: AgendaItem, kind: str, text: str = "") -> Decision:
    """A decision that every participant present for the item agreed to."""
    decision = decisions.decision_record(member=coordinator, item=item, kind=kind, text=text)
    for participant in decisions.present_participants(item):
        decision = decisions.agreement_record(
            member=coordinator, decision=decision, participant=participant, agrees=True
        )
    return decision


def _feedback(coordinator: Membership, item: AgendaItem) -> None:
    """Feedback to the Local Taskforce listing the case's two items: the officer consents to the use
    of his own and passes it on; the school's waits for its owner's answer (rule 9)."""
    assert item.case is not None
    shared = InformationItem.objects.filter(case=item.case, consent=True, withdrawn_at__isnull=True)
    decision = decisions.decision_record(
        member=coordinator, item=item, kind="ltf_feedback", text="De LTF informeren over de opvolging.",
        items=list(shared),
    )  # fmt: skip
    for participant in decisions.present_participants(item):
        decision = decisions.agreement_record(
            member=coordinator, decision=decision, participant=participant, agrees=True
        )
    officer = Membership.objects.get(cell=coordinator.cell, role=Role.INFORMATION_OFFICER)
    for use in ItemUse.objects.filter(decision_id=decision.pk, item__owner__membership=officer):
        uses.use_answer(member=officer, use=use, consent=True)
    decisions.pass_on_to_ltf(member=officer, decision=decision)


def _finalise(coordinator: Membership, meeting: Meeting, when: datetime.datetime) -> None:
    """Finalise, then put every date back on the day the meeting took place (finalised the next)."""
    meetings.meeting_finalise(member=coordinator, meeting=meeting)
    held = _at_two(when)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=held, finalised_at=held + datetime.timedelta(days=1)
    )
    Attendance.objects.filter(meeting=meeting).update(acknowledged_at=held)
    Decision.objects.filter(item__meeting=meeting).update(recorded_at=held, decided_at=held)
    Decision.objects.filter(item__meeting=meeting, passed_on_at__isnull=False).update(passed_on_at=held)
    uses_of_meeting = ItemUse.objects.filter(
        decision_id__in=Decision.objects.filter(item__meeting=meeting).values("pk")
    )
    uses_of_meeting.update(asked_at=held)
    uses_of_meeting.filter(consent_at__isnull=False).update(consent_at=held)
    uses_of_meeting.filter(carried_out_at__isnull=False).update(carried_out_at=held)
    InformingEntry.objects.filter(
        decision_id__in=Decision.objects.filter(item__meeting=meeting).values("pk")
    ).update(recorded_at=held, decided_on=timezone.localdate(held))
    Agreement.objects.filter(decision__item__meeting=meeting).update(recorded_at=held)
    Action.objects.filter(item__meeting=meeting).update(created_at=held)
    Case.objects.filter(agenda_items__meeting=meeting).update(last_discussed_on=timezone.localdate(held))
