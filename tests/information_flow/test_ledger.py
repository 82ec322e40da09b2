"""The item-use ledger (docs/rules.md, rule 9; ADR 13): an item goes beyond the table only with its
owner's consent to that use. A decision lists the items it uses and asks each owner; only the owner
answers, and may change her answer until the use is carried out; the information officer's pass-on,
the informing register's "informed" and the record of a share with a partner carry out only what
has consent, and the database refuses anything else."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import ItemUse, UseConsent, UseKind
from cases.selectors import consent_requests_count
from cases.services.informing import informing_record
from cases.services.items import item_add, item_withdraw
from cases.services.uses import use_answer, use_record_shared, uses_ask, uses_carry_out
from meetings.models import DecisionStatus
from meetings.services import decisions as decision_services

pytestmark = pytest.mark.django_db

PRESENT_FOR_CASE_A = ("participant", "coordinator", "mayor", "officer")
PARTNER = "Jeugdhulp Alfa"


def add(members, case, owner="participant", *, text="Gezien op school.", consent=True):
    return item_add(member=members[owner], case=case, text=text, category="health",
                    shared_on=timezone.localdate(), consent=consent)  # fmt: skip


def record(members, agenda, kind, **extra):
    return decision_services.decision_record(member=members["coordinator"], item=agenda["case_a"], kind=kind,
                                             **extra)  # fmt: skip


def agreed(members, seats, decision):
    """Every participant present agrees: the decision is valid."""
    for name in PRESENT_FOR_CASE_A:
        decision = decision_services.agreement_record(member=members["coordinator"], decision=decision,
                                                      participant=seats[name], agrees=True)  # fmt: skip
    assert decision.status == DecisionStatus.VALID
    return decision


def use_of(decision, item):
    return ItemUse.objects.get(decision_id=decision.pk, item=item)


def answer(members, decision, item, consent, owner="participant"):
    return use_answer(member=members[owner], use=use_of(decision, item), consent=consent)


# --- Asking -------------------------------------------------------------------------------------


def test_a_feedback_decision_lists_its_items_and_asks_each_owner(members, running, agenda, case_a):
    bobs, officers = add(members, case_a), add(members, case_a, "officer")
    decision = record(members, agenda, "ltf_feedback", text="Terugkoppeling.", items=[bobs, officers])
    uses = ItemUse.objects.filter(decision_id=decision.pk).order_by("item__created_at")
    assert [(u.item, u.kind, u.consent, u.asked_by, u.consent_at, u.carried_out_at) for u in uses] == [
        (bobs, UseKind.LTF_FEEDBACK, UseConsent.ASKED, members["coordinator"].user, None, None),
        (officers, UseKind.LTF_FEEDBACK, UseConsent.ASKED, members["coordinator"].user, None, None),
    ]
    assert consent_requests_count(member=members["participant"]) == 1
    assert consent_requests_count(member=members["officer"]) == 1
    assert consent_requests_count(member=members["coordinator"]) == 0


def test_feedback_and_informing_may_list_no_item_but_a_share_names_its_partner_and_items(
    members, running, agenda, case_a
):
    record(members, agenda, "ltf_feedback")  # a feedback that passes on no item lists none
    with pytest.raises(ValidationError) as refused:
        record(members, agenda, "share_with_partner", partner="  ")
    assert set(refused.value.message_dict) == {"partner", "items"}
    with pytest.raises(ValidationError, match="Choose the information to share"):
        record(members, agenda, "share_with_partner", partner=PARTNER)
    with pytest.raises(ValidationError, match="Only feedback to the Local Taskforce"):
        record(members, agenda, "follow_up_plan", text="Plan.", items=[add(members, case_a)])
    assert not ItemUse.objects.exists()


def test_only_information_shared_with_the_table_of_that_case_can_be_used(
    members, running, agenda, case_a, other_case
):
    kept_to_herself = add(members, case_a, consent=False)
    elsewhere = add(members, other_case, "officer")
    withdrawn = item_withdraw(member=members["participant"], item=add(members, case_a))
    for items, words in (
        ([kept_to_herself], "Only information shared with the table"),
        ([elsewhere], "Choose among the information of this case"),
        ([withdrawn], "withdrawn cannot be used"),
    ):
        with pytest.raises(ValidationError, match=words) as refused:
            record(members, agenda, "share_with_partner", partner=PARTNER, items=items)
        assert "items" in refused.value.message_dict
    assert not ItemUse.objects.exists()  # the decision went with the refusal (one transaction)


def test_only_the_coordinator_asks(members, running, agenda, case_a):
    item = add(members, case_a)
    decision = record(members, agenda, "ltf_feedback")
    with pytest.raises(PermissionDenied):
        uses_ask(member=members["participant"], case=case_a, decision_id=decision.pk,
                 kind=UseKind.LTF_FEEDBACK, items=[item])  # fmt: skip


# --- Answering ----------------------------------------------------------------------------------


def test_only_the_owner_answers_not_even_the_coordinator(members, running, agenda, case_a):
    item = add(members, case_a)
    decision = record(members, agenda, "share_with_partner", partner=PARTNER, items=[item])
    for someone in ("coordinator", "mayor", "officer"):
        with pytest.raises(PermissionDenied):
            use_answer(member=members[someone], use=use_of(decision, item), consent=True)
    assert use_of(decision, item).consent == UseConsent.ASKED
    use = answer(members, decision, item, True)
    assert use.consent == UseConsent.GIVEN and use.consent_at is not None


def test_the_owner_changes_her_answer_until_the_use_is_carried_out_then_it_is_final(
    members, running, agenda, case_a
):
    item = add(members, case_a)
    decision = record(members, agenda, "share_with_partner", partner=PARTNER, items=[item])
    assert answer(members, decision, item, False).consent == UseConsent.REFUSED
    assert answer(members, decision, item, True).consent == UseConsent.GIVEN
    assert answer(members, decision, item, False).consent == UseConsent.REFUSED  # consent withdrawn
    given = answer(members, decision, item, True)
    again = answer(members, decision, item, True)  # the same answer twice: nothing changes
    assert again.consent_at == given.consent_at
    use_record_shared(member=members["coordinator"], use=given)
    with pytest.raises(ValidationError, match="the answer given then is final"):
        answer(members, decision, item, False)
    assert use_of(decision, item).consent == UseConsent.GIVEN


def test_a_withdrawn_item_takes_no_answer_and_is_never_passed_on(members, running, agenda, seats, case_a):
    item = add(members, case_a)
    decision = agreed(members, seats, record(members, agenda, "ltf_feedback", items=[item]))
    answer(members, decision, item, True)
    item_withdraw(member=members["participant"], item=item)
    with pytest.raises(ValidationError, match="withdrawn"):
        answer(members, decision, item, False)
    decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)
    assert use_of(decision, item).carried_out_at is None


# --- Carrying out -------------------------------------------------------------------------------


def test_an_item_without_its_owners_consent_is_not_passed_on(members, running, agenda, seats, case_a):
    consented, refused, unanswered = (
        add(members, case_a),
        add(members, case_a, "officer"),
        add(members, case_a),
    )
    decision = agreed(members, seats, record(members, agenda, "ltf_feedback", text="Terugkoppeling.",
                                             items=[consented, refused, unanswered]))  # fmt: skip
    answer(members, decision, consented, True)
    answer(members, decision, refused, False, owner="officer")
    decision = decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)
    first_time = decision.passed_on_at
    assert first_time is not None and decision.passed_on_by == members["officer"].user
    passed = use_of(decision, consented)
    assert passed.carried_out_at is not None and passed.carried_out_by == members["officer"].user
    assert use_of(decision, refused).carried_out_at is None
    assert use_of(decision, unanswered).carried_out_at is None

    # The owner consents later: passing on again passes that item on; the first time is kept.
    answer(members, decision, unanswered, True)
    decision = decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)
    assert decision.passed_on_at == first_time
    assert use_of(decision, unanswered).carried_out_at is not None
    assert use_of(decision, refused).carried_out_at is None
    assert use_of(decision, consented).carried_out_at == passed.carried_out_at  # not carried out twice


def test_feedback_the_table_did_not_agree_to_passes_nothing_on_and_asks_no_more(
    members, running, agenda, seats, case_a
):
    item = add(members, case_a)
    decision = record(members, agenda, "ltf_feedback", items=[item])
    answer(members, decision, item, True)
    with pytest.raises(ValidationError, match="may not be passed on"):
        decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)
    assert use_of(decision, item).carried_out_at is None
    other = add(members, case_a)
    refused = record(members, agenda, "inform_subject", items=[other])
    assert consent_requests_count(member=members["participant"]) == 1
    decision_services.agreement_record(member=members["coordinator"], decision=refused,
                                       participant=seats["mayor"], agrees=False)  # fmt: skip
    assert consent_requests_count(member=members["participant"]) == 0  # the table refused it
    with pytest.raises(ValidationError, match="did not take this decision"):
        answer(members, refused, other, True)


def test_carrying_out_uses_that_are_asked_or_refused_fails(members, running, agenda, case_a):
    asked, refused = add(members, case_a), add(members, case_a)
    decision = record(members, agenda, "share_with_partner", partner=PARTNER, items=[asked, refused])
    answer(members, decision, refused, False)
    for item in (asked, refused):
        with pytest.raises(ValidationError, match="has not consented"):
            use_record_shared(member=members["coordinator"], use=use_of(decision, item))
    with pytest.raises(ValidationError, match="recorded use by use"):
        uses_carry_out(member=members["coordinator"], decision_id=decision.pk, kind=UseKind.PARTNER)
    assert not ItemUse.objects.filter(carried_out_at__isnull=False).exists()


def test_only_the_information_officer_carries_out_feedback(members, running, agenda, seats, case_a):
    item = add(members, case_a)
    decision = agreed(members, seats, record(members, agenda, "ltf_feedback", items=[item]))
    answer(members, decision, item, True)
    for someone in ("coordinator", "participant"):
        with pytest.raises(PermissionDenied):
            uses_carry_out(member=members[someone], decision_id=decision.pk, kind=UseKind.LTF_FEEDBACK)
    done = uses_carry_out(member=members["officer"], decision_id=decision.pk, kind=UseKind.LTF_FEEDBACK)
    assert [use.item_id for use in done.done] == [item.pk] and done.left == 0


@pytest.mark.postgres
def test_the_database_refuses_a_use_carried_out_without_its_owners_consent(members, running, agenda, case_a):
    item = add(members, case_a)
    decision = record(members, agenda, "share_with_partner", partner=PARTNER, items=[item])
    for consent in (None, False):
        if consent is not None:
            answer(members, decision, item, consent)
        with pytest.raises(IntegrityError, match="item_use_carried_out_with_consent"), transaction.atomic():
            ItemUse.objects.filter(pk=use_of(decision, item).pk).update(
                carried_out_at=timezone.now(), carried_out_by=members["coordinator"].user
            )
    assert use_of(decision, item).carried_out_at is None


def test_informing_carries_out_the_consented_uses_in_the_informers_name(
    members, running, agenda, seats, case_a
):
    consented, unanswered = add(members, case_a), add(members, case_a, "officer")
    decision = agreed(
        members, seats, record(members, agenda, "inform_subject", items=[consented, unanswered])
    )
    answer(members, decision, consented, True)
    informing_record(member=members["officer"], case=case_a, kind="informed", informed_on=timezone.localdate(),
                     message="Gezegd dat de cel over hem sprak.")  # fmt: skip
    used = use_of(decision, consented)
    assert used.kind == UseKind.INFORMING
    assert used.carried_out_at is not None and used.carried_out_by == members["officer"].user
    assert use_of(decision, unanswered).carried_out_at is None
    # The person was informed: the other owner is no longer asked, and her answer would change nothing.
    assert consent_requests_count(member=members["officer"]) == 0
    with pytest.raises(ValidationError, match="Informing the person is over"):
        answer(members, decision, unanswered, True, owner="officer")


def test_the_coordinator_or_the_owner_records_a_share_with_the_partner(members, running, agenda, case_a):
    first, second = add(members, case_a), add(members, case_a)
    decision = record(members, agenda, "share_with_partner", partner=f"  {PARTNER} ", items=[first, second])
    assert decision.partner == PARTNER and use_of(decision, first).partner == PARTNER
    answer(members, decision, first, True)
    answer(members, decision, second, True)
    for someone in ("mayor", "officer"):
        with pytest.raises(PermissionDenied):
            use_record_shared(member=members[someone], use=use_of(decision, first))
    by_coordinator = use_record_shared(member=members["coordinator"], use=use_of(decision, first))
    assert by_coordinator.carried_out_by == members["coordinator"].user
    again = use_record_shared(member=members["participant"], use=use_of(decision, first))  # changes nothing
    assert (again.carried_out_at, again.carried_out_by) == (
        by_coordinator.carried_out_at,
        by_coordinator.carried_out_by,
    )
    by_owner = use_record_shared(member=members["participant"], use=use_of(decision, second))
    assert by_owner.carried_out_by == members["participant"].user
