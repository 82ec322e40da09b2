"""Rule 13 as a state machine: "informed" only after a valid decision of the table to inform the
person, in the name of whoever informed them, on the day it happened; the information officer's
objection blocks; deferral with a reason and a review date; no other way into the register."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import InformingEntry
from cases.services.informing import informing_record
from cases.services.seats import unseat_participant
from meetings.models import DecisionStatus
from meetings.services import decisions as decision_services
from participants.rules import acknowledgement_record
from tests.factories import MembershipFactory
from tests.meetings.conftest import acknowledged_again, agenda, meeting, rules, running

pytestmark = pytest.mark.django_db

__all__ = ["acknowledged_again", "agenda", "meeting", "rules", "running"]  # fixtures used below

PRESENT_FOR_CASE_A = ("participant", "coordinator", "mayor", "officer")
SAID = "Je werd besproken aan de cel."


def register(case, slug="alfa"):
    return reverse("cases:informing", kwargs={"cell_slug": slug, "pk": case.pk})


def home(slug="alfa"):
    return reverse("cells:home", kwargs={"cell_slug": slug})


def decide(members, agenda, seats, *, agree=PRESENT_FOR_CASE_A, officer_objects=False):
    """A decision to inform case_a's person, with the answers given at the table."""
    decision = decision_services.decision_record(
        member=members["coordinator"], item=agenda["case_a"], kind="inform_subject"
    )
    for name in agree:
        decision = decision_services.agreement_record(
            member=members["coordinator"], decision=decision, participant=seats[name], agrees=True
        )
    if officer_objects:
        decision = decision_services.officer_objection(
            member=members["officer"], decision=decision, objects=True
        )
    return decision


def informed(day, message=SAID):
    return {"kind": "informed", "informed_on": day.isoformat(), "message": message}


def kinds(case):
    return list(
        InformingEntry.objects.filter(case=case).order_by("recorded_at").values_list("kind", flat=True)
    )


# --- No "informed" without a valid decision ---------------------------------------------------------


@pytest.mark.parametrize("keeper", ["coordinator", "officer"])
def test_the_service_refuses_informed_without_a_decision(members, case_a, keeper):
    with pytest.raises(ValidationError, match="has not decided to inform the person"):
        informing_record(
            member=members[keeper],
            case=case_a,
            kind="informed",
            informed_on=timezone.localdate(),
            message=SAID,
        )
    assert kinds(case_a) == []


@pytest.mark.parametrize("keeper", ["alice", "officer"])
def test_the_page_refuses_informed_without_a_decision_and_keeps_what_was_typed(cast, as_user, case_a, keeper):
    client = as_user(getattr(cast, keeper))
    page = client.get(register(case_a)).content.decode()
    assert "Not informed: the table has not decided to inform the person." in page
    assert "Record that the person was informed" not in page  # not offered
    response = client.post(register(case_a), informed(timezone.localdate(), "Getypt bericht 123."))
    content = response.content.decode()
    assert response.status_code == 200
    assert "The table has not decided to inform the person" in content
    assert "Getypt bericht 123." in content
    assert kinds(case_a) == []


def test_a_decision_still_awaiting_agreement_opens_nothing(members, running, agenda, seats, case_a):
    decision = decide(members, agenda, seats, agree=PRESENT_FOR_CASE_A[:-1])
    assert decision.status == DecisionStatus.AWAITING_AGREEMENT
    with pytest.raises(ValidationError, match="has not decided"):
        informing_record(member=members["coordinator"], case=case_a, kind="informed",
                         informed_on=timezone.localdate(), message=SAID)  # fmt: skip
    assert kinds(case_a) == []


@pytest.mark.parametrize("keeper", ["coordinator", "officer"])
def test_the_officers_objection_blocks_informing(
    cast, as_user, members, running, agenda, seats, case_a, keeper
):
    decision = decide(members, agenda, seats, agree=PRESENT_FOR_CASE_A[:-1], officer_objects=True)
    assert decision.status == DecisionStatus.REFUSED
    assert kinds(case_a) == ["deferred"]
    with pytest.raises(ValidationError, match="deferred"):
        informing_record(member=members[keeper], case=case_a, kind="informed",
                         informed_on=timezone.localdate(), message=SAID)  # fmt: skip
    user = cast.alice if keeper == "coordinator" else cast.officer
    response = as_user(user).post(register(case_a), informed(timezone.localdate()))
    assert "only after a new decision of the table" in response.content.decode()
    assert kinds(case_a) == ["deferred"]


def test_the_objection_cannot_be_withdrawn_into_a_valid_decision(members, running, agenda, seats, case_a):
    decision = decide(members, agenda, seats, agree=(), officer_objects=True)
    with pytest.raises(ValidationError, match="settled"):
        decision_services.officer_objection(member=members["officer"], decision=decision, objects=False)
    assert kinds(case_a) == ["deferred"]


# --- A valid decision opens "to be informed" ----------------------------------------------------------


def test_a_valid_decision_writes_no_informed_and_opens_the_awaiting_state(
    cast, as_user, members, running, agenda, seats, case_a
):
    decision = decide(members, agenda, seats)
    assert decision.status == DecisionStatus.VALID
    entry = InformingEntry.objects.get(case=case_a)
    assert entry.kind == "decided" and entry.decision_id == decision.pk
    assert entry.informed_on is None and entry.informed_by is None and entry.message == ""
    for user in (cast.alice, cast.officer):
        page = as_user(user).get(register(case_a)).content.decode()
        assert "To be informed" in page and "Record that the person was informed" in page
    for user in (cast.bob, cast.mayor):  # they read the register, they do not keep it
        page = as_user(user).get(register(case_a)).content.decode()
        assert "To be informed" in page and "Record that the person was informed" not in page
    waiting = as_user(cast.alice).get(home()).content.decode()
    assert "1 person is to be informed, as the table decided" in waiting
    assert f'href="{register(case_a)}"' in waiting
    assert "to be informed" not in as_user(cast.bob).get(home()).content.decode()


