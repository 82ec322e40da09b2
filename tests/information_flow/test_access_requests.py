"""Subject-access requests (GDPR art. 15; docs/adr/0013-item-use-ledger-and-access-requests.md): the
register's deadline and its one extension, matching by the keyed hash, the questions to the
owners and the information officer and their answers, the answer and its outcome, the events,
who may reach what, a double submit, and the details of a request about nobody going in time."""

import datetime
import uuid

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.services.items import item_add, item_withdraw
from dpo import access_requests as services
from dpo.access_requests import add_months
from dpo.models import (
    AccessOutcome,
    AccessRequest,
    AccessRequestDetails,
    AccessRequestStatus,
    ExceptionGround,
    ExceptionQuestion,
)
from dpo.tasks import expire_access_request_details
from livc.audit.models import LogAction, LogEntry
from livc.cells.models import Membership
from livc.crypto.datakeys import owner_name
from livc.crypto.models import DataKey, DestroyedBecause
from livc.submissions.services import FIELD
from participants.rules import acknowledgement_record
from retention.models import RetentionSettings
from tests.factories import MembershipFactory
from tests.information_flow.access_world import (
    BORN,
    RECEIVED,
    answer,
    answer_all,
    item_question,
    officer_question,
    questions_of,
    record,
    today,
    url,
)

pytestmark = pytest.mark.django_db


def events(kind):
    return LogEntry.objects.filter(action=LogAction.EVENT, event=kind)


# --- The deadline -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2025, 1, 15), datetime.date(2025, 2, 15)),
        (datetime.date(2025, 1, 31), datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)),
        (datetime.date(2025, 3, 31), datetime.date(2025, 4, 30)),
        (datetime.date(2025, 12, 20), datetime.date(2026, 1, 20)),
    ],
)
def test_the_answer_is_due_one_calendar_month_after_receipt(cast, members, received, due):
    access_request = record(members, first_name="Nora", last_name="Niemand", received_on=received)
    assert access_request.due_on == due and access_request.deadline == due
    assert access_request.number == 1 and access_request.status == AccessRequestStatus.OPEN


def test_the_numbers_run_per_cell(cast, members, dpo_b):
    first = record(members, first_name="Nora", last_name="Niemand")
    second = record(members, first_name="Nils", last_name="Niemand")
    in_b = services.request_record(
        member=Membership.objects.get(user=dpo_b), first_name="Nora", last_name="Niemand", birth_date=BORN,
        language="fr", identity_check="Carte d'identité.", received_on=RECEIVED,
    )  # fmt: skip
    assert (first.number, second.number, in_b.number) == (1, 2, 1)


def test_the_deadline_is_extended_once_with_a_reason_to_three_months(cast, members):
    access_request = record(members, first_name="Nora", last_name="Niemand", received_on=today())
    with pytest.raises(ValidationError) as refused:
        services.request_extend(member=members["dpo"], request=access_request, reason="  ")
    assert "reason" in refused.value.message_dict
    extended = services.request_extend(
        member=members["dpo"], request=access_request, reason="Veel diensten te bevragen."
    )
    assert extended.extended_to == add_months(today(), 3) and extended.deadline == extended.extended_to
    assert (
        AccessRequestDetails.objects.get(request=access_request).extension_reason
        == "Veel diensten te bevragen."
    )
    with pytest.raises(ValidationError, match="extended once already"):
        services.request_extend(member=members["dpo"], request=extended, reason="Nog meer tijd.")
    assert AccessRequest.objects.get().extended_to == add_months(today(), 3)


def test_three_months_from_31_january_is_30_april():
    assert add_months(datetime.date(2025, 1, 31), 3) == datetime.date(2025, 4, 30)
    assert add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)


def test_the_deadline_is_extended_only_until_it_passes(cast, members):
    received = today() - datetime.timedelta(days=40)
    access_request = record(members, first_name="Nora", last_name="Niemand", received_on=received)
    with time_machine.travel(access_request.due_on, tick=False):
        on_the_day = record(members, first_name="Nils", last_name="Niemand", received_on=received)
        assert services.request_extend(
            member=members["dpo"], request=on_the_day, reason="Complex."
        ).extended_to
    with pytest.raises(ValidationError, match="has passed"):
        services.request_extend(member=members["dpo"], request=access_request, reason="Te laat.")
    assert AccessRequest.objects.get(pk=access_request.pk).extended_to is None


