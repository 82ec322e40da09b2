"""A substitute standing in for a fixed representative at one meeting (issue 19).

Bob is the CLB's fixed representative; dries (a participant of cells A and B) is his recorded
substitute. The meeting has case_a (bob at its table), other_case (bob not at its table) and a
topic on its agenda; case_c has bob at its table but is on the agenda of a later meeting only.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import Case
from cases.services.seats import seat_participant, unseat_participant
from livc.audit.models import LogEntry
from livc.cells.models import Membership
from meetings.models import Attendance, DecisionStatus, Meeting, StandIn
from meetings.selectors import visible_items
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from meetings.services.stand_ins import (
    STAND_IN_ENDED,
    STAND_IN_NAMED,
    STAND_IN_WITHDRAWN,
    stand_in_name,
    stand_in_withdraw,
    stand_ins_end,
)
from participants.rules import acknowledgement_record
from participants.services import participant_revoke
from tests.base import earlier_today
from tests.factories import ParticipantFactory
from tests.meetings.conftest import end_and_finalise, make_case

pytestmark = pytest.mark.django_db


def meeting_url(name, cell="alfa", **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": cell, **kwargs})


def case_url(case, cell="alfa"):
    return reverse("cases:detail", kwargs={"cell_slug": cell, "pk": case.pk})


def status_of(client, case, cell="alfa"):
    return client.get(case_url(case, cell)).status_code


@pytest.fixture
def dries(cast, members, seats, rules):
    """Dries's seat profile in cell A: a participant of the CLB, bob's recorded substitute."""
    membership = Membership.objects.get(cell=cast.cell_a, user=cast.dries)
    profile = ParticipantFactory(membership=membership, organisation=seats["participant"].organisation)
    ParticipantFactory(membership=Membership.objects.get(cell=cast.cell_b, user=cast.dries))
    bob = seats["participant"]
    bob.is_fixed_representative, bob.substitute = True, profile
    bob.save(update_fields=["is_fixed_representative", "substitute"])
    acknowledgement_record(cell=cast.cell_a, user=cast.dries)
    acknowledgement_record(cell=cast.cell_b, user=cast.dries)
    return profile


@pytest.fixture
def bob(seats, dries):
    return seats["participant"]


@pytest.fixture
def case_c(members, seats):
    """Bob sits at its table; it is not on the meeting's agenda."""
    case = make_case(members, pseudonym="Persoon Linde", first_name="Lin", last_name="Anders")
    seat_participant(member=members["coordinator"], case=case, participant=seats["participant"])
    return case


@pytest.fixture
def later(members, meeting, case_c):
    """A later meeting, with case_c on its agenda."""
    later = meeting_services.meeting_create(
        member=members["coordinator"], kind="operational", title="Casusoverleg december",
        starts_at=earlier_today(hours=1),
    )  # fmt: skip
    meeting_services.agenda_add_case(member=members["coordinator"], meeting=later, case=case_c)
    return later


@pytest.fixture
def named(members, meeting, agenda, bob, dries):
    return stand_in_name(member=members["coordinator"], meeting=meeting, representative=bob)


