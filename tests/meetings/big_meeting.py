"""A finalised meeting of many agenda items, for the minutes PDF at scale (issue 14).

Cases are bulk-created like the benchmark does (a referral per case would take most of the test's
time); the meeting, its items, minutes, decisions, actions and attendance go through the
services, as on the pages. Every third case has bob (the participant) at its table.
"""

import datetime

from django.utils import timezone

from bench.seeding import add_cases
from cases.services.seats import seat_participant
from meetings.models import Meeting
from meetings.services import actions as action_services
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from tests.base import earlier_today

PARAGRAPH = "Signalen en inschatting van de tafel, met afspraken over de opvolging. " * 6


def item_marker(index: int, field: str) -> str:
    """A word printed only in one text (S signals, A assessment, G agreements) of item `index`."""
    return f"MARK{index:03d}{field}"


def big_meeting(members, seats, n_items: int) -> tuple[Meeting, list[int]]:
    """A finalised meeting of `n_items` case items; returns it and the indexes of bob's items.

    Every item has its three texts; every fifth a decision needing everyone's agreement (with
    answers), every fourth a follow-up action."""
    coordinator = members["coordinator"]
    cell, author = coordinator.cell, coordinator.user
    cases = add_cases(
        cell,
        n_items,
        created_by=author,
        reference=lambda index: f"{n_items:03d}-{index + 1:04d}",
        pseudonym=lambda index: f"Persoon {index:03d}",
        aim_signals="Doel.",
    )
    bobs = [index for index in range(n_items) if index % 3 == 0]
    for index in bobs:
        seat_participant(member=coordinator, case=cases[index], participant=seats["participant"])
    meeting = meeting_services.meeting_create(
        member=coordinator, kind="operational", title=f"Casusoverleg {n_items}",
        starts_at=earlier_today(hours=1),
    )  # fmt: skip
    items = [
        meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=case) for case in cases
    ]
    meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    for name in ("participant", "coordinator", "mayor", "officer"):
        meeting_services.attendance_record(
            member=coordinator, meeting=meeting, participant=seats[name], status="present", acknowledged=True
        )
    due = timezone.localdate() + datetime.timedelta(days=14)
    for index, item in enumerate(items):
        item = meeting_services.minutes_save(
            member=coordinator,
            item=item,
            version=0,
            signals=f"{item_marker(index, 'S')} {PARAGRAPH}",
            assessment=f"{item_marker(index, 'A')} {PARAGRAPH}",
            agreements=f"{item_marker(index, 'G')} {PARAGRAPH}",
        )
        if index % 5 == 0:
            decision = decision_services.decision_record(
                member=coordinator, item=item, kind="ltf_feedback", text=f"Besluit {index}"
            )
            for name in ("coordinator", "mayor"):
                decision_services.agreement_record(
                    member=coordinator, decision=decision, participant=seats[name], agrees=True
                )
        if index % 4 == 0:
            action_services.action_create(
                member=coordinator, case=item.case, item=item, description=f"Actie {index}",
                owner=seats["officer"], due_on=due,
            )  # fmt: skip
    meeting.refresh_from_db()
    meeting_services.meeting_end(member=coordinator, meeting=meeting)
    meeting_services.meeting_finalise(member=coordinator, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, bobs