@pytest.mark.parametrize(
    ("field", "changes", "message"),
    [
        ("received_on", {"received_on": "future"}, "cannot lie in the future"),
        ("identity_check", {"identity_check": " "}, "how the requester's identity was checked"),
        ("first_name", {"first_name": ""}, "first name"),
        ("last_name", {"last_name": " "}, "last name"),
        ("birth_date", {"birth_date": None}, "date of birth"),
        ("language", {"language": "it"}, "language"),  # nl, fr, de or en
    ],
)
def test_a_request_needs_its_receipt_the_identity_check_names_and_birth_date(
    cast, members, field, changes, message
):
    if changes.get("received_on") == "future":
        changes = {"received_on": today() + datetime.timedelta(days=1)}
    with pytest.raises(ValidationError) as refused:
        record(members, **changes)
    assert message in " ".join(refused.value.message_dict[field])
    assert not AccessRequest.objects.exists()


def test_only_the_dpo_records_a_request(cast, members):
    with pytest.raises(PermissionDenied):
        services.request_record(
            member=members["coordinator"], first_name="Tom", last_name="Testeling", birth_date=BORN,
            language="nl", identity_check="Gezien.", received_on=RECEIVED,
        )  # fmt: skip


# --- Matching and questions --------------------------------------------------------------------------


def test_the_person_is_found_by_the_keyed_hash_whatever_the_accents_case_and_order(cast, members, case_a):
    matched = record(members, first_name="TESTELING", last_name="tôm")
    assert AccessRequestDetails.objects.get(request=matched).subject_id == case_a.subject_id


def test_another_birth_date_or_name_matches_nobody(cast, members, case_a):
    for changes in ({"birth_date": BORN + datetime.timedelta(days=1)}, {"first_name": "Tim"}):
        access_request = record(members, **changes)
        assert AccessRequestDetails.objects.get(request=access_request).subject_id is None
        assert not questions_of(access_request)


def test_a_person_of_another_cell_is_not_found(cast, members, dpo_b, case_a):
    in_b = services.request_record(
        member=Membership.objects.get(user=dpo_b), first_name="Tom", last_name="Testeling", birth_date=BORN,
        language="nl", identity_check="Gezien.", received_on=RECEIVED,
    )  # fmt: skip
    assert AccessRequestDetails.objects.get(request=in_b).subject_id is None


def test_each_owner_is_asked_about_their_item_and_the_officer_about_the_case(cast, members, person_items):
    access_request = record(members)
    asked = {(question.item_id, question.asked_id) for question in questions_of(access_request)}
    assert asked == {
        (person_items["bob"].pk, members["participant"].pk),
        (person_items["bob_health"].pk, members["participant"].pk),
        (person_items["officer"].pk, members["officer"].pk),
        (None, members["officer"].pk),  # the case as a whole
    }
    assert all(question.applies is None for question in questions_of(access_request))


def test_without_an_effective_information_officer_the_dpo_sees_nobody_to_ask(
    cast, members, person_items, as_user
):
    Membership.objects.filter(pk=members["officer"].pk).update(
        clearance_expires_on=today() - datetime.timedelta(days=1)
    )
    access_request = record(members)
    assert not ExceptionQuestion.objects.filter(details__request=access_request, item__isnull=True).exists()
    page = as_user(cast.dpo).get(url("access_request", pk=access_request.pk)).content.decode()
    assert "No information officer to ask" in page


# --- Answers --------------------------------------------------------------------------------------------


def test_only_the_member_asked_answers(cast, members, person_items):
    question = item_question(record(members), person_items["bob"])
    for other in ("officer", "coordinator", "dpo"):
        with pytest.raises(PermissionDenied):
            services.question_answer(member=members[other], question=question, applies=False)
    assert ExceptionQuestion.objects.get(pk=question.pk).applies is None


