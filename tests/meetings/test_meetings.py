import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from livc.cells.models import Membership
from meetings.models import Attendance, Meeting, MeetingStatus
from meetings.services import meetings as meeting_services
from participants.models import RulesOfProcedure

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def test_a_meeting_records_the_rules_version_it_runs_under(meeting, rules):
    assert meeting.rules == rules and meeting.status == MeetingStatus.PLANNED


def test_no_meeting_without_rules_of_procedure_in_force(cast, members, seats):
    with pytest.raises(ValidationError, match="rules of procedure in force"):
        meeting_services.meeting_create(member=members["coordinator"], kind="operational", title="X",
                                        starts_at=timezone.now())  # fmt: skip


def test_no_meeting_without_the_legal_minimum_composition(cast, members, rules):
    Membership.objects.filter(user=cast.officer).update(
        clearance_expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="Information officer"):
        meeting_services.meeting_create(member=members["coordinator"], kind="operational", title="X",
                                        starts_at=timezone.now())  # fmt: skip
    assert not Meeting.objects.exists()


def test_the_page_says_why_a_meeting_cannot_be_planned(cast, as_user, seats):
    response = as_user(cast.alice).post(url("new"), {"kind": "operational", "title": "Overleg",
                                                     "starts_at": "2026-12-01T14:00"})  # fmt: skip
    assert response.status_code == 200
    assert "rules of procedure in force" in response.content.decode()
    assert 'value="Overleg"' in response.content.decode()


def test_a_strategic_meeting_refuses_a_case(members, rules, case_a, acknowledged_again):
    strategic = meeting_services.meeting_create(member=members["coordinator"], kind="strategic", title="Beleid",
                                                starts_at=timezone.now())  # fmt: skip
    with pytest.raises(ValidationError, match="no case or person"):
        meeting_services.agenda_add_case(member=members["coordinator"], meeting=strategic, case=case_a)
    meeting_services.agenda_add_topic(member=members["coordinator"], meeting=strategic, topic="Jaarverslag")
    assert strategic.items.count() == 1


def test_the_agenda_is_reordered(members, meeting, agenda):
    meeting_services.agenda_move(member=members["coordinator"], item=agenda["topic"], up=True)
    kinds = list(meeting.items.order_by("position").values_list("pk", flat=True))
    assert kinds == [agenda["case_a"].pk, agenda["topic"].pk, agenda["other"].pk]


def test_a_case_is_on_the_agenda_once(members, meeting, agenda, case_a):
    with pytest.raises(ValidationError, match="already on the agenda"):
        meeting_services.agenda_add_case(member=members["coordinator"], meeting=meeting, case=case_a)


def test_a_participant_attends_only_the_items_of_their_cases(members, meeting, agenda, seats):
    attendance = meeting_services.attendance_record(member=members["coordinator"], meeting=meeting,
                                                    participant=seats["participant"], status="present")  # fmt: skip
    assert set(attendance.items.all()) == {agenda["case_a"], agenda["topic"]}
    with pytest.raises(ValidationError, match="only the items of cases"):
        meeting_services.attendance_record(member=members["coordinator"], meeting=meeting,
                                           participant=seats["participant"], status="present",
                                           items=[agenda["other"]])  # fmt: skip


def test_during_the_meeting_case_content_waits_for_the_meetings_acknowledgement(
    cast, as_user, running, seats
):
    Attendance.objects.filter(participant=seats["participant"]).update(acknowledged_at=None)
    client = as_user(cast.bob)
    page = client.get(url("detail", pk=running.pk)).content.decode()
    assert "Secrecy of the table, for this meeting" in page
    client.post(url("acknowledge", pk=running.pk), {"acknowledge": "on"})
    assert Attendance.objects.get(participant=seats["participant"]).acknowledged_at is not None
    assert (
        "Secrecy of the table, for this meeting"
        not in client.get(url("detail", pk=running.pk)).content.decode()
    )


def test_finalising_locks_the_minutes_and_sets_the_last_discussion(cast, members, running, agenda, case_a):
    from tests.meetings.conftest import write_minutes

    write_minutes(members, agenda["case_a"], "Eerste bespreking.")
    meeting_services.meeting_end(member=members["coordinator"], meeting=running)
    meeting_services.meeting_finalise(member=members["coordinator"], meeting=running)
    case_a.refresh_from_db()
    assert case_a.last_discussed_on == timezone.localtime(running.starts_at).date()
    with pytest.raises(ValidationError, match="finalised"):
        write_minutes(members, agenda["case_a"], "Later gewijzigd.")
    addendum = meeting_services.addendum_add(
        member=members["coordinator"], item=agenda["case_a"], text="Correctie."
    )
    later = meeting_services.meeting_create(member=members["coordinator"], kind="operational", title="Volgende",
                                            starts_at=timezone.now() + datetime.timedelta(days=30))  # fmt: skip
    meeting_services.addendum_approve(member=members["coordinator"], addendum=addendum, meeting=later)
    addendum.refresh_from_db()
    assert addendum.approved_at_meeting == later


def test_a_correction_is_approved_at_a_later_meeting_only(members, running, agenda):
    meeting_services.meeting_end(member=members["coordinator"], meeting=running)
    meeting_services.meeting_finalise(member=members["coordinator"], meeting=running)
    addendum = meeting_services.addendum_add(
        member=members["coordinator"], item=agenda["topic"], text="Correctie."
    )
    with pytest.raises(ValidationError, match="later meeting"):
        meeting_services.addendum_approve(member=members["coordinator"], addendum=addendum, meeting=running)


@pytest.mark.parametrize("who", ["charlie", "dpo"])
def test_charlie_and_the_dpo_get_404_on_the_meeting_pages(cast, as_user, running, agenda, who):
    client = as_user(getattr(cast, who))
    for name, kwargs in [("detail", {}), ("minutes", {}), ("run", {}), ("pdf", {}),
                         ("item", {"item_pk": agenda["case_a"].pk})]:  # fmt: skip
        assert client.get(url(name, pk=running.pk, **kwargs)).status_code == 404, name


def test_only_the_coordinator_chairs(cast, as_user, running):
    for user in (cast.bob, cast.mayor, cast.officer):
        assert as_user(user).get(url("run", pk=running.pk)).status_code == 403


def test_rules_are_kept_when_the_meeting_references_them(rules, meeting):
    with pytest.raises(Exception):  # noqa: B017 - PROTECT: a version a meeting ran under stays
        RulesOfProcedure.objects.filter(pk=rules.pk).delete()
