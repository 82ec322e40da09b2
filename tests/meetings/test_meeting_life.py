"""A meeting's life as the coordinator lives it: planned (and corrected), started on the day it
really meets, ended, finalised after a confirmation, and read-only from then on."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.forms import ActionForm, AttendanceForm, DecisionForm, MinutesForm
from meetings.models import AgendaItem, Attendance, Decision, MeetingStatus
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from tests.meetings.conftest import end_and_finalise, write_minutes

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def page(response):
    return response.content.decode()


# --- Finalising ------------------------------------------------------------------------------


def test_finalising_is_refused_before_the_meeting_ended(cast, as_user, members, running):
    with pytest.raises(ValidationError, match="End the meeting first"):
        meeting_services.meeting_finalise(member=members["coordinator"], meeting=running)
    client = as_user(cast.alice)
    assert "Finalise the minutes" not in page(client.get(url("detail", pk=running.pk)))
    response = client.post(url("advance", pk=running.pk, step="finalise"), {"confirm": "yes"}, follow=True)
    assert response.status_code == 200 and "End the meeting first" in page(response)
    response = client.get(url("advance", pk=running.pk, step="finalise"), follow=True)
    assert "End the meeting first" in page(response)
    running.refresh_from_db()
    assert running.status == MeetingStatus.IN_PROGRESS


def test_finalising_is_confirmed_on_a_page_that_lists_what_locks(cast, as_user, members, running, agenda):
    client = as_user(cast.alice)
    client.post(url("advance", pk=running.pk, step="end"))
    detail = page(client.get(url("detail", pk=running.pk)))
    confirm_url = url("advance", pk=running.pk, step="finalise")
    assert f'href="{confirm_url}"' in detail  # a link to the confirmation, not a button that finalises
    confirmation = page(client.get(confirm_url))
    assert "Finalising cannot be undone" in confirmation
    assert "the minutes of the 3 agenda items become read-only" in confirmation
    assert "the 2 cases discussed get" in confirmation
    client.post(confirm_url)  # without the confirmation: back to the confirmation page
    running.refresh_from_db()
    assert running.status == MeetingStatus.HELD
    response = client.post(confirm_url, {"confirm": "yes"}, follow=True)
    assert "The minutes are finalised and read-only" in page(response)
    running.refresh_from_db()
    assert running.status == MeetingStatus.FINALISED


def test_the_confirmation_warns_of_decisions_still_awaiting_agreement(
    cast, as_user, members, running, agenda
):
    decision_services.decision_record(
        member=members["coordinator"], item=agenda["case_a"], kind="ltf_feedback"
    )
    meeting_services.meeting_end(member=members["coordinator"], meeting=running)
    confirmation = page(as_user(cast.alice).get(url("advance", pk=running.pk, step="finalise")))
    assert "1 decision still awaits agreement" in confirmation


# --- Read-only once finalised -------------------------------------------------------------------


@pytest.fixture
def finalised(members, running, agenda):
    write_minutes(members, agenda["case_a"], "EIK-NOTULEN")
    decision = decision_services.decision_record(
        member=members["coordinator"], item=agenda["case_a"], kind="ltf_feedback"
    )
    end_and_finalise(members, running)
    running.refresh_from_db()
    return {"meeting": running, "decision": decision}


def test_a_finalised_meeting_shows_no_forms_to_change_it(cast, as_user, finalised, agenda):
    meeting = finalised["meeting"]
    client = as_user(cast.alice)
    detail = page(client.get(url("detail", pk=meeting.pk)))
    assert "read-only" in detail
    for change in ("case", "topic", "review", "up", "down", "remove"):
        assert url("agenda", pk=meeting.pk, change=change) not in detail, change
    for step in ("start", "end", "finalise"):
        assert url("advance", pk=meeting.pk, step=step) not in detail, step
    assert 'class="attendance-form"' not in detail and "Add to the agenda" not in detail
    run = page(client.get(url("run", pk=meeting.pk) + f"?item={agenda['case_a'].pk}"))
    assert "The minutes were finalised on" in run
    assert "<textarea" not in run and "EIK-NOTULEN" in run
    for name in ("minutes_save", "decision_new", "action_new"):
        assert url(name, pk=meeting.pk, item_pk=agenda["case_a"].pk) not in run, name
    assert "decision_step" not in run and "/agree/" not in run


def test_writes_to_a_finalised_meeting_are_refused_with_a_message(cast, as_user, finalised, agenda, seats):
    meeting, case_item = finalised["meeting"], agenda["case_a"]
    client = as_user(cast.alice)
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    posts = [
        (url("attendance", pk=meeting.pk, participant_pk=seats["participant"].pk), {"status": "absent"}),
        (url("agenda", pk=meeting.pk, change="topic"), {"topic": "Nog iets"}),
        (url("agenda", pk=meeting.pk, change="remove"), {"item": agenda["topic"].pk}),
        (url("minutes_save", pk=meeting.pk, item_pk=case_item.pk), {"version": 1, "signals": "Later."}),
        (url("decision_new", pk=meeting.pk, item_pk=case_item.pk), {"kind": "follow_up_plan", "text": "Plan"}),
        (url("action_new", pk=meeting.pk, item_pk=case_item.pk),
         {"description": "X", "owner": seats["participant"].pk, "due_on": due}),
        (url("decision_step", pk=meeting.pk, decision_pk=finalised["decision"].pk, step="agree"),
         {"participant": seats["participant"].pk, "agrees": "yes"}),
        (url("advance", pk=meeting.pk, step="end"), {}),
    ]  # fmt: skip
    for address, data in posts:
        response = client.post(address, data, follow=True)
        assert response.status_code == 200, address
        assert "finalised" in page(response), address
    case_item.refresh_from_db()
    assert case_item.signals == "EIK-NOTULEN" and case_item.decisions.count() == 1
    assert not case_item.actions.exists() and meeting.items.count() == 3
    assert not Attendance.objects.filter(meeting=meeting, status="absent").exists()
    assert not finalised["decision"].agreements.exists()


def test_an_autosave_to_a_finalised_meeting_says_why_it_was_not_saved(cast, as_user, finalised, agenda):
    response = as_user(cast.alice).post(
        url("minutes_save", pk=finalised["meeting"].pk, item_pk=agenda["case_a"].pk),
        {"version": 1, "signals": "Later."}, HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 400 and "finalised" in page(response)


# --- Dates that are true ---------------------------------------------------------------------------


@pytest.fixture
def next_week(members, rules, acknowledged_again, seats):
    return meeting_services.meeting_create(
        member=members["coordinator"], kind="operational", title="Casusoverleg",
        starts_at=timezone.now() + datetime.timedelta(days=7), location="Zaal 1",
    )  # fmt: skip


def test_starting_on_another_day_asks_to_confirm_and_records_the_real_date(cast, as_user, members, next_week):
    with pytest.raises(meeting_services.OtherDayStart):
        meeting_services.meeting_start(member=members["coordinator"], meeting=next_week)
    client = as_user(cast.alice)
    confirm_url = url("advance", pk=next_week.pk, step="start")
    assert f'href="{confirm_url}"' in page(client.get(url("detail", pk=next_week.pk)))
    response = client.post(confirm_url)
    assert response.status_code == 302 and response["Location"] == confirm_url
    next_week.refresh_from_db()
    assert next_week.status == MeetingStatus.PLANNED
    confirmation = page(client.get(confirm_url))
    assert "Start the meeting on another day?" in confirmation and "Yes, start it today" in confirmation
    before = timezone.now()
    client.post(confirm_url, {"confirm": "yes"})
    next_week.refresh_from_db()
    assert next_week.status == MeetingStatus.IN_PROGRESS
    assert timezone.localtime(next_week.starts_at).date() == timezone.localdate()
    assert next_week.starts_at >= before


def test_starting_on_the_planned_day_needs_no_confirmation(cast, as_user, meeting):
    response = as_user(cast.alice).post(url("advance", pk=meeting.pk, step="start"))
    assert response.status_code == 302 and response["Location"] == url("run", pk=meeting.pk)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_PROGRESS


def test_the_last_discussion_is_the_day_the_meeting_met_and_never_in_the_future(
    members, next_week, case_a, other_case
):
    coordinator = members["coordinator"]
    meeting_services.agenda_add_case(member=coordinator, meeting=next_week, case=case_a)
    meeting_services.meeting_start(member=coordinator, meeting=next_week, other_day_confirmed=True)
    meeting_services.meeting_end(member=coordinator, meeting=next_week)
    meeting_services.meeting_finalise(member=coordinator, meeting=next_week)
    case_a.refresh_from_db()
    assert case_a.last_discussed_on == timezone.localdate()
    # Even a date in the future that got into the record some other way is never copied.
    later = meeting_services.meeting_create(member=coordinator, kind="operational", title="Later",
                                            starts_at=timezone.now())  # fmt: skip
    meeting_services.agenda_add_case(member=coordinator, meeting=later, case=other_case)
    meeting_services.meeting_start(member=coordinator, meeting=later, other_day_confirmed=True)
    meeting_services.meeting_end(member=coordinator, meeting=later)
    type(later).objects.filter(pk=later.pk).update(starts_at=timezone.now() + datetime.timedelta(days=9))
    later.refresh_from_db()
    meeting_services.meeting_finalise(member=coordinator, meeting=later)
    other_case.refresh_from_db()
    assert other_case.last_discussed_on == timezone.localdate()


def test_the_coordinator_changes_a_planned_meetings_date_title_and_location(cast, as_user, next_week):
    client = as_user(cast.alice)
    form = page(client.get(url("edit", pk=next_week.pk)))
    assert 'value="Casusoverleg"' in form and 'name="kind"' not in form
    day = timezone.localdate() + datetime.timedelta(days=14)
    response = client.post(url("edit", pk=next_week.pk),
                           {"title": "Casusoverleg (verplaatst)", "starts_at": f"{day.isoformat()}T09:30",
                            "location": "Zaal 2"}, follow=True)  # fmt: skip
    assert "Meeting changed." in page(response)
    next_week.refresh_from_db()
    assert next_week.title == "Casusoverleg (verplaatst)" and next_week.location == "Zaal 2"
    assert timezone.localtime(next_week.starts_at).date() == day


def test_a_bad_date_comes_back_with_its_message(cast, as_user, next_week):
    response = as_user(cast.alice).post(url("edit", pk=next_week.pk), {"title": "X", "starts_at": "morgen"})
    assert response.status_code == 200 and "Enter a valid date/time." in page(response)


def test_a_started_or_finalised_meeting_keeps_its_date(cast, as_user, members, running):
    with pytest.raises(ValidationError, match="Only a planned meeting"):
        meeting_services.meeting_update(member=members["coordinator"], meeting=running, title="X",
                                        starts_at=timezone.now())  # fmt: skip
    client = as_user(cast.alice)
    response = client.post(
        url("edit", pk=running.pk), {"title": "X", "starts_at": "2026-01-01T10:00"}, follow=True
    )
    assert "Only a planned meeting can be changed" in page(response)
    assert "Change date, title or location" not in page(client.get(url("detail", pk=running.pk)))
    end_and_finalise(members, running)
    response = client.get(url("edit", pk=running.pk), follow=True)
    assert "Only a planned meeting can be changed" in page(response)
    running.refresh_from_db()
    assert running.title == "Casusoverleg november"


def test_only_the_coordinator_changes_a_meeting(cast, as_user, next_week):
    assert as_user(cast.bob).get(url("edit", pk=next_week.pk)).status_code == 403
    assert as_user(cast.charlie).get(url("edit", pk=next_week.pk)).status_code == 404


# --- Topics: one text ---------------------------------------------------------------------------------


def test_a_topic_has_one_minutes_field(cast, as_user, members, running, agenda):
    assert list(MinutesForm(kind="topic").visible_fields()[i].name for i in range(1)) == ["agreements"]
    assert len(MinutesForm(kind="topic").visible_fields()) == 1
    assert str(MinutesForm(kind="topic").fields["agreements"].label) == "Minutes"
    assert [f.name for f in MinutesForm(kind="case").visible_fields()] == [
        "signals",
        "assessment",
        "agreements",
    ]
    client = as_user(cast.alice)
    run = page(client.get(url("run", pk=running.pk) + f"?item={agenda['topic'].pk}"))
    assert "Minutes:" in run and "Signals:" not in run and "Assessment:" not in run
    client.post(url("minutes_save", pk=running.pk, item_pk=agenda["topic"].pk),
                {"version": 0, "agreements": "Jaarplanning afgesproken."})  # fmt: skip
    topic = AgendaItem.objects.get(pk=agenda["topic"].pk)
    assert topic.agreements == "Jaarplanning afgesproken." and topic.signals == ""
    with pytest.raises(ValidationError, match="one text"):
        meeting_services.minutes_save(member=members["coordinator"], item=topic, version=topic.version,
                                      signals="Signalen", agreements="")  # fmt: skip


# --- The agenda: every change confirmed --------------------------------------------------------


def test_every_agenda_change_is_confirmed(cast, as_user, meeting, case_a, other_case):
    client = as_user(cast.alice)

    def post(change, **data):
        return page(client.post(url("agenda", pk=meeting.pk, change=change), data, follow=True))

    assert f"Case {case_a.reference} added to the agenda." in post("case", case=case_a.pk)
    assert f"Case {other_case.reference} added to the agenda." in post("case", case=other_case.pk)
    assert "Topic added to the agenda." in post("topic", topic="Jaarplanning")
    assert "The review of open actions is on the agenda." in post("review")
    first, second, topic, review = meeting.items.order_by("position")
    assert "Item moved down." in post("down", item=first.pk)
    assert "Item moved up." in post("up", item=first.pk)
    assert "The item is already first." in post("up", item=first.pk)
    assert "The item is already last." in post("down", item=review.pk)
    assert "Item removed from the agenda." in post("remove", item=topic.pk)
    assert "Choose the case to add." in post("case", case="")
    assert list(meeting.items.order_by("position")) == [first, second, review]


def test_the_agenda_says_why_no_case_can_be_added(cast, as_user, meeting, case_a):
    client = as_user(cast.alice)
    client.post(url("agenda", pk=meeting.pk, change="case"), {"case": case_a.pk})
    assert "Every open case is already on this agenda." in page(client.get(url("detail", pk=meeting.pk)))


def test_without_open_cases_the_agenda_says_where_cases_come_from(cast, as_user, meeting):
    detail = page(as_user(cast.alice).get(url("detail", pk=meeting.pk)))
    assert "There is no open case to add." in detail and "The agenda is empty." in detail


def test_a_case_discussed_at_a_finalised_meeting_is_not_new(cast, as_user, members, running, agenda, case_a):
    end_and_finalise(members, running)
    coordinator = members["coordinator"]
    later = meeting_services.meeting_create(member=coordinator, kind="operational", title="Volgende",
                                            starts_at=timezone.now() + datetime.timedelta(days=30))  # fmt: skip
    from tests.meetings.conftest import make_case

    fresh = make_case(members, pseudonym="Persoon Linde", first_name="Lin", last_name="Nieuw")
    detail = page(as_user(cast.alice).get(url("detail", pk=later.pk)))
    assert f"{case_a.reference} — Persoon Eik</option>" in detail
    assert f"{fresh.reference} — Persoon Linde (new)</option>" in detail


# --- Nothing preselected -------------------------------------------------------------------------------


def test_every_select_on_the_meeting_forms_opens_on_choose(cast, as_user, members, running, agenda, case_a):
    from cases.services.items import item_add

    item_add(member=members["participant"], case=case_a, text="Gezien op school.", category="identification",
             shared_on=timezone.localdate(), consent=True)  # fmt: skip
    for form in (AttendanceForm(), DecisionForm(case=case_a), ActionForm(cell=cast.cell_a)):
        for field in form:
            if isinstance(field.field.widget, forms.CheckboxSelectMultiple):  # the items a decision uses
                assert list(field.field.choices) and " checked" not in str(field), field.name  # none ticked
            elif hasattr(field.field, "choices") and not field.is_hidden:
                assert str(next(iter(field.field.choices))[1]) == "Choose…", field.name
    run = page(as_user(cast.alice).get(url("run", pk=running.pk) + f"?item={agenda['case_a'].pk}"))
    assert "---------" not in run
    detail = page(as_user(cast.alice).get(url("detail", pk=running.pk)))
    assert "---------" not in detail and '<option value="">Choose…</option>' in detail


def test_an_action_is_due_in_two_weeks_unless_changed(cast):
    form = ActionForm(cell=cast.cell_a)
    assert form["due_on"].value() == timezone.localdate() + datetime.timedelta(days=14)
    assert f'value="{(timezone.localdate() + datetime.timedelta(days=14)).isoformat()}"' in str(
        form["due_on"]
    )


def test_a_decision_without_a_kind_says_to_choose_one(cast, as_user, running, agenda):
    response = as_user(cast.alice).post(
        url("decision_new", pk=running.pk, item_pk=agenda["case_a"].pk), {"kind": ""}
    )
    assert response.status_code == 400 and "This field is required." in page(response)
    assert not Decision.objects.exists()