def test_an_exception_needs_its_ground_and_reason(cast, members, person_items):
    question = item_question(record(members), person_items["bob"])
    with pytest.raises(ValidationError) as refused:
        answer(question, applies=True, ground="", reason="")
    assert set(refused.value.message_dict) == {"ground", "reason"}
    answered = answer(question, applies=True, ground=ExceptionGround.THIRD_PARTY, reason="Noemt zijn zus.")
    assert (answered.applies, answered.ground, answered.reason) == (True, "third_party", "Noemt zijn zus.")
    assert answered.answered_by == cast.bob and answered.answered_at is not None


def test_the_officer_may_invoke_any_ground_for_the_case(cast, members, person_items):
    question = officer_question(record(members))
    answered = answer(question, applies=True, ground=ExceptionGround.THIRD_PARTY, reason="Getuige.")
    assert answered.ground == ExceptionGround.THIRD_PARTY


def test_an_answer_may_change_until_the_request_is_answered(cast, members, person_items):
    access_request = record(members)
    question = item_question(access_request, person_items["bob"])
    answer(question, applies=True, ground=ExceptionGround.PROFESSIONAL_SECRECY, reason="Beroepsgeheim.")
    changed = answer(question, applies=False)
    assert (changed.applies, changed.ground) == (False, "")
    answer_all(access_request)
    services.request_answer(member=members["dpo"], request=access_request)
    with pytest.raises(ValidationError, match="can no longer change"):
        answer(question, applies=True, ground=ExceptionGround.THIRD_PARTY, reason="Te laat.")
    assert ExceptionQuestion.objects.get(pk=question.pk).applies is False


def test_the_request_is_answered_only_once_every_question_is_answered(cast, members, person_items):
    access_request = record(members)
    for question in questions_of(access_request)[:-1]:
        answer(question)
    with pytest.raises(ValidationError, match="1 question waits"):
        services.request_answer(member=members["dpo"], request=access_request)
    assert AccessRequest.objects.get(pk=access_request.pk).status == AccessRequestStatus.OPEN
    answer_all(access_request)
    answered = services.request_answer(member=members["dpo"], request=access_request)
    assert answered.status == AccessRequestStatus.ANSWERED and answered.answered_on == today()
    with pytest.raises(ValidationError, match="answered already"):
        services.request_answer(member=members["dpo"], request=access_request)


def test_an_item_added_since_the_request_is_asked_about_before_the_answer(
    cast, members, person_items, case_a
):
    access_request = record(members)
    answer_all(access_request)
    late = item_add(member=members["participant"], case=case_a, text="EIK-LAAT.", category="housing",
                    shared_on=today(), consent=True)  # fmt: skip
    with pytest.raises(ValidationError, match="1 more question was asked"):
        services.request_answer(member=members["dpo"], request=access_request)
    assert item_question(access_request, late).asked == members["participant"]  # kept, though refused
    answer_all(access_request)
    assert (
        services.request_answer(member=members["dpo"], request=access_request).outcome == AccessOutcome.FULL
    )


def test_a_question_about_an_item_withdrawn_since_does_not_wait(cast, members, person_items):
    access_request = record(members)
    for question in questions_of(access_request):
        if question.item != person_items["bob_health"]:
            answer(question)
    item_withdraw(member=members["participant"], item=person_items["bob_health"])
    assert (
        services.request_answer(member=members["dpo"], request=access_request).outcome == AccessOutcome.FULL
    )


@pytest.mark.parametrize(
    ("who", "withheld", "outcome"),
    [
        ("nobody", None, AccessOutcome.NO_DATA),
        ("tom", None, AccessOutcome.FULL),
        ("tom", "bob", AccessOutcome.RESTRICTED),
        ("tom", "case", AccessOutcome.RESTRICTED),
    ],
)
def test_the_outcome_is_no_data_full_or_restricted(cast, members, person_items, who, withheld, outcome):
    access_request = record(
        members, **({"first_name": "Nora", "last_name": "Niemand"} if who == "nobody" else {})
    )
    grounds = {}
    if withheld == "bob":
        grounds[str(item_question(access_request, person_items["bob"]).pk)] = ExceptionGround.THIRD_PARTY
    elif withheld == "case":
        grounds[str(officer_question(access_request).pk)] = ExceptionGround.INVESTIGATION
    answer_all(access_request, **grounds)
    assert services.request_answer(member=members["dpo"], request=access_request).outcome == outcome


