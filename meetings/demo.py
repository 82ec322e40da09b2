"""Invented demo meetings of the cell Demostad: one past with finalised minutes and actions,
one upcoming with its agenda. Runs after the cases app's demo data."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseStatus
from livc.cells.demo import Demo
from livc.cells.models import Membership, Role
from meetings.models import Meeting
from meetings.services import actions, meetings
from participants.models import Participant

TODAY = timezone.localdate


@transaction.atomic
def seed(demo: Demo) -> None:
    """One past meeting with finalised minutes, one upcoming meeting with its agenda."""
    cell, now = demo.cells["demostad"], timezone.now()
    if Meeting.objects.filter(cell=cell).exists():
        return  # demo meetings exist already: keep them as they are
    coordinator = Membership.objects.get(cell=cell, role=Role.COORDINATOR)
    open_cases = list(Case.objects.filter(cell=cell).exclude(status=CaseStatus.CLOSED).order_by("reference"))
    owner = Participant.objects.get(cell=cell, membership__user__email="clb@demostad.example")
    past = meetings.meeting_create(
        member=coordinator, kind="operational", title="Casusoverleg oktober (demo)",
        starts_at=now - datetime.timedelta(days=14), location="Stadhuis, zaal 2",
    )  # fmt: skip
    for case in open_cases:
        meetings.agenda_add_case(member=coordinator, meeting=past, case=case)
    meetings.agenda_add_topic(member=coordinator, meeting=past, topic="Afspraken met de scholen")
    meetings.meeting_advance(member=coordinator, meeting=past)
    for participant in Participant.objects.filter(cell=cell, membership__is_active=True):
        meetings.attendance_record(
            member=coordinator, meeting=past, participant=participant, status="present", acknowledged=True
        )
    for item in past.items.select_related("case"):
        if item.case is None:
            minutes = {"signals": "", "assessment": "", "agreements": "Scholen krijgen een infosessie."}
        else:
            minutes = {
                "signals": "Toestand besproken aan tafel.",
                "assessment": "Geen acuut risico; opvolging loopt.",
                "agreements": "School en CLB blijven in contact.",
            }
            actions.action_create(
                member=coordinator, case=item.case, item=item, owner=owner,
                description="Gesprek met de leerlingbegeleider plannen.",
                due_on=TODAY() + datetime.timedelta(days=7),
            )  # fmt: skip
        meetings.minutes_save(member=coordinator, item=item, version=item.version, **minutes)
    meetings.meeting_finalise(member=coordinator, meeting=past)
    upcoming = meetings.meeting_create(
        member=coordinator, kind="operational", title="Casusoverleg december (demo)",
        starts_at=now + datetime.timedelta(days=10), location="Stadhuis, zaal 2",
    )  # fmt: skip
    for case in open_cases:
        meetings.agenda_add_case(member=coordinator, meeting=upcoming, case=case)
    meetings.agenda_add_actions_review(member=coordinator, meeting=upcoming)
