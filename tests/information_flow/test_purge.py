"""The retention purge takes along everything issue 18 adds about a person (docs/rules.md, rule 15):
the ledger of an item's uses, the "known to your service?" round, and the details of a
subject-access request about the person with their exception questions, the details' data key
destroyed first. The request's register line stays, content-free, with its dates and outcome.
The purge records count the new rows."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cases.models import InformationItem, ItemUse, KnownToService, UseConsent, UseKind
from cases.services.round import known_to_service_answer
from dpo.models import (
    AccessOutcome,
    AccessRequest,
    AccessRequestDetails,
    AccessRequestStatus,
    ExceptionQuestion,
)
from livc.audit.models import LogEntry
from livc.crypto import datakeys
from livc.crypto.datakeys import KeyDestroyedError, owner_name
from livc.crypto.models import DataKey, DestroyedBecause
from meetings.models import Decision
from retention.models import PurgeRecord
from tests.retention.conftest import KEEP_UNTIL, MEETING_DAY, purge_on

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
# The register line's columns: dates, status and outcome; nothing that says who asked or about whom.
REGISTER_COLUMNS = {
    "id", "cell", "number", "received_on", "due_on", "extended_to", "status", "outcome", "answered_on",
    "recorded_at",
}  # fmt: skip


def access_request(cast, members, *, number, subject, item=None):
    """An answered request about `subject` (None: matched nobody), recorded with the ORM: its
    details, the officer's question about the whole case and, for `item`, its owner's question."""
    request = AccessRequest.objects.create(
        cell=cast.cell_a, number=number, received_on=MEETING_DAY, due_on=MEETING_DAY + datetime.timedelta(days=30),
        status=AccessRequestStatus.ANSWERED, outcome=AccessOutcome.RESTRICTED,
        answered_on=MEETING_DAY + datetime.timedelta(days=20),
    )  # fmt: skip
    details = AccessRequestDetails.objects.create(
        request=request, subject=subject, first_name="Tom", last_name="VRAGER-GEHEIM",
        birth_date=datetime.date(1999, 1, 2), language="nl", identity_check="Identiteitskaart gezien.",
        postal_address="Vragerstraat 1", recorded_by=cast.dpo,
    )  # fmt: skip
    now = timezone.now()
    ExceptionQuestion.objects.create(
        details=details, item=None, asked=members["officer"], applies=True, ground="investigation",
        reason="ONDERZOEK-GEHEIM", answered_at=now, answered_by=cast.officer,
    )  # fmt: skip
    if item is not None:
        ExceptionQuestion.objects.create(
            details=details, item=item, asked=members["participant"], applies=False, answered_at=now,
            answered_by=cast.bob,
        )  # fmt: skip
    return request, details


@pytest.fixture
def flows(scenario, cast, members):
    """case_a with a use of bob's item (passed to the Local Taskforce, with his consent), bob's
    answer to the round, and a subject-access request about its person; and a request that
    matched nobody."""
    case = scenario["case_a"]
    item = InformationItem.objects.get(case=case)
    decision = Decision.objects.get(case=case)
    now = timezone.now()
    use = ItemUse.objects.create(
        item=item, kind=UseKind.LTF_FEEDBACK, decision_id=decision.pk, asked_by=cast.alice,
        consent=UseConsent.GIVEN, consent_at=now, carried_out_at=now, carried_out_by=cast.officer,
    )  # fmt: skip
    answer = known_to_service_answer(member=members["participant"], case=case, answer="known")
    request, details = access_request(cast, members, number=1, subject=case.subject, item=item)
    nobody, nobodys = access_request(cast, members, number=2, subject=None)
    return {
        "case": case, "use": use, "answer": answer, "request": request, "details": details,
        "nobody": nobody, "nobodys": nobodys,
    }  # fmt: skip


def key_of(model, pk):
    return DataKey.objects.get(owner=owner_name(model, pk))


def assert_destroyed(key):
    key.refresh_from_db()
    assert key.wrapped is None and key.destroyed_at is not None
    assert key.destroyed_because == DestroyedBecause.RETENTION


def assert_register_line_kept(request):
    """The line is there, as it was: number, dates, status, outcome."""
    kept = AccessRequest.objects.get(pk=request.pk)
    fields = ("number", "received_on", "due_on", "extended_to", "status", "outcome", "answered_on")
    assert [getattr(kept, name) for name in fields] == [getattr(request, name) for name in fields]


def test_the_register_line_holds_nothing_personal():
    assert {field.name for field in AccessRequest._meta.concrete_fields} == REGISTER_COLUMNS
    assert not [field for field in AccessRequest._meta.get_fields() if field.is_relation and field.name != "cell"
                and not (field.one_to_one and field.name == "details")]  # fmt: skip


def test_nothing_goes_the_day_before(clock, flows):
    purge_on(clock, KEEP_UNTIL)
    assert ItemUse.objects.filter(pk=flows["use"].pk).exists()
    assert KnownToService.objects.filter(pk=flows["answer"].pk).exists()
    assert AccessRequestDetails.objects.filter(pk=flows["details"].pk).exists()
    assert ExceptionQuestion.objects.filter(details=flows["details"]).count() == 2


def test_the_case_takes_its_uses_its_round_and_the_access_requests_details_along(clock, flows):
    details = flows["details"]
    details_key = key_of(AccessRequestDetails, details.pk)
    person_key = key_of(type(flows["case"].subject), flows["case"].subject_id)
    purge_on(clock, KEEP_UNTIL + DAY)
    assert not ItemUse.objects.exists()
    assert not KnownToService.objects.exists()
    assert not AccessRequestDetails.objects.filter(pk=details.pk).exists()
    assert not ExceptionQuestion.objects.filter(details_id=details.pk).exists()
    assert_destroyed(details_key)  # the details were unreadable before they were deleted
    assert_destroyed(person_key)  # the round's answer was sealed with the person's key
    assert_register_line_kept(flows["request"])


def test_a_copy_of_the_details_taken_before_the_purge_no_longer_opens(clock, flows):
    """What a backup holds of the details: sealed with a key that no longer exists."""
    details = flows["details"]
    stored = AccessRequestDetails.objects.filter(pk=details.pk).values_list("last_name", flat=True).get()
    answer = KnownToService.objects.filter(pk=flows["answer"].pk).values_list("answer", flat=True).get()
    purge_on(clock, KEEP_UNTIL + DAY)
    datakeys.keys.clear()
    with pytest.raises(KeyDestroyedError):
        AccessRequestDetails._meta.get_field("last_name").decrypt_for_row(stored, details.pk)
    with pytest.raises(KeyDestroyedError):
        KnownToService._meta.get_field("answer").decrypt_for_row(answer, flows["answer"].pk)


def test_a_request_that_matched_nobody_is_not_the_case_purges_business(clock, flows):
    purge_on(clock, KEEP_UNTIL + DAY)
    assert AccessRequestDetails.objects.filter(pk=flows["nobodys"].pk).exists()
    assert ExceptionQuestion.objects.filter(details=flows["nobodys"]).count() == 1
    assert key_of(AccessRequestDetails, flows["nobodys"].pk).destroyed_at is None


def test_the_purge_record_counts_the_new_rows_and_the_details_key(clock, flows):
    live_before = set(DataKey.objects.filter(destroyed_at=None).values_list("owner", flat=True))
    purge_on(clock, KEEP_UNTIL + DAY)
    record = PurgeRecord.objects.get(reference=flows["case"].reference)
    deleted = record.counts["deleted"]
    assert deleted["cases.ItemUse"] == 1
    assert deleted["cases.KnownToService"] == 1
    assert deleted["dpo.AccessRequestDetails"] == 1
    assert deleted["dpo.ExceptionQuestion"] == 2  # the owner's (with the item) and the officer's
    destroyed = set(
        DataKey.objects.filter(destroyed_because=DestroyedBecause.RETENTION).values_list("owner", flat=True)
    )
    assert owner_name(AccessRequestDetails, flows["details"].pk) in destroyed
    other = PurgeRecord.objects.get(reference=flows_other_reference(flows))
    assert record.counts["data_keys_destroyed"] + other.counts["data_keys_destroyed"] == len(
        destroyed & live_before
    )
    summary = record.summary()
    for line in ("1 use of an information item", "1 answer to the “known to your service?” round",
                 "1 subject-access request details", "2 exception questions"):  # fmt: skip
        assert line in summary, summary


def flows_other_reference(flows):
    return PurgeRecord.objects.exclude(reference=flows["case"].reference).get(kind="case").reference


def test_the_audit_entries_of_the_round_and_the_ledger_are_scrubbed(clock, flows):
    kinds = [ContentType.objects.get_for_model(model) for model in (KnownToService, ItemUse)]
    about = LogEntry.objects.filter(content_type__in=kinds)
    assert about.filter(content_type=kinds[0]).exists()
    purge_on(clock, KEEP_UNTIL + DAY)
    assert not about.filter(scrubbed_at=None).exists()


# --- A referral that was not retained ---------------------------------------------------------------


@pytest.fixture
def asked_about_referral(not_retained, cast, members):
    return access_request(cast, members, number=3, subject=not_retained.subject)


def test_a_not_retained_referrals_purge_takes_the_details_of_a_request_about_its_person(
    clock, not_retained, asked_about_referral
):
    request, details = asked_about_referral
    details_key = key_of(AccessRequestDetails, details.pk)
    assert purge_on(clock, MEETING_DAY + datetime.timedelta(days=30)).records == []
    assert AccessRequestDetails.objects.filter(pk=details.pk).exists()
    run = purge_on(clock, MEETING_DAY + datetime.timedelta(days=31))
    assert [record.kind for record in run.records] == ["referral"]
    assert not AccessRequestDetails.objects.filter(pk=details.pk).exists()
    assert not ExceptionQuestion.objects.filter(details_id=details.pk).exists()
    assert_destroyed(details_key)
    assert_register_line_kept(request)
    counts = run.records[0].counts
    assert (counts["deleted"]["dpo.AccessRequestDetails"], counts["deleted"]["dpo.ExceptionQuestion"]) == (
        1,
        1,
    )
    assert counts["data_keys_destroyed"] == 2  # the person's and the details'