# --- Events and the audit log ----------------------------------------------------------------------


def test_every_step_is_an_event_without_names_or_reasons(cast, members, person_items, as_user):
    access_request = record(members, received_on=today())
    services.request_extend(member=members["dpo"], request=access_request, reason="GEHEIME-REDEN-VERLENGING")
    bob_question = item_question(access_request, person_items["bob"])
    answer(
        bob_question, applies=True, ground=ExceptionGround.THIRD_PARTY, reason="GEHEIME-REDEN-UITZONDERING"
    )
    answer_all(access_request)
    services.request_answer(member=members["dpo"], request=access_request)
    assert as_user(cast.dpo).get(url("access_letter", pk=access_request.pk)).status_code == 200

    recorded = events(services.RECORDED).get()
    assert recorded.additional_data == {"number": 1, "matched": True, "questions": 4}
    assert recorded.object_pk == str(access_request.pk) and recorded.actor == cast.dpo
    assert (
        events(services.EXTENDED).get().additional_data["extended_to"] == add_months(today(), 3).isoformat()
    )
    answered_bob = events(services.QUESTION_ANSWERED).get(object_pk=str(bob_question.pk))
    assert answered_bob.actor == cast.bob
    assert answered_bob.additional_data == {"number": 1, "applies": True, "ground": "third_party"}
    assert events(services.QUESTION_ANSWERED).count() == 4
    assert events(services.ANSWERED).get().additional_data == {"number": 1, "outcome": "restricted"}
    assert events(services.LETTER_DOWNLOADED).get().additional_data == {"number": 1, "language": "en"}

    everything = " ".join(
        str(entry.additional_data) + str(entry.changes) + entry.object_repr + str(entry.changes_text)
        for entry in LogEntry.objects.all()
    )
    for secret in ("Testeling", "Tom", "Kerkstraat", "identiteitskaart", "GEHEIME-REDEN", "EIK-SCHOOL"):
        assert secret not in everything


def test_the_audit_log_records_the_register_line_and_the_answers_not_their_reasons(
    cast, members, person_items
):
    access_request = record(members)
    question = item_question(access_request, person_items["bob"])
    answer(question, applies=True, ground=ExceptionGround.PROFESSIONAL_SECRECY, reason="GEHEIM-ZORG")
    line = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(AccessRequest), action=LogAction.CREATE
    )
    assert set(line.changes) <= {
        "number",
        "received_on",
        "due_on",
        "extended_to",
        "status",
        "outcome",
        "answered_on",
    }
    change = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ExceptionQuestion), object_pk=str(question.pk),
        action=LogAction.UPDATE,
    ).get()  # fmt: skip
    assert set(change.changes) == {"applies", "ground", "answered_at"}
    assert "GEHEIM-ZORG" not in str(change.changes)


# --- Who may reach what ----------------------------------------------------------------------------------