def test_informed_carries_the_informer_and_the_real_date(
    cast, as_user, members, running, agenda, seats, case_a, time_machine
):
    decision = decide(members, agenda, seats)
    decided_on = timezone.localdate()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=5))
    client = as_user(cast.officer)
    before = client.post(register(case_a), informed(decided_on - datetime.timedelta(days=1)))
    assert "cannot have been informed before" in before.content.decode()
    future = client.post(register(case_a), informed(timezone.localdate() + datetime.timedelta(days=1)))
    assert "cannot be in the future" in future.content.decode()
    assert kinds(case_a) == ["decided"]

    day = decided_on + datetime.timedelta(days=2)
    response = client.post(register(case_a), informed(day), follow=True)
    assert "Recorded: you informed the person." in response.content.decode()
    entry = InformingEntry.objects.get(case=case_a, kind="informed")
    assert (
        entry.informed_on == day and entry.informed_by == cast.officer and entry.recorded_by == cast.officer
    )
    assert entry.decision_id == decision.pk and entry.message == SAID
    page = as_user(cast.alice).get(register(case_a)).content.decode()
    assert "Record that the person was informed" not in page  # carried out: nothing more to record

    again = client.post(register(case_a), informed(day))  # a double submit
    assert again.status_code == 200 and "has been recorded already" in again.content.decode()
    assert kinds(case_a) == ["decided", "informed"]


def test_readers_may_not_write_the_register(cast, as_user, members, running, agenda, seats, case_a):
    decide(members, agenda, seats)
    for user in (cast.bob, cast.mayor):
        assert as_user(user).post(register(case_a), informed(timezone.localdate())).status_code == 403
    for name in ("participant", "mayor"):
        with pytest.raises(PermissionDenied):
            informing_record(member=members[name], case=case_a, kind="informed",
                             informed_on=timezone.localdate(), message=SAID)  # fmt: skip
    assert kinds(case_a) == ["decided"]


# --- Deferral ---------------------------------------------------------------------------------------


def test_deferral_needs_a_reason_and_a_review_date_and_ends_the_decision(
    cast, as_user, members, running, agenda, seats, case_a
):
    decide(members, agenda, seats)
    client = as_user(cast.alice)
    today = timezone.localdate()
    empty = client.post(register(case_a), {"kind": "deferred", "deferral_reason": "", "review_on": ""})
    assert "Give the reason for deferring" in empty.content.decode()
    assert "Choose a review date after today" in empty.content.decode()
    late = client.post(register(case_a), {"kind": "deferred", "deferral_reason": "Wacht op de school.",
                                           "review_on": today.isoformat()})  # fmt: skip
    assert "Choose a review date after today" in late.content.decode()
    assert "Wacht op de school." in late.content.decode()  # kept
    review = today + datetime.timedelta(days=30)
    data = {"kind": "deferred", "deferral_reason": "Onderzoek gestart.", "review_on": review.isoformat()}
    client.post(register(case_a), data)
    client.post(register(case_a), data)  # a double submit
    assert kinds(case_a) == ["decided", "deferred"]
    entry = InformingEntry.objects.get(case=case_a, kind="deferred")
    assert entry.deferral_reason == "Onderzoek gestart." and entry.review_on == review
    assert entry.recorded_by == cast.alice
    response = client.post(register(case_a), informed(today))  # the decision lapsed
    assert "only after a new decision of the table" in response.content.decode()
    assert kinds(case_a) == ["decided", "deferred"]


def test_an_unknown_kind_is_a_clear_refusal(cast, as_user, case_a):
    response = as_user(cast.alice).post(register(case_a), {"kind": "informed-ish"}, follow=True)
    assert response.status_code == 200
    assert "Choose whether the person was informed or informing is deferred." in response.content.decode()
    assert kinds(case_a) == []


# --- Who reaches the register ---------------------------------------------------------------------


def test_another_cells_coordinator_gets_404_on_the_register(
    cast, as_user, members, running, agenda, seats, case_a
):
    decide(members, agenda, seats)
    charlie = as_user(cast.charlie)
    for address in (register(case_a), register(case_a, cast.cell_b.slug)):
        assert charlie.get(address).status_code == 404
        assert charlie.post(address, informed(timezone.localdate())).status_code == 404
    assert kinds(case_a) == ["decided"]


def test_a_person_in_two_cells_gets_404_under_the_other_cells_address(
    cast, as_user, members, running, agenda, seats, case_a
):
    decide(members, agenda, seats)
    MembershipFactory(user=cast.officer, cell=cast.cell_b, information_officer=True)
    acknowledgement_record(cell=cast.cell_b, user=cast.officer)
    officer = as_user(cast.officer)
    assert officer.get(register(case_a)).status_code == 200
    other = register(case_a, cast.cell_b.slug)
    assert officer.get(other).status_code == 404
    assert officer.post(other, informed(timezone.localdate())).status_code == 404
    assert kinds(case_a) == ["decided"]


def test_a_participant_not_at_the_table_gets_404(cast, as_user, members, seats, case_a, other_case):
    bob = as_user(cast.bob)
    assert bob.get(register(other_case)).status_code == 404
    assert bob.post(register(other_case), {"kind": "deferred"}).status_code == 404
    unseat_participant(member=members["coordinator"], seat=case_a.seats.get(participant=seats["participant"]))
    assert bob.get(register(case_a)).status_code == 404
    assert bob.post(register(case_a), {"kind": "deferred"}).status_code == 404
    assert as_user(cast.dpo).get(register(case_a)).status_code == 404
