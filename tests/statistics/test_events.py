"""The anonymous statistics events (livc/statistics): one at each step, in the step's transaction,
with the right kind, category, municipality, quarter and duration; none when the step is refused,
none twice when a form is sent twice; and nothing in them that points at a case or a person."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse

from cases.models import Case
from cases.services.cases import case_change_status, relation_add, relation_remove
from cases.services.referrals import QualificationData, referral_qualify
from livc.cells.models import Membership
from livc.statistics import categories
from livc.statistics.models import StatEvent, StatKind
from livc.statistics.services import quarter_of, stat_record, whole_months
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from tests.statistics.conftest import MEETING_DAY, at, events, refer

pytestmark = pytest.mark.django_db

Q4_2026 = (2026, 4)
TOKEN = re.compile(r'name="submission_token" value="([0-9a-f-]{36})"')
PRESENT_FOR_CASE_A = ("participant", "coordinator", "mayor", "officer")


def retain(members, referral):
    return referral_qualify(member=members["coordinator"], referral=referral,
                            data=QualificationData(outcome="retained", aim_signals="Oproepen tot geweld."))  # fmt: skip


def kinds():
    return list(StatEvent.objects.order_by("pk").values_list("kind", flat=True))


# --- Referrals --------------------------------------------------------------------------------------


def test_a_referral_received_counts_the_referrers_organisation_type_and_municipality(members, seats, joint):
    refer(members["participant"], municipality=joint["second"])  # bob sits for the CLB
    assert events() == [("referral_received", "clb", "99102", *Q4_2026, None)]


def test_a_referrer_who_sits_for_no_organisation_counts_as_none(cast, members, seats):
    dries = Membership.objects.get(cell=cast.cell_a, user=cast.dries)  # a member without a seat profile
    refer(dries)
    assert events() == [("referral_received", "none", "99101", *Q4_2026, None)]  # the cell's only one


@pytest.mark.parametrize(
    "overrides",
    [
        {"signals": " "},
        {"discussed_internally": False},
        {"referred_on": MEETING_DAY + datetime.timedelta(days=1)},
    ],
)
def test_a_refused_referral_counts_nothing(members, seats, overrides):
    with pytest.raises(ValidationError):
        refer(members["participant"], **overrides)
    assert not StatEvent.objects.exists()


def test_a_referral_for_another_cells_municipality_is_refused_and_counts_nothing(members, seats, joint, cast):
    with pytest.raises(ValidationError, match="one of the cell's municipalities"):
        refer(members["participant"], municipality=cast.cell_b.municipalities.get())
    with pytest.raises(PermissionDenied):
        refer(members["dpo"])
    assert not StatEvent.objects.exists()


@pytest.mark.parametrize("outcome", ["not_retained", "redirected"])
def test_a_qualification_counts_its_outcome_for_the_referrals_municipality(members, seats, joint, outcome):
    referral = refer(members["participant"], municipality=joint["second"])
    referral_qualify(member=members["coordinator"], referral=referral,
                     data=QualificationData(outcome=outcome, reason="Geen band met terrorisme."))  # fmt: skip
    assert events(kind="referral_qualified") == [("referral_qualified", outcome, "99102", *Q4_2026, None)]
    assert kinds() == ["referral_received", "referral_qualified"]  # no case opened


def test_a_retained_referral_counts_its_qualification_and_a_case_opened(members, seats, joint):
    referral = refer(members["participant"], municipality=joint["second"])
    retain(members, referral)
    assert events()[1:] == [
        ("referral_qualified", "retained", "99102", *Q4_2026, None),
        ("case_opened", "", "99102", *Q4_2026, None),
    ]


def test_a_refused_qualification_counts_nothing(members, seats):
    referral = refer(members["participant"])
    with pytest.raises(ValidationError):  # retained without the signals that tie it to the aim
        referral_qualify(member=members["coordinator"], referral=referral,
                         data=QualificationData(outcome="retained"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        retain({"coordinator": members["participant"]}, referral)
    assert kinds() == ["referral_received"]
    retain(members, referral)
    with pytest.raises(ValidationError, match="already been qualified"):
        retain(members, referral)
    assert kinds() == ["referral_received", "referral_qualified", "case_opened"]


# --- Cases ------------------------------------------------------------------------------------------


def test_a_case_opened_about_a_minor_counts_a_minor_involved_once(members, seats):
    retain(members, refer(members["participant"], minor=True))
    assert events(kind="minor_involved") == [("minor_involved", "", "99101", *Q4_2026, None)]


def test_a_case_that_comes_to_involve_a_minor_counts_it_then_and_only_then(members, seats, case_a, clock):
    assert not StatEvent.objects.filter(kind="minor_involved").exists()  # an adult, no minor relation
    coordinator = members["coordinator"]
    clock.move_to(at(datetime.date(2027, 2, 3)), tick=False)
    relation_add(member=coordinator, case=case_a, kind="sibling", name="Zus", birth_date=None, notes="",
                 is_minor=False)  # fmt: skip
    assert not StatEvent.objects.filter(kind="minor_involved").exists()
    relation_add(member=coordinator, case=case_a, kind="sibling", name="Broertje", birth_date=None, notes="",
                 is_minor=True)  # fmt: skip
    # Still involves a minor: counted already.
    relation_add(member=coordinator, case=case_a, kind="sibling", name="Zusje", birth_date=None, notes="",
                 is_minor=True)  # fmt: skip
    assert events(kind="minor_involved") == [("minor_involved", "", "99101", 2027, 1, None)]


def test_removing_the_minor_counts_nothing(members, seats, case_a):
    coordinator = members["coordinator"]
    relation = relation_add(member=coordinator, case=case_a, kind="sibling", name="Broertje", birth_date=None,
                            notes="", is_minor=True)  # fmt: skip
    relation_remove(member=coordinator, relation=relation)
    assert Case.objects.get(pk=case_a.pk).involves_minor is False
    assert len(events(kind="minor_involved")) == 1


@pytest.mark.parametrize(
    ("closed_on", "months", "quarter"),
    [
        (datetime.date(2026, 12, 19), 0, Q4_2026),
        (datetime.date(2027, 3, 20), 4, (2027, 1)),
        (datetime.date(2027, 4, 2), 4, (2027, 2)),
        (datetime.date(2028, 11, 20), 24, (2028, 4)),
    ],
)
def test_a_closed_case_counts_its_whole_months_since_it_opened(members, seats, case_a, clock, closed_on, months,
                                                               quarter):  # fmt: skip
    clock.move_to(at(closed_on), tick=False)
    case_change_status(
        member=members["coordinator"], case=case_a, status="closed", reason="Traject afgerond."
    )
    assert events(kind="case_closed") == [("case_closed", "", "99101", *quarter, months)]


def test_a_refused_closing_counts_nothing_and_reopening_counts_no_closing(members, seats, case_a):
    coordinator = members["coordinator"]
    with pytest.raises(ValidationError, match="reason"):
        case_change_status(member=coordinator, case=case_a, status="closed")
    with pytest.raises(PermissionDenied):
        case_change_status(member=members["mayor"], case=case_a, status="closed", reason="Afgerond.")
    case_change_status(member=coordinator, case=case_a, status="follow_up")
    assert not StatEvent.objects.filter(kind="case_closed").exists()
    case_change_status(member=coordinator, case=case_a, status="closed", reason="Afgerond.")
    with pytest.raises(ValidationError):  # closed already
        case_change_status(member=coordinator, case=case_a, status="closed", reason="Nog eens.")
    case_change_status(member=coordinator, case=case_a, status="open")  # reopened
    assert len(events(kind="case_closed")) == 1
    case_change_status(member=coordinator, case=case_a, status="closed", reason="Opnieuw afgerond.")
    assert len(events(kind="case_closed")) == 2  # closed a second time: a second closing


# --- Decisions --------------------------------------------------------------------------------------


def record(members, agenda, kind, **extra):
    return decision_services.decision_record(member=members["coordinator"], item=agenda["case_a"], kind=kind,
                                             **extra)  # fmt: skip


def agree_all(members, seats, decision, names=PRESENT_FOR_CASE_A):
    for name in names:
        decision = decision_services.agreement_record(member=members["coordinator"], decision=decision,
                                                      participant=seats[name], agrees=True)  # fmt: skip
    return decision


def test_an_extension_counts_when_decided(members, running, agenda):
    with pytest.raises(ValidationError):  # not motivated
        record(members, agenda, "extend_retention", extend_until=MEETING_DAY + datetime.timedelta(days=400))
    assert not StatEvent.objects.filter(kind="extension_decided").exists()
    record(members, agenda, "extend_retention", text="Ernstige aanwijzingen.",
           extend_until=MEETING_DAY + datetime.timedelta(days=400))  # fmt: skip
    assert events(kind="extension_decided") == [("extension_decided", "", "99101", *Q4_2026, None)]


def test_informing_counts_when_the_decision_becomes_valid_and_not_when_refused(
    members, running, agenda, seats
):
    decision = record(members, agenda, "inform_subject")
    decision = agree_all(members, seats, decision, PRESENT_FOR_CASE_A[:-1])
    assert not StatEvent.objects.filter(kind="informing_decided").exists()  # still awaiting the officer
    agree_all(members, seats, decision, PRESENT_FOR_CASE_A[-1:])
    assert events(kind="informing_decided") == [("informing_decided", "", "99101", *Q4_2026, None)]
    refused = decision_services.decision_record(member=members["coordinator"], item=agenda["other"],
                                                kind="inform_subject")  # fmt: skip
    decision_services.officer_objection(member=members["officer"], decision=refused, objects=True)
    assert len(events(kind="informing_decided")) == 1


def test_ltf_feedback_counts_once_when_passed_on(members, running, agenda, seats):
    decision = agree_all(members, seats, record(members, agenda, "ltf_feedback", text="Terugkoppeling."))
    assert not StatEvent.objects.filter(kind="ltf_feedback_given").exists()  # valid, not yet passed on
    with pytest.raises(PermissionDenied):
        decision_services.pass_on_to_ltf(member=members["coordinator"], decision=decision)
    decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)
    decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)  # items consented to since
    assert events(kind="ltf_feedback_given") == [("ltf_feedback_given", "", "99101", *Q4_2026, None)]


def test_refused_feedback_is_never_passed_on_nor_counted(members, running, agenda, seats):
    decision = record(members, agenda, "ltf_feedback")
    decision = decision_services.agreement_record(member=members["coordinator"], decision=decision,
                                                  participant=seats["participant"], agrees=False)  # fmt: skip
    with pytest.raises(ValidationError):
        decision_services.pass_on_to_ltf(member=members["officer"], decision=decision)
    assert not StatEvent.objects.filter(kind="ltf_feedback_given").exists()


# --- Meetings ---------------------------------------------------------------------------------------


def test_a_meeting_held_counts_its_table_for_the_whole_cell(members, running):
    coordinator = members["coordinator"]
    assert not StatEvent.objects.filter(kind="meeting_held").exists()  # started, not yet held
    meeting_services.meeting_end(member=coordinator, meeting=running)
    with pytest.raises(ValidationError):
        meeting_services.meeting_end(member=coordinator, meeting=running)
    meeting_services.meeting_finalise(member=coordinator, meeting=running)
    assert events(kind="meeting_held") == [("meeting_held", "operational", None, *Q4_2026, None)]


def test_a_strategic_meeting_counts_as_the_strategic_table(members, rules, acknowledged_again):
    coordinator = members["coordinator"]
    meeting = meeting_services.meeting_create(member=coordinator, kind="strategic", title="Beleid",
                                              starts_at=at(MEETING_DAY, hour=9))  # fmt: skip
    meeting = meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    assert events() == [("meeting_held", "strategic", None, *Q4_2026, None)]


# --- Sent twice -------------------------------------------------------------------------------------


def send_twice(client, page, url, data):
    token = TOKEN.search(client.get(page).content.decode())[1]
    return [client.post(url, {**data, "submission_token": token}) for _ in range(2)]


def test_a_referral_sent_twice_counts_once(cast, as_user, seats):
    url = reverse("cases:referral_new", kwargs={"cell_slug": "alfa"})
    data = {"pseudonym": "Persoon Linde", "referred_on": "2026-11-18", "signals": "Verheerlijkt aanslagen.",
            "urgency": "normal", "discussed_internally": "on"}  # fmt: skip
    first, second = send_twice(as_user(cast.bob), url, url, data)
    assert first.status_code == second.status_code == 302
    assert events() == [("referral_received", "clb", "99101", *Q4_2026, None)]


def test_a_qualification_and_a_closing_sent_twice_count_once(cast, as_user, members, seats):
    referral = refer(members["participant"])
    client = as_user(cast.alice)
    kwargs = {"cell_slug": "alfa", "pk": referral.pk}
    send_twice(client, reverse("cases:referral_detail", kwargs=kwargs), reverse("cases:referral_qualify", kwargs=kwargs),
               {"outcome": "retained", "aim_signals": "Oproepen tot geweld."})  # fmt: skip
    case = Case.objects.get()
    close = reverse("cases:close", kwargs={"cell_slug": "alfa", "pk": case.pk})
    send_twice(client, close, close, {"reason": "Opvolging afgerond."})
    assert kinds() == ["referral_received", "referral_qualified", "case_opened", "case_closed"]


def test_ending_a_meeting_sent_twice_counts_once(cast, as_user, running):
    client = as_user(cast.alice)
    page = reverse("meetings:detail", kwargs={"cell_slug": "alfa", "pk": running.pk})
    end = reverse("meetings:advance", kwargs={"cell_slug": "alfa", "pk": running.pk, "step": "end"})
    send_twice(client, page, end, {})
    assert events(kind="meeting_held") == [("meeting_held", "operational", None, *Q4_2026, None)]


# --- Nothing personal -------------------------------------------------------------------------------


def test_an_event_holds_no_link_to_a_case_or_a_person():
    fields = {field.name: field for field in StatEvent._meta.get_fields()}
    assert set(fields) == {"id", "cell", "municipality", "kind", "detail", "months", "year", "quarter"}
    related = {field.related_model for field in fields.values() if field.is_relation}
    assert {model._meta.label for model in related} == {"cells.Cell", "cells.Municipality"}
    # No day, only the quarter.
    assert not any(isinstance(field, models.DateField) for field in fields.values())


def test_no_event_says_a_reference_an_id_or_a_name(members, running, agenda, seats, case_a, other_case):
    agree_all(members, seats, record(members, agenda, "ltf_feedback"))
    record(members, agenda, "close_case", text="Afgerond.")
    meeting_services.meeting_end(member=members["coordinator"], meeting=running)
    assert set(kinds()) >= {"referral_received", "case_opened", "case_closed", "meeting_held"}
    said = {str(value) for row in StatEvent.objects.values_list("detail", "months") for value in row}
    for case in (case_a, other_case):
        assert not said & {case.reference, str(case.pk), str(case.referral_id), str(case.subject_id),
                           case.subject.pseudonym}  # fmt: skip
    assert all(detail in categories.categories(kind) or detail == ""
               for kind, detail in StatEvent.objects.values_list("kind", "detail"))  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "detail", "months"),
    [
        ("referral_received", "Persoon Eik", None),  # free text
        ("referral_received", "", None),  # a received referral always says by whom
        ("case_opened", "clb", None),  # no category for this kind
        ("meeting_held", "retained", None),  # another kind's category
        ("case_opened", "", 3),  # only a closed case has a duration
        ("case_closed", "", -1),
        ("a_new_kind", "", None),
    ],
)
def test_stat_record_refuses_what_is_not_on_the_closed_lists(cast, kind, detail, months):
    with pytest.raises(ValueError):
        stat_record(cell=cast.cell_a, kind=kind, on=MEETING_DAY, detail=detail, months=months)
    assert not StatEvent.objects.exists()


def test_every_category_is_registered_by_the_apps_that_record_it():
    assert set(categories.categories(StatKind.REFERRAL_QUALIFIED)) == {
        "retained",
        "not_retained",
        "redirected",
    }
    assert set(categories.categories(StatKind.MEETING_HELD)) == {"operational", "strategic"}
    assert {"clb", "school", "local_police", "none"} <= set(categories.categories(StatKind.REFERRAL_RECEIVED))
    assert categories.categories(StatKind.CASE_CLOSED) == {}


@pytest.mark.parametrize(
    ("day", "quarter"),
    [(datetime.date(2026, 1, 1), 1), (datetime.date(2026, 3, 31), 1), (datetime.date(2026, 4, 1), 2),
     (datetime.date(2026, 9, 30), 3), (datetime.date(2026, 10, 1), 4), (datetime.date(2026, 12, 31), 4)],
)  # fmt: skip
def test_the_quarter_of_a_day(day, quarter):
    assert quarter_of(day) == quarter


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), 0),
        (datetime.date(2026, 1, 31), datetime.date(2026, 3, 3), 1),
        (datetime.date(2026, 11, 20), datetime.date(2026, 11, 20), 0),
        (datetime.date(2026, 11, 20), datetime.date(2027, 11, 19), 11),
        (datetime.date(2026, 11, 20), datetime.date(2027, 11, 20), 12),
    ],
)
def test_whole_months(start, end, months):
    assert whole_months(start, end) == months