def test_the_register_is_the_dpos_alone_and_shows_no_names(cast, members, person_items, as_user):
    access_request = record(members)
    page = as_user(cast.dpo).get(url("access_requests"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Request 1" in text and "Testeling" not in text and "Tom" not in text
    for user in (cast.alice, cast.mayor, cast.officer, cast.bob):
        client = as_user(user)
        assert client.get(url("access_requests")).status_code == 404
        assert client.get(url("access_request", pk=access_request.pk)).status_code == 404
        assert client.get(url("access_letter", pk=access_request.pk)).status_code == 404


def test_the_dpo_sees_who_asked_how_it_was_checked_and_whom_it_matched(
    cast, members, person_items, case_a, as_user
):
    access_request = record(members)
    answer(
        item_question(access_request, person_items["bob"]),
        applies=True,
        ground="third_party",
        reason="Noemt een getuige.",
    )
    page = as_user(cast.dpo).get(url("access_request", pk=access_request.pk)).content.decode()
    for shown in ("Tom Testeling", "Kopie identiteitskaart", f"case {case_a.reference}", "Noemt een getuige.",
                  "Omar Oosterlinck", "Bob Bosmans"):  # fmt: skip
        assert shown in page
    assert "EIK-SCHOOL" not in page  # the items' text is the owners', and the letter's
    entry = LogEntry.objects.filter(action=LogAction.ACCESS, object_pk=str(access_request.pk)).get()
    assert list(entry.accessed_cases.values_list("case_pk", flat=True)) == [str(case_a.pk)]


def test_another_cells_dpo_gets_404_under_either_address(cast, members, person_items, dpo_b, as_user):
    acknowledgement_record(cell=cast.cell_b, user=dpo_b)
    access_request = record(members)
    client = as_user(dpo_b)
    for slug in ("alfa", "bravo"):
        for name in ("access_request", "access_letter"):
            assert client.get(url(name, cell_slug=slug, pk=access_request.pk)).status_code == 404
        assert client.post(url("access_request_extend", cell_slug=slug, pk=access_request.pk),
                           {"reason": "x"}).status_code == 404  # fmt: skip
    assert "Request 1" not in client.get(url("access_requests", cell_slug="bravo")).content.decode()


def test_a_dpo_of_two_cells_sees_the_request_under_its_own_cell_only(cast, members, person_items, as_user):
    MembershipFactory(cell=cast.cell_b, user=cast.dpo, dpo=True)
    acknowledgement_record(cell=cast.cell_b, user=cast.dpo)
    access_request = record(members)
    client = as_user(cast.dpo)
    assert client.get(url("access_request", pk=access_request.pk)).status_code == 200
    assert client.get(url("access_request", cell_slug="bravo", pk=access_request.pk)).status_code == 404
    assert "Request 1" not in client.get(url("access_requests", cell_slug="bravo")).content.decode()


def test_the_members_asked_see_their_own_questions_and_nobody_elses(
    cast, members, person_items, case_a, as_user
):
    for cell in (cast.cell_a, cast.cell_b):
        acknowledgement_record(cell=cell, user=cast.dries)
    access_request = record(members)
    bob_question = item_question(access_request, person_items["bob"])
    page = as_user(cast.bob).get(url("access_questions")).content.decode()
    assert "EIK-SCHOOL" in page and "EIK-GEZONDHEID" in page and case_a.reference in page
    assert "EIK-POLITIE" not in page  # the officer's item: asked of the officer
    assert "Tom" not in page and "Testeling" not in page and "identiteitskaart" not in page
    officer_page = as_user(cast.officer).get(url("access_questions")).content.decode()
    assert "About the case as a whole" in officer_page and "EIK-SCHOOL" not in officer_page
    for user in (cast.officer, cast.alice, cast.dries, cast.dpo):
        assert as_user(user).get(url("access_question_answer", pk=bob_question.pk)).status_code == 404
        assert as_user(user).post(url("access_question_answer", pk=bob_question.pk),
                                  {f"q-{bob_question.pk}-applies": "no"}).status_code == 404  # fmt: skip
    assert (
        as_user(cast.dries)
        .get(url("access_question_answer", cell_slug="bravo", pk=bob_question.pk))
        .status_code
        == 404
    )
    assert ExceptionQuestion.objects.get(pk=bob_question.pk).applies is None


def test_the_owner_answers_on_the_page_and_a_missing_reason_is_said(cast, members, person_items, as_user):
    access_request = record(members)
    question = item_question(access_request, person_items["bob"])
    client = as_user(cast.bob)
    prefix = f"q-{question.pk}-"
    refused = client.post(
        url("access_question_answer", pk=question.pk),
        {prefix + "applies": "yes", prefix + "ground": "third_party"},
    )
    assert refused.status_code == 200 and "Say why the exception applies" in refused.content.decode()
    done = client.post(url("access_question_answer", pk=question.pk),
                       {prefix + "applies": "yes", prefix + "ground": "third_party", prefix + "reason": "Zus."})  # fmt: skip
    assert done.status_code == 302
    assert ExceptionQuestion.objects.get(pk=question.pk).ground == "third_party"


def test_a_member_with_open_questions_finds_them_in_the_waiting_list(cast, members, person_items, as_user):
    record(members)
    home = as_user(cast.bob).get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).content.decode()
    assert "2 questions about a request for access wait for your answer." in home
    assert (
        "about a request for access"
        not in as_user(cast.alice).get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).content.decode()
    )


# --- A double submit ----------------------------------------------------------------------------------------


