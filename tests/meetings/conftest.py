"""A meeting of cell A with case_a (bob at its table) and other_case on the agenda."""

import pytest
from django.utils import timezone

from meetings.services import meetings as meeting_services
from participants.models import RulesOfProcedure, RulesStatus
from tests.base import earlier_today
from tests.cases.conftest import case_a, make_case, members, other_case, seats


@pytest.fixture
def rules(cast):
    return RulesOfProcedure.objects.create(
        cell=cast.cell_a, version=1, text="Regels.", status=RulesStatus.IN_FORCE, drafted_by=cast.alice,
        approved_by=cast.mayor, approved_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def acknowledged_again(cast, rules):
    """Rules now in force: everyone acknowledges again, as the pages would ask."""
    from participants.rules import acknowledgement_record

    for user in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo):
        acknowledgement_record(cell=cast.cell_a, user=user)


@pytest.fixture
def meeting(members, rules, acknowledged_again):
    return meeting_services.meeting_create(
        member=members["coordinator"], kind="operational", title="Casusoverleg november",
        starts_at=earlier_today(hours=1),
    )  # fmt: skip


@pytest.fixture
def agenda(meeting, members, case_a, other_case):
    coordinator = members["coordinator"]
    first = meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=case_a)
    second = meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=other_case)
    topic = meeting_services.agenda_add_topic(member=coordinator, meeting=meeting, topic="Jaarplanning")
    return {"case_a": first, "other": second, "topic": topic}


@pytest.fixture
def running(meeting, members, agenda, seats):
    """Started; everyone present for what they may attend, secrecy acknowledged in the room."""
    coordinator = members["coordinator"]
    meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    for name in ("participant", "coordinator", "mayor", "officer"):
        meeting_services.attendance_record(
            member=coordinator, meeting=meeting, participant=seats[name], status="present", acknowledged=True
        )
    meeting.refresh_from_db()
    return meeting


def write_minutes(members, item, text):
    """A case item's signals; a topic's (or the review's) one text."""
    item.refresh_from_db()
    if item.kind != "case":
        return meeting_services.minutes_save(
            member=members["coordinator"], item=item, version=item.version, agreements=text
        )
    return meeting_services.minutes_save(
        member=members["coordinator"],
        item=item,
        version=item.version,
        signals=text,
        assessment="",
        agreements="",
    )


def end_and_finalise(members, meeting):
    """End the meeting, then finalise its minutes (finalising waits for the end)."""
    meeting.refresh_from_db()
    if meeting.status == "in_progress":
        meeting_services.meeting_end(member=members["coordinator"], meeting=meeting)
    return meeting_services.meeting_finalise(member=members["coordinator"], meeting=meeting)


__all__ = ["case_a", "end_and_finalise", "make_case", "members", "other_case", "seats", "write_minutes"]