def started(members, meeting):
    meeting_services.meeting_advance(member=members["coordinator"], meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def dries_a(cast):
    return Membership.objects.get(cell=cast.cell_a, user=cast.dries)


def case_items(member, meeting):
    return {item.case_id for item in visible_items(member=member, meeting=meeting) if item.kind == "case"}


# --- What she sees ---------------------------------------------------------------------------------


def test_the_substitute_sees_the_representatives_cases_of_that_meeting_and_nothing_else(
    cast, as_user, members, meeting, agenda, case_a, other_case, case_c, later, bob, dries
):
    client = as_user(cast.dries)
    assert status_of(client, case_a) == 404
    stand_in_name(member=members["coordinator"], meeting=meeting, representative=bob)

    assert status_of(client, case_a) == 200
    assert status_of(client, other_case) == 404  # on the agenda, but bob is not at its table
    assert status_of(client, case_c) == 404  # bob's case, but not on this meeting's agenda
    assert case_items(dries_a(cast), meeting) == {case_a.pk}
    assert case_items(dries_a(cast), later) == set()  # another meeting's item of bob's case
    page = client.get(meeting_url("detail", pk=meeting.pk)).content.decode()
    assert case_a.reference in page and other_case.reference not in page
    other_page = client.get(meeting_url("detail", pk=later.pk)).content.decode()
    assert case_c.reference not in other_page and "Persoon Linde" not in other_page


def test_she_acknowledges_the_secrecy_herself_and_attends_in_his_place(
    cast, as_user, members, meeting, agenda, named, bob, dries
):
    started(members, meeting)
    client = as_user(cast.dries)
    page = client.get(meeting_url("detail", pk=meeting.pk)).content.decode()
    assert "You stand in for Bob Bosmans at this meeting, and acknowledge the secrecy yourself." in page
    client.post(meeting_url("acknowledge", pk=meeting.pk), {"acknowledge": "on"})

    attendance = Attendance.objects.get(meeting=meeting, participant=dries)
    assert attendance.acknowledged_at is not None and attendance.stands_in_for == bob
    assert set(attendance.items.all()) == {agenda["case_a"], agenda["topic"]}
    coordinator_page = as_user(cast.alice).get(meeting_url("detail", pk=meeting.pk)).content.decode()
    assert "Dries Desmet (standing in for Bob Bosmans)" in coordinator_page


def test_she_is_counted_in_the_representatives_place_in_an_agreement_round(
    cast, as_user, members, meeting, agenda, named, seats, bob, dries
):
    started(members, meeting)
    meeting_services.attendance_record(  # the chair, present for the topic only
        member=members["coordinator"], meeting=meeting, participant=seats["coordinator"], status="present",
        items=[agenda["topic"]], acknowledged=True,
    )  # fmt: skip
    meeting_services.attendance_acknowledge(member=dries_a(cast), meeting=meeting)
    meeting_services.attendance_record(  # bob came after all: the substitute still answers for him
        member=members["coordinator"], meeting=meeting, participant=bob, status="present", acknowledged=True
    )
    decision = decision_services.decision_record(
        member=members["coordinator"], item=agenda["case_a"], kind="ltf_feedback", text="Terugkoppeling."
    )
    assert decision_services.present_participants(agenda["case_a"]) == [dries]
    with pytest.raises(ValidationError):
        decision_services.agreement_record(member=members["participant"], decision=decision, participant=bob,
                                           agrees=False)  # fmt: skip
    panel = as_user(cast.alice).get(meeting_url("run", pk=meeting.pk) + f"?item={agenda['case_a'].pk}")
    assert "Dries Desmet (standing in for Bob Bosmans)" in panel.content.decode()

    decision = decision_services.agreement_record(member=dries_a(cast), decision=decision, participant=dries,
                                                  agrees=True)  # fmt: skip
    assert decision.status == DecisionStatus.VALID


# --- When it ends ------------------------------------------------------------------------------------


def test_her_access_ends_when_the_minutes_are_finalised_and_her_attendance_stays(
    cast, as_user, members, meeting, agenda, case_a, named, bob, dries
):
    started(members, meeting)
    meeting_services.attendance_acknowledge(member=dries_a(cast), meeting=meeting)
    client = as_user(cast.dries)
    assert "You stand in for Bob Bosmans at the meeting" in client.get("/c/alfa/").content.decode()

    end_and_finalise(members, meeting)
    assert status_of(client, case_a) == 404
    assert case_items(dries_a(cast), meeting) == set()
    assert StandIn.objects.get(pk=named.pk).ended_at is not None
    attendance = Attendance.objects.get(meeting=meeting, participant=dries)
    assert attendance.stands_in_for == bob and agenda["case_a"] in attendance.items.all()
    minutes = as_user(cast.alice).get(meeting_url("minutes", pk=meeting.pk)).content.decode()
    assert "Dries Desmet (standing in for Bob Bosmans)" in minutes
    assert "You stand in for" not in client.get("/c/alfa/").content.decode()
    assert LogEntry.objects.filter(event=STAND_IN_ENDED, object_pk=str(meeting.pk)).count() == 1


def test_her_access_ends_when_the_naming_is_withdrawn(
    cast, as_user, members, meeting, case_a, named, bob, dries
):
    meeting_services.attendance_acknowledge(member=dries_a(cast), meeting=meeting)  # before it starts
    client = as_user(cast.bob)
    response = client.post(meeting_url("stand_in_withdraw", pk=meeting.pk, stand_in_pk=named.pk))
    assert response.status_code == 302  # bob withdraws it himself
    assert status_of(as_user(cast.dries), case_a) == 404
    attendance = Attendance.objects.get(meeting=meeting, participant=dries)
    assert attendance.stands_in_for is None and not attendance.items.filter(case=case_a).exists()
    assert LogEntry.objects.filter(event=STAND_IN_WITHDRAWN, actor=cast.bob).count() == 1
    with pytest.raises(ValidationError):
        stand_in_withdraw(member=members["coordinator"], stand_in=named)


def test_her_access_ends_when_the_meeting_is_cancelled(cast, as_user, meeting, case_a, named):
    assert stand_ins_end(meeting=meeting) == 1
    assert status_of(as_user(cast.dries), case_a) == 404
    assert stand_ins_end(meeting=meeting) == 0


def test_a_grant_she_holds_through_her_own_seat_stays(cast, as_user, members, meeting, case_a, named, dries):
    seat_participant(member=members["coordinator"], case=case_a, participant=dries)
    stand_ins_end(meeting=meeting)
    assert status_of(as_user(cast.dries), case_a) == 200


def test_a_second_open_stand_in_keeps_the_shared_case(
    cast, as_user, members, meeting, case_a, named, later, bob
):
    meeting_services.agenda_add_case(member=members["coordinator"], meeting=later, case=case_a)
    stand_in_name(member=members["coordinator"], meeting=later, representative=bob)
    client = as_user(cast.dries)
    stand_ins_end(meeting=meeting)
    assert status_of(client, case_a) == 200  # the later meeting's stand-in still gives it
    stand_ins_end(meeting=later)
    assert status_of(client, case_a) == 404


# --- Kept in step ----------------------------------------------------------------------------------------


def test_the_agenda_and_the_seats_keep_her_access_in_step(
    cast, as_user, members, meeting, agenda, case_a, case_c, named, bob, dries
):
    client, coordinator = as_user(cast.dries), members["coordinator"]
    item = meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=case_c)
    assert status_of(client, case_c) == 200
    meeting_services.agenda_remove(member=coordinator, item=item)
    assert status_of(client, case_c) == 404

    seat_participant(member=coordinator, case=case_a, participant=dries)  # her own seat, then none
    unseat_participant(member=coordinator, seat=case_a.seats.get(participant=dries))
    assert status_of(client, case_a) == 200  # the stand-in still gives it
    unseat_participant(member=coordinator, seat=case_a.seats.get(participant=bob))
    assert status_of(client, case_a) == 404  # bob left the table: so does his substitute