def test_a_double_submit_records_one_request(cast, members, as_user):
    client = as_user(cast.dpo)
    data = {
        "first_name": "Nora", "last_name": "Niemand", "birth_date": "1990-05-06", "language": "fr",
        "identity_check": "Copie de la carte d'identité.", "postal_address": "", "received_on": today().isoformat(),
        FIELD: str(uuid.uuid4()),
    }  # fmt: skip
    first = client.post(url("access_request_new"), data)
    second = client.post(url("access_request_new"), data)
    assert AccessRequest.objects.count() == 1 and AccessRequestDetails.objects.count() == 1
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert events(services.RECORDED).count() == 1


def test_a_double_submit_answers_once(cast, members, person_items, as_user):
    access_request = record(members)
    answer_all(access_request)
    client = as_user(cast.dpo)
    data = {FIELD: str(uuid.uuid4())}
    client.post(url("access_request_answer", pk=access_request.pk), data)
    client.post(url("access_request_answer", pk=access_request.pk), data)
    assert AccessRequest.objects.get().status == AccessRequestStatus.ANSWERED
    assert events(services.ANSWERED).count() == 1


# --- The details of a request about nobody -----------------------------------------------------------------


def test_the_details_of_a_request_about_nobody_go_after_the_cells_period(cast, members, person_items):
    RetentionSettings.objects.create(cell=cast.cell_a, not_retained_days=10, warning_days=5)
    nobody = record(members, first_name="Nora", last_name="Niemand")
    services.request_answer(member=members["dpo"], request=nobody)
    tom = record(members)
    answer_all(tom)
    services.request_answer(member=members["dpo"], request=tom)
    details_pk = AccessRequestDetails.objects.get(request=nobody).pk
    owner = owner_name(AccessRequestDetails, details_pk)
    assert DataKey.objects.filter(owner=owner, destroyed_at__isnull=True).exists()

    with time_machine.travel(today() + datetime.timedelta(days=10), tick=False):
        assert expire_access_request_details() == 0  # kept until the answer + 10 days
    with time_machine.travel(today() + datetime.timedelta(days=11), tick=False):
        assert expire_access_request_details() == 1
    assert not AccessRequestDetails.objects.filter(pk=details_pk).exists()
    assert DataKey.objects.get(owner=owner).destroyed_because == DestroyedBecause.RETENTION
    line = AccessRequest.objects.get(pk=nobody.pk)
    assert (line.status, line.outcome) == (AccessRequestStatus.ANSWERED, AccessOutcome.NO_DATA)
    assert AccessRequestDetails.objects.filter(request=tom).exists()  # the person's: goes with their case
    assert events(services.DETAILS_EXPIRED).get().additional_data == {"number": nobody.number}


def test_an_open_request_about_nobody_keeps_its_details(cast, members):
    record(members, first_name="Nora", last_name="Niemand")
    assert services.details_expire(today=today() + datetime.timedelta(days=400)) == 0
    assert AccessRequestDetails.objects.count() == 1


def test_the_register_says_when_the_details_are_gone(cast, members, seats, as_user):
    nobody = record(members, first_name="Nora", last_name="Niemand")
    services.request_answer(member=members["dpo"], request=nobody)
    services.details_expire(today=today() + datetime.timedelta(days=400))
    client = as_user(cast.dpo)
    page = client.get(url("access_request", pk=nobody.pk)).content.decode()
    assert "The details of this request are gone" in page and "Niemand" not in page
    assert client.get(url("access_letter", pk=nobody.pk)).status_code == 302  # no letter any more


def test_the_dpo_is_warned_of_requests_near_or_past_their_deadline(cast, members, seats, as_user):
    record(members, first_name="Nora", last_name="Niemand", received_on=today() - datetime.timedelta(days=40))
    record(
        members,
        first_name="Nils",
        last_name="Niemand",
        received_on=add_months(today(), -1) + datetime.timedelta(days=3),
    )
    record(members, first_name="Noor", last_name="Niemand", received_on=today())
    home = as_user(cast.dpo).get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).content.decode()
    assert "1 request for access is past its deadline." in home
    assert "1 request for access must be answered within a week." in home
    register_page = as_user(cast.dpo).get(url("access_requests")).content.decode()
    assert register_page.count("Overdue") == 1 and register_page.count("Due within a week") == 1
