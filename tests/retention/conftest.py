"""A cell with two cases discussed at one finalised meeting, everything hanging off them, and a
referral that was not retained; the clock frozen on the meeting's day (20 November 2026).

case_a (bob at its table): an information item, a relation, an informing entry, minutes text,
a correction, a decision and an action; other_case: minutes text only. The mayor has a
minutes PDF. Both are kept until 20 November 2027 and go on the 21st.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.services.cases import relation_add
from cases.services.informing import informing_record
from cases.services.items import item_add
from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from meetings.minutes_pdf import document_fill
from meetings.models import MinutesDocument
from meetings.services import meetings as meeting_services
from meetings.services.actions import action_create
from meetings.services.decisions import decision_record
from retention import services
from tests.meetings.conftest import (
    acknowledged_again,
    agenda,
    case_a,
    meeting,
    members,
    other_case,
    rules,
    running,
    seats,
    write_minutes,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
MEETING_DAY = datetime.date(2026, 11, 20)
KEEP_UNTIL = datetime.date(2027, 11, 20)

# Texts that must not survive a purge anywhere in the database (plaintext, in case one leaks).
SECRETS = (
    "Testeling",
    "Verborgen",
    "Persoon Eik",
    "Persoon Beuk",
    "EIK-INFO-GEHEIM",
    "EIK-MINUTEN-GEHEIM",
    "BEUK-MINUTEN-GEHEIM",
    "EIK-CORRECTIE-GEHEIM",
    "Broer Eikenaar",
    "EIK-ACTIE-GEHEIM",
    "EIK-BESLISSING-GEHEIM",
    "Persoon Linde",
    "LINDE-SIGNAAL-GEHEIM",
)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


@pytest.fixture
def clock(time_machine):
    """Frozen on the meeting's day; tests move it with `clock.move_to(at(day))`."""
    time_machine.move_to(at(MEETING_DAY), tick=False)
    return time_machine


@pytest.fixture
def scenario(clock, cast, members, seats, running, agenda, case_a, other_case):
    coordinator = members["coordinator"]
    item_add(member=members["participant"], case=case_a, text="EIK-INFO-GEHEIM: zegt dingen.",
             category="behaviour", shared_on=MEETING_DAY, consent=True)  # fmt: skip
    relation_add(member=coordinator, case=case_a, kind="sibling", name="Broer Eikenaar",
                 birth_date=datetime.date(2001, 5, 6), notes="Woont samen.", is_minor=False)  # fmt: skip
    informing_record(member=coordinator, case=case_a, kind="deferred",
                     deferral_reason="Lopend onderzoek.", review_on=MEETING_DAY + datetime.timedelta(days=90))  # fmt: skip
    write_minutes(members, agenda["case_a"], "EIK-MINUTEN-GEHEIM over Persoon Eik.")
    write_minutes(members, agenda["other"], "BEUK-MINUTEN-GEHEIM over Persoon Beuk.")
    write_minutes(members, agenda["topic"], "Planning van het jaar.")
    decision_record(
        member=coordinator, item=agenda["case_a"], kind="follow_up_plan", text="EIK-BESLISSING-GEHEIM"
    )
    action_create(member=coordinator, case=case_a, description="EIK-ACTIE-GEHEIM", owner=seats["participant"],
                  due_on=MEETING_DAY + datetime.timedelta(days=14), item=agenda["case_a"])  # fmt: skip
    meeting_services.meeting_end(member=coordinator, meeting=running)
    meeting_services.meeting_finalise(member=coordinator, meeting=running)
    meeting_services.addendum_add(member=coordinator, item=agenda["case_a"], text="EIK-CORRECTIE-GEHEIM")
    document_fill(MinutesDocument.objects.create(meeting=running, recipient=cast.mayor))
    running.refresh_from_db()
    case_a.refresh_from_db()
    other_case.refresh_from_db()
    return {"meeting": running, "case_a": case_a, "other_case": other_case, "agenda": agenda}


@pytest.fixture
def not_retained(clock, members, seats):
    """A referral the coordinator did not retain on the meeting's day: kept 30 days."""
    from cases.services.identity import Identity

    referral = referral_submit(
        member=members["participant"],
        data=ReferralData(
            referred_on=MEETING_DAY, signals="LINDE-SIGNAAL-GEHEIM", pseudonym="Persoon Linde",
            discussed_internally=True, identity=Identity("Lien", "Testeling", datetime.date(2000, 3, 4)),
        ),
    )  # fmt: skip
    referral_qualify(member=members["coordinator"], referral=referral,
                     data=QualificationData(outcome="not_retained", reason="Geen radicalisering."))  # fmt: skip
    referral.refresh_from_db()
    return referral


class Purged:
    """A run and the records it wrote, in order."""

    def __init__(self, run: services.PurgeRun, records: list) -> None:
        self.run, self.records = run, records
        self.failed, self.locked_out = run.failed, run.locked_out


def purge_on(clock, day: datetime.date, *, batch: int = services.BATCH) -> Purged:
    """Move the clock to 3 a.m. on `day` and run the purge, collecting its records."""
    clock.move_to(at(day, hour=3), tick=False)
    assert timezone.localdate() == day
    records: list = []
    return Purged(services.purge_expired(progress=records.append, batch=batch), records)


__all__ = [
    "acknowledged_again",
    "agenda",
    "case_a",
    "meeting",
    "members",
    "other_case",
    "rules",
    "running",
    "seats",
]


def discuss(clock, members, seats, case, day: datetime.date, *, extend_until: datetime.date | None = None):
    """Move the clock to `day` and discuss `case` at a new, finalised meeting; optionally decide
    there to keep its data until `extend_until` (the decision service checks the five years)."""
    clock.move_to(at(day), tick=False)
    coordinator = members["coordinator"]
    meeting = meeting_services.meeting_create(
        member=coordinator, kind="operational", title="Opvolging", starts_at=at(day, hour=9)
    )
    item = meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=case)
    meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    for name in ("coordinator", "mayor", "officer"):
        meeting_services.attendance_record(
            member=coordinator, meeting=meeting, participant=seats[name], status="present", acknowledged=True
        )
    if extend_until is not None:
        decision_record(member=coordinator, item=item, kind="extend_retention",
                        text="Ernstige aanwijzingen van een reëel terrorismerisico.", extend_until=extend_until)  # fmt: skip
    meeting_services.meeting_end(member=coordinator, meeting=meeting)
    meeting_services.meeting_finalise(member=coordinator, meeting=meeting)
    case.refresh_from_db()
    return meeting
