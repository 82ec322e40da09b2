import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import InformingEntry
from meetings.models import DecisionStatus
from meetings.services import decisions as decision_services

pytestmark = pytest.mark.django_db


def record(members, agenda, kind, **extra):
    return decision_services.decision_record(
        member=members["coordinator"], item=agenda["case_a"], kind=kind, **extra
    )


def agree(members, decision, participant, agrees=True):
    return decision_services.agreement_record(member=members["coordinator"], decision=decision,
                                              participant=participant, agrees=agrees)  # fmt: skip


PRESENT_FOR_CASE_A = ("participant", "coordinator", "mayor", "officer")


def test_feedback_to_the_ltf_waits_for_every_present_participant(members, running, agenda, seats):
    decision = record(members, agenda, "ltf_feedback", text="Terugkoppeling.")
    for name in PRESENT_FOR_CASE_A[:-1]:
        decision = agree(members, decision, seats[name])
        assert decision.status == DecisionStatus.AWAITING_AGREEMENT
    with pytest.raises(ValidationError, match="may not be passed on"):
        decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)
    decision = agree(members, decision, seats["officer"])
    assert decision.status == DecisionStatus.VALID


def test_one_disagreement_refuses_the_feedback(members, running, agenda, seats):
    decision = record(members, agenda, "ltf_feedback")
    decision = agree(members, decision, seats["participant"], agrees=False)
    assert decision.status == DecisionStatus.REFUSED


def test_only_the_information_officer_passes_feedback_on(members, running, agenda, seats):
    decision = record(members, agenda, "ltf_feedback")
    for name in PRESENT_FOR_CASE_A:
        decision = agree(members, decision, seats[name])
    with pytest.raises(PermissionDenied):
        decision_services.pass_on_to_ltf(member=members["coordinator"], decision=decision)
    decision = decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)
    assert decision.passed_on_at is not None and decision.passed_on_by == members["officer"].user


def test_someone_absent_for_the_item_takes_no_part(members, running, agenda, seats):
    decision = decision_services.decision_record(member=members["coordinator"], item=agenda["other"],
                                                 kind="ltf_feedback")  # fmt: skip
    with pytest.raises(ValidationError, match="present for this item"):
        decision_services.agreement_record(member=members["coordinator"], decision=decision,
                                           participant=seats["participant"], agrees=True)  # fmt: skip


def test_informing_is_refused_on_the_officers_objection_and_deferred_in_the_register(members, running, agenda,
                                                                                    seats, case_a):  # fmt: skip
    decision = record(members, agenda, "inform_subject")
    for name in PRESENT_FOR_CASE_A[:-1]:
        decision = agree(members, decision, seats[name])
    decision = decision_services.officer_objection(member=members["officer"], decision=decision, objects=True)
    assert decision.status == DecisionStatus.REFUSED
    entry = InformingEntry.objects.get(case=case_a)
    assert (
        entry.kind == "deferred"
        and "objects" in entry.deferral_reason
        and entry.review_on > timezone.localdate()
    )


def test_informing_with_everyones_agreement_opens_the_register_to_be_informed(
    members, running, agenda, seats, case_a
):
    decision = record(members, agenda, "inform_subject")
    for name in PRESENT_FOR_CASE_A:
        decision = agree(members, decision, seats[name])
    assert decision.status == DecisionStatus.VALID
    entry = InformingEntry.objects.get(case=case_a)  # the decision says someone *will* inform the person
    assert entry.kind == "decided" and entry.decision_id == decision.pk
    assert (
        entry.decided_on == timezone.localdate() and entry.informed_on is None and entry.informed_by is None
    )


def test_a_participant_records_only_their_own_agreement(members, running, agenda, seats):
    decision = record(members, agenda, "ltf_feedback")
    with pytest.raises(PermissionDenied):
        decision_services.agreement_record(member=members["participant"], decision=decision,
                                           participant=seats["mayor"], agrees=True)  # fmt: skip
    decision_services.agreement_record(member=members["participant"], decision=decision,
                                       participant=seats["participant"], agrees=True)  # fmt: skip


def test_closing_needs_a_reason_and_closes_the_case(members, running, agenda, case_a):
    with pytest.raises(ValidationError):
        record(members, agenda, "close_case")
    record(members, agenda, "close_case", text="Traject afgerond.")
    case_a.refresh_from_db()
    assert case_a.status == "closed"


def test_an_extension_is_motivated_and_never_beyond_five_years(members, running, agenda):
    held = timezone.localtime(running.starts_at).date()
    with pytest.raises(ValidationError, match="Motivate"):
        record(members, agenda, "extend_retention", extend_until=held + datetime.timedelta(days=400))
    with pytest.raises(ValidationError, match="five years"):
        record(members, agenda, "extend_retention", text="Ernstige aanwijzingen.",
               extend_until=held + datetime.timedelta(days=5 * 366))  # fmt: skip
    decision = record(members, agenda, "extend_retention", text="Ernstige aanwijzingen.",
                      extend_until=held + datetime.timedelta(days=3 * 365))  # fmt: skip
    assert decision.status == DecisionStatus.VALID


def test_revealing_a_minors_identity_needs_a_second_persons_approval(
    cast, members, running, seats, acknowledged_again
):
    from cases.services.identity import Identity, identity_record
    from meetings.services import meetings as meeting_services
    from tests.cases.conftest import make_case

    minor = make_case(members, pseudonym="Persoon Kind", minor=True)
    item = meeting_services.agenda_add_case(member=members["coordinator"], meeting=running, case=minor)
    decision = decision_services.decision_record(member=members["coordinator"], item=item, kind="reveal_minor",
                                                 text="Nodig om de school te betrekken.")  # fmt: skip
    with pytest.raises(ValidationError):
        identity_record(member=members["coordinator"], subject=minor.subject, identity=Identity("Kim", "K"))
    with pytest.raises(PermissionDenied):
        decision_services.reveal_approve(member=members["coordinator"], decision=decision)
    decision_services.reveal_approve(member=members["mayor"], decision=decision)
    identity_record(member=members["coordinator"], subject=minor.subject, identity=Identity("Kim", "K"))
    minor.subject.refresh_from_db()
    assert minor.subject.full_name == "Kim K"