def test_revoking_the_substitute_ends_her_stand_in(cast, members, meeting, case_a, named, dries):
    participant_revoke(member=members["coordinator"], participant=dries)
    assert StandIn.objects.get(pk=named.pk).ended_at is not None
    assert not cast.dries.has_perm("cases.view_case", Case.objects.get(pk=case_a.pk))


# --- Who names whom ---------------------------------------------------------------------------------------


def test_only_the_coordinator_or_the_representative_names_a_substitute(
    cast, as_user, members, meeting, agenda, bob, dries
):
    for member in (members["mayor"], members["officer"], dries_a(cast)):
        with pytest.raises(PermissionDenied):
            stand_in_name(member=member, meeting=meeting, representative=bob)
    for user in (cast.mayor, cast.dries):
        response = as_user(user).post(meeting_url("stand_in_name", pk=meeting.pk), {"representative": bob.pk})
        assert response.status_code == 404
    assert not StandIn.objects.exists()

    page = as_user(cast.bob).get(meeting_url("detail", pk=meeting.pk)).content.decode()
    assert "Name the substitute for this meeting" in page
    as_user(cast.bob).post(meeting_url("stand_in_name", pk=meeting.pk), {"representative": bob.pk})
    stand_in = StandIn.objects.get()
    assert (stand_in.representative, stand_in.substitute, stand_in.named_by) == (bob, dries, cast.bob)
    assert LogEntry.objects.filter(event=STAND_IN_NAMED, object_pk=str(meeting.pk)).count() == 1


