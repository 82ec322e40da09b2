"""The purge with a frozen clock: nothing the day before, everything the day after."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from cases.models import (
    Case,
    CaseUserObjectPermission,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    Referral,
    Relation,
    Seat,
    Subject,
)
from livc.audit.chain import seal_all_pending, verify_chain
from livc.audit.events import EventKind
from livc.audit.models import LogEntry
from meetings.models import Action, Addendum, AgendaItem, Decision, MinutesDocument
from retention import services
from retention.models import PurgeRecord, RetentionSettings
from tests.retention.conftest import KEEP_UNTIL, MEETING_DAY, discuss, purge_on

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
CASE_DEPENDANTS = (
    Seat,
    CaseUserObjectPermission,
    InformationItem,
    Relation,
    InformingEntry,
    Decision,
    Action,
)


def test_the_day_before_expiry_nothing_goes(clock, scenario):
    run = purge_on(clock, KEEP_UNTIL)
    assert run.records == [] and run.failed == []
    assert Case.objects.count() == 2
    assert all(model.objects.exists() for model in CASE_DEPENDANTS)
    assert AgendaItem.objects.filter(removed_on__isnull=False).count() == 0


def test_the_day_after_everything_goes(clock, scenario, cast):
    agenda = scenario["agenda"]
    run = purge_on(clock, KEEP_UNTIL + DAY)
    assert sorted(record.reference for record in run.records) == ["2026-0001", "2026-0002"]
    assert (run.run.cases, run.run.referrals) == (2, 0)
    for model in (Case, Referral, Subject, MinutesDocument, IdentityRequest, *CASE_DEPENDANTS):
        assert not model.objects.exists(), model
    for key in ("case_a", "other"):
        item = AgendaItem.objects.get(pk=agenda[key].pk)
        assert item.case is None and item.removed_on == KEEP_UNTIL + DAY
        assert (item.signals, item.assessment, item.agreements) == ("", "", "")
    assert Addendum.objects.get().text == ""
    topic = AgendaItem.objects.get(pk=agenda["topic"].pk)
    assert topic.agreements == "Planning van het jaar." and topic.removed_on is None  # a topic has one text


def test_it_leaves_a_purge_record_and_one_event_and_scrubs_the_earlier_entries(clock, scenario, cast):
    case = scenario["case_a"]
    case_type = ContentType.objects.get_for_model(Case)
    assert LogEntry.objects.filter(content_type=case_type, object_pk=str(case.pk), scrubbed_at=None).exists()
    purge_on(clock, KEEP_UNTIL + DAY)
    record = PurgeRecord.objects.get(reference="2026-0001")
    assert (record.cell, record.kind, record.basis, record.keep_until) == (
        cast.cell_a,
        "case",
        "one_year",
        KEEP_UNTIL,
    )
    assert record.counts["deleted"]["cases.Case"] == 1 and record.counts["deleted"]["cases.Seat"] == 1
    assert record.counts["erased"] == {"meetings.AgendaItem": 1, "meetings.Addendum": 1}
    assert record.counts["audit_entries_scrubbed"] > 10
    assert "1 information item" in record.summary()
    event = LogEntry.objects.get(event=EventKind.PURGE, object_pk=str(record.pk))
    assert event.cell == cast.cell_a and event.additional_data == {"purge_record": record.pk, "kind": "case"}
    about_case = LogEntry.objects.filter(content_type=case_type, object_pk=str(case.pk))
    assert about_case.exists() and not about_case.filter(scrubbed_at=None).exists()
    assert set(about_case.values_list("object_repr", flat=True)) == {""}
    seal_all_pending()
    assert verify_chain(cast.cell_a.pk).ok


def test_a_second_run_finds_nothing_left(clock, scenario):
    assert len(purge_on(clock, KEEP_UNTIL + DAY).records) == 2
    assert purge_on(clock, KEEP_UNTIL + DAY).records == []
    assert PurgeRecord.objects.count() == 2


def test_an_extension_moves_the_date(clock, scenario, members, seats):
    case_a = scenario["case_a"]
    discuss(clock, members, seats, case_a, datetime.date(2027, 6, 1), extend_until=datetime.date(2029, 6, 30))
    assert [r.reference for r in purge_on(clock, KEEP_UNTIL + DAY).records] == ["2026-0002"]
    assert purge_on(clock, datetime.date(2029, 6, 30)).records == []
    record = purge_on(clock, datetime.date(2029, 7, 1)).records[0]
    assert (record.reference, record.basis, record.extension_from) == (
        "2026-0001",
        "decision",
        datetime.date(2027, 6, 1),
    )


def test_a_new_discussion_restarts_the_year(clock, scenario, members, seats):
    discuss(clock, members, seats, scenario["case_a"], datetime.date(2027, 10, 1))
    assert [r.reference for r in purge_on(clock, KEEP_UNTIL + DAY).records] == ["2026-0002"]
    assert purge_on(clock, datetime.date(2028, 10, 1)).records == []
    assert [r.reference for r in purge_on(clock, datetime.date(2028, 10, 2)).records] == ["2026-0001"]


def test_five_years_after_the_last_discussion_is_a_hard_ceiling(clock, scenario, members, seats):
    case_a = scenario["case_a"]
    discuss(clock, members, seats, case_a, datetime.date(2027, 6, 1), extend_until=datetime.date(2032, 6, 1))
    # A value beyond the ceiling, as an older version or a hand edit might have left it.
    Decision.objects.filter(case=case_a, kind="extend_retention").update(
        extend_until=datetime.date(2040, 1, 1)
    )
    assert [r.reference for r in purge_on(clock, datetime.date(2032, 6, 1)).records] == ["2026-0002"]
    record = purge_on(clock, datetime.date(2032, 6, 2)).records[0]
    assert (record.reference, record.basis, record.keep_until) == (
        "2026-0001",
        "ceiling",
        datetime.date(2032, 6, 1),
    )


def test_a_case_no_longer_due_when_its_turn_comes_is_left_alone(clock, scenario):
    clock.move_to(datetime.datetime(2027, 11, 21, 3), tick=False)
    assert services.case_purge(case_id=scenario["case_a"].pk, today=KEEP_UNTIL) is None
    assert services.case_purge(case_id=scenario["case_a"].pk, today=KEEP_UNTIL + DAY) is not None
    assert services.case_purge(case_id=scenario["case_a"].pk, today=KEEP_UNTIL + DAY) is None


def test_in_one_batch_only_the_cases_still_due_go(clock, scenario):
    clock.move_to(datetime.datetime(2027, 11, 21, 3), tick=False)
    both = [scenario["case_a"].pk, scenario["other_case"].pk]
    assert services.cases_purge(case_ids=both, today=KEEP_UNTIL) == []
    records = services.cases_purge(case_ids=both, today=KEEP_UNTIL + DAY)
    assert sorted(record.reference for record in records) == ["2026-0001", "2026-0002"]
    assert not Case.objects.exists() and not Subject.objects.exists()
    counts = {record.reference: record.counts for record in records}
    assert counts["2026-0001"]["deleted"]["cases.Seat"] == 1
    assert "cases.Seat" not in counts["2026-0002"]["deleted"]  # each record counts its own case
    assert counts["2026-0002"]["deleted"]["meetings.MinutesDocument"] == 1


def test_a_not_retained_referral_goes_after_its_short_period(clock, not_retained):
    subject_id = not_retained.subject_id
    assert purge_on(clock, MEETING_DAY + datetime.timedelta(days=30)).records == []
    run = purge_on(clock, MEETING_DAY + datetime.timedelta(days=31))
    assert [(r.kind, r.reference, r.basis) for r in run.records] == [("referral", "", "not_retained")]
    assert not Referral.objects.filter(pk=not_retained.pk).exists()
    assert not Subject.objects.filter(pk=subject_id).exists()
    about = LogEntry.objects.filter(object_pk__in=[str(not_retained.pk), str(subject_id)])
    assert about.exists() and not about.filter(scrubbed_at=None).exists()


def test_the_cells_own_period_applies(clock, cast, not_retained):
    RetentionSettings.objects.create(cell=cast.cell_a, not_retained_days=7)
    assert purge_on(clock, MEETING_DAY + datetime.timedelta(days=7)).records == []
    assert len(purge_on(clock, MEETING_DAY + datetime.timedelta(days=8)).records) == 1


def test_a_referral_awaiting_qualification_is_never_purged(clock, members, seats):
    from cases.services.referrals import ReferralData, referral_submit

    referral = referral_submit(
        member=members["participant"],
        data=ReferralData(
            referred_on=MEETING_DAY, signals="Zorgen.", pseudonym="Persoon Es", discussed_internally=True
        ),
    )
    assert purge_on(clock, MEETING_DAY + datetime.timedelta(days=3000)).records == []
    assert Referral.objects.filter(pk=referral.pk).exists()