def test_only_the_recorded_substitute_stands_in(cast, as_user, members, meeting, agenda, seats, bob, dries):
    coordinator = members["coordinator"]
    officer = seats["officer"]  # not a fixed representative
    with pytest.raises(ValidationError):
        stand_in_name(member=coordinator, meeting=meeting, representative=officer)
    response = as_user(cast.alice).post(meeting_url("stand_in_name", pk=meeting.pk),
                                        {"representative": officer.pk}, follow=True)  # fmt: skip
    assert "Select a valid choice" in response.content.decode()

    dries.organisation = seats["officer"].organisation  # moved to another service since
    dries.save(update_fields=["organisation"])
    with pytest.raises(ValidationError):
        stand_in_name(member=coordinator, meeting=meeting, representative=bob)
    dries.organisation = bob.organisation
    dries.save(update_fields=["organisation"])

    Membership.objects.filter(pk=dries.membership_id).update(is_active=False)
    with pytest.raises(ValidationError):
        stand_in_name(member=coordinator, meeting=meeting, representative=bob)
    Membership.objects.filter(pk=dries.membership_id).update(is_active=True)

    stand_in_name(member=coordinator, meeting=meeting, representative=bob)
    with pytest.raises(ValidationError):  # one substitute at a time
        stand_in_name(member=coordinator, meeting=meeting, representative=bob)
    assert StandIn.objects.count() == 1


def test_no_one_stands_in_at_a_finalised_meeting(cast, members, meeting, agenda, bob, dries):
    end_and_finalise(members, started(members, meeting))
    with pytest.raises(ValidationError):
        stand_in_name(member=members["coordinator"], meeting=Meeting.objects.get(pk=meeting.pk),
                      representative=bob)  # fmt: skip


# --- Other cells ---------------------------------------------------------------------------------------------


def test_another_cell_gets_404_and_names_no_one(cast, as_user, members, meeting, agenda, bob, named):
    charlie = as_user(cast.charlie)
    for cell in ("alfa", "bravo"):
        assert charlie.post(meeting_url("stand_in_name", cell, pk=meeting.pk), {"representative": bob.pk}
                            ).status_code == 404  # fmt: skip
        assert charlie.post(meeting_url("stand_in_withdraw", cell, pk=meeting.pk, stand_in_pk=named.pk)
                            ).status_code == 404  # fmt: skip
    with pytest.raises(PermissionDenied):
        stand_in_name(member=members["charlie"], meeting=meeting, representative=bob)
    assert StandIn.objects.get().ended_at is None


def test_a_person_in_two_cells_stands_in_in_one_only(cast, as_user, meeting, case_a, named):
    client = as_user(cast.dries)
    assert status_of(client, case_a) == 200
    assert status_of(client, case_a, cell="bravo") == 404
    assert "You stand in for Bob Bosmans" in client.get("/c/alfa/").content.decode()
    assert "You stand in for" not in client.get("/c/bravo/").content.decode()


# --- The form, sent twice ------------------------------------------------------------------------------------


def test_the_naming_sent_twice_names_once(cast, as_user, meeting, agenda, bob, dries):
    client = as_user(cast.alice)
    page = client.get(meeting_url("detail", pk=meeting.pk)).content.decode()
    form = page[page.index(meeting_url("stand_in_name", pk=meeting.pk)) :]
    token = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', form)[1]
    data = {"representative": bob.pk, "submission_token": token}
    first = client.post(meeting_url("stand_in_name", pk=meeting.pk), data)
    second = client.post(meeting_url("stand_in_name", pk=meeting.pk), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"].split("#")[0] == second["Location"].split("#")[0]
    assert StandIn.objects.count() == 1
    assert LogEntry.objects.filter(event=STAND_IN_NAMED).count() == 1


# --- The demo ----------------------------------------------------------------------------------------------------


def test_the_demo_substitute_stands_in_at_the_next_meeting(as_user):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    stand_in = StandIn.objects.select_related("meeting", "substitute__membership__user").get()
    assert stand_in.meeting.status == "planned" and stand_in.ended_at is None
    substitute = stand_in.substitute.membership
    assert stand_in.representative.substitute == stand_in.substitute
    assert case_items(substitute, stand_in.meeting)  # she sees the next meeting's case of the CLB
    home = as_user(substitute.user).get("/c/demostad/").content.decode()
    assert "Je valt in voor Sara Wilgendaal" in home  # the demo's substitute reads Dutch
