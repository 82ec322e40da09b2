"""The case search (issue 19): by reference, pseudonym, status and meeting (GET), and by a person's
name and date of birth through the keyed hash, exact only (POST). Scoped as the case list (a
participant finds only the cases at whose table she sits, no cell finds another's, the DPO has no
search), logged (every case shown is named by the access entry, every search by a person is an
event that holds no name, date or hash), and refusing bad input with form errors."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.identity import identity_hash
from cases.models import Case, Subject
from cases.selectors import case_search
from cases.services.identity import Identity
from cases.services.search import PERSON_SEARCHED
from cases.services.seats import seat_participant
from livc.audit.models import AccessedCase, LogAction, LogEntry
from livc.cells.models import Membership
from meetings.models import Meeting
from meetings.services import meetings as meeting_services
from participants.models import RulesOfProcedure, RulesStatus
from participants.rules import acknowledgement_record
from tests.base import earlier_today
from tests.cases.conftest import make_case
from tests.cases.test_list_scaling import add_cases
from tests.factories import OrganisationFactory, ParticipantFactory
from tests.meetings.conftest import acknowledged_again, rules  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db

# case_a's person (tests/cases/conftest.py::make_case)
TOM = {"first_name": "Tom", "last_name": "Testeling", "birth_date": "1999-01-02"}


@pytest.fixture
def meeting(members, rules, acknowledged_again):  # noqa: F811  fixtures
    return meeting_services.meeting_create(
        member=members["coordinator"], kind="operational", title="Casusoverleg november",
        starts_at=earlier_today(hours=1),
    )  # fmt: skip


def search_url(slug="alfa"):
    return reverse("cases:search", kwargs={"cell_slug": slug})


def found(response):
    """The references of the cases the page lists, in its order."""
    assert response.status_code == 200
    return re.findall(r'/cases/[0-9a-f-]{36}/">([^<]+)</a>', response.content.decode())


def last_access():
    entry = LogEntry.objects.filter(action=LogAction.ACCESS).latest("pk")
    return entry, set(AccessedCase.objects.filter(entry=entry).values_list("case_pk", flat=True))


def person_events():
    return LogEntry.objects.filter(action=LogAction.EVENT, event=PERSON_SEARCHED).order_by("pk")


# --- What is found -----------------------------------------------------------------------------------


def test_by_reference_exact_or_prefix(cast, as_user, case_a, other_case):
    client = as_user(cast.alice)
    assert found(client.get(search_url(), {"text": case_a.reference})) == [case_a.reference]
    year = case_a.reference.split("-")[0]
    assert sorted(found(client.get(search_url(), {"text": f"{year}-"}))) == sorted(
        [case_a.reference, other_case.reference]
    )
    # A prefix, not a part: the number alone is found in no reference (nor pseudonym).
    assert found(client.get(search_url(), {"text": case_a.reference.split("-")[1]})) == []


def test_by_pseudonym_any_part_any_case(cast, as_user, case_a, other_case):
    client = as_user(cast.alice)
    assert found(client.get(search_url(), {"text": "eIK"})) == [case_a.reference]  # "Persoon Eik"
    assert found(client.get(search_url(), {"text": "  beuk "})) == [other_case.reference]
    assert sorted(found(client.get(search_url(), {"text": "persoon"}))) == sorted(
        [case_a.reference, other_case.reference]
    )
    assert found(client.get(search_url(), {"text": "%"})) == []  # no wildcard: a plain character


def test_by_status_alone_and_with_text(cast, as_user, case_a, other_case):
    Case.objects.filter(pk=other_case.pk).update(status="closed")
    client = as_user(cast.alice)
    assert found(client.get(search_url(), {"status": "closed"})) == [other_case.reference]
    assert found(client.get(search_url(), {"status": "open"})) == [case_a.reference]
    assert found(client.get(search_url(), {"status": "open", "text": "beuk"})) == []


def test_by_meeting_the_cases_on_its_agenda(cast, as_user, members, case_a, other_case, meeting):
    coordinator = members["coordinator"]
    meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=other_case)
    meeting_services.agenda_add_topic(member=coordinator, meeting=meeting, topic="Jaarplanning")
    later = meeting_services.meeting_create(
        member=coordinator,
        kind="operational",
        title="Casusoverleg december",
        starts_at=earlier_today(hours=2),
    )
    meeting_services.agenda_add_case(member=coordinator, meeting=later, case=case_a)
    meeting_services.agenda_add_case(member=coordinator, meeting=later, case=other_case)
    strategic = meeting_services.meeting_create(
        member=coordinator, kind="strategic", title="Strategisch overleg", starts_at=earlier_today(hours=3)
    )
    client = as_user(cast.alice)
    page = client.get(search_url()).content.decode()
    assert "Casusoverleg november" in page and "Casusoverleg december" in page
    assert f'value="{strategic.pk}"' not in page  # a strategic meeting holds no case
    assert found(client.get(search_url(), {"meeting": meeting.pk})) == [other_case.reference]
    assert sorted(found(client.get(search_url(), {"meeting": later.pk}))) == sorted(
        [case_a.reference, other_case.reference]
    )
    assert found(client.get(search_url(), {"meeting": later.pk, "text": "eik"})) == [case_a.reference]
    # bob sits at case_a's table only: on the same agenda he finds his case and no other.
    acknowledgement_record(cell=cast.cell_a, user=cast.bob)
    assert found(as_user(cast.bob).get(search_url(), {"meeting": later.pk})) == [case_a.reference]
    assert found(as_user(cast.bob).get(search_url(), {"meeting": meeting.pk})) == []


def test_a_meeting_of_another_cell_is_no_choice(cast, as_user, case_a, meeting):
    rules_b = RulesOfProcedure.objects.create(cell=cast.cell_b, version=1, text="R", status=RulesStatus.IN_FORCE,
                                              drafted_by=cast.charlie, approved_by=cast.charlie)  # fmt: skip
    elsewhere = Meeting.objects.create(cell=cast.cell_b, kind="operational", title="Overleg Bravo",
                                       starts_at=earlier_today(hours=1), rules=rules_b, created_by=cast.charlie)  # fmt: skip
    client = as_user(cast.alice)
    assert "Overleg Bravo" not in client.get(search_url()).content.decode()
    response = client.get(search_url(), {"meeting": elsewhere.pk})
    assert found(response) == [] and "Select a valid choice" in response.content.decode()


def test_by_name_and_birth_date_exact_only(cast, as_user, case_a, other_case):
    client = as_user(cast.alice)
    assert found(client.post(search_url(), TOM)) == [case_a.reference]
    # Normalised as when it was recorded: capitals, accents and the order of the names do not matter.
    swapped = {"first_name": "TESTÉLING", "last_name": "tom", "birth_date": "1999-01-02"}
    assert found(client.post(search_url(), swapped)) == [case_a.reference]
    assert found(client.post(search_url(), {**TOM, "birth_date": "1999-01-03"})) == []
    assert found(client.post(search_url(), {**TOM, "last_name": "Testelin"})) == []  # no prefix
    assert found(client.post(search_url(), {**TOM, "first_name": "To"})) == []
    bea = {"first_name": "Bea", "last_name": "Verborgen", "birth_date": "1999-01-02"}
    assert found(client.post(search_url(), bea)) == [other_case.reference]


def test_a_person_recorded_without_identity_is_never_found_by_an_empty_name(cast, members, seats):
    """The selector's own guard: without a name there is no hash, and the people recorded without
    an identity (whose hash is empty) must not match it."""
    anonymous = make_case(members, pseudonym="Persoon Linde", minor=True)
    assert Subject.objects.get(pk=anonymous.subject_id).identity_hash == ""
    nobody = Identity(first_name="", last_name=" ", birth_date=datetime.date(1999, 1, 2))
    assert list(case_search(member=members["coordinator"], person=nobody)) == []
    assert list(case_search(member=members["coordinator"], text="linde"))  # the case is there


# --- Scoped ------------------------------------------------------------------------------------------


def test_a_participant_finds_only_the_cases_at_whose_table_she_sits(cast, as_user, case_a, other_case):
    client = as_user(cast.bob)
    assert found(client.get(search_url(), {"text": "persoon"})) == [case_a.reference]
    assert found(client.get(search_url(), {"text": other_case.reference})) == []
    assert found(client.post(search_url(), TOM)) == [case_a.reference]
    bea = {"first_name": "Bea", "last_name": "Verborgen", "birth_date": "1999-01-02"}
    assert found(client.post(search_url(), bea)) == []
    assert person_events().last().additional_data == {"found": 0}


def test_another_cells_cases_never_appear_even_for_the_same_person(cast, as_user, members, case_a):
    """Cell B holds a case about the same person (same name and date of birth): cell A's coordinator
    finds only A's; cell B's coordinator only B's."""
    in_b = {
        "coordinator": members["charlie"],
        "participant": Membership.objects.get(user=cast.dries, cell=cast.cell_b),
    }
    theirs = make_case(in_b, pseudonym="Persoon Eik")
    assert Subject.objects.get(pk=theirs.subject_id).identity_hash not in ("", case_a.subject.identity_hash)
    assert found(as_user(cast.alice).post(search_url(), TOM)) == [case_a.reference]
    assert found(as_user(cast.alice).get(search_url(), {"text": "eik"})) == [case_a.reference]
    charlie = as_user(cast.charlie)
    assert found(charlie.post(search_url("bravo"), TOM)) == [theirs.reference]
    assert found(charlie.get(search_url("bravo"), {"text": "eik"})) == [theirs.reference]
    entry, shown = last_access()
    assert entry.cell_id == cast.cell_b.pk and shown == {str(theirs.pk)}


def test_a_member_of_two_cells_finds_in_each_only_that_cells_cases(cast, as_user, members, case_a):
    """dries sits in cell A at a case about Tom, and in cell B at a case about the same Tom."""
    dries_a = ParticipantFactory(membership=Membership.objects.get(user=cast.dries, cell=cast.cell_a),
                                 organisation=OrganisationFactory(cell=cast.cell_a))  # fmt: skip
    seat_participant(member=members["coordinator"], case=case_a, participant=dries_a)
    dries_b = Membership.objects.get(user=cast.dries, cell=cast.cell_b)
    profile_b = ParticipantFactory(membership=dries_b, organisation=OrganisationFactory(cell=cast.cell_b))
    theirs = make_case({"coordinator": members["charlie"], "participant": dries_b}, pseudonym="Persoon Eik")
    seat_participant(member=members["charlie"], case=theirs, participant=profile_b)
    acknowledgement_record(cell=cast.cell_a, user=cast.dries)
    acknowledgement_record(cell=cast.cell_b, user=cast.dries)
    client = as_user(cast.dries)
    assert found(client.post(search_url("alfa"), TOM)) == [case_a.reference]
    assert found(client.get(search_url("alfa"), {"text": "eik"})) == [case_a.reference]
    assert found(client.post(search_url("bravo"), TOM)) == [theirs.reference]
    assert found(client.get(search_url("bravo"), {"text": "eik"})) == [theirs.reference]
    cells = list(person_events().values_list("cell_id", flat=True))
    assert cells == [cast.cell_a.pk, cast.cell_b.pk]  # each search noted in its own cell


def test_the_dpo_has_no_case_search(cast, as_user, case_a):
    client = as_user(cast.dpo)
    before = LogEntry.objects.count()
    assert client.get(search_url()).status_code == 404
    assert client.get(search_url(), {"text": "eik"}).status_code == 404
    assert client.post(search_url(), TOM).status_code == 404
    assert LogEntry.objects.count() == before  # nothing searched, nothing noted


def test_the_menu_and_the_case_list_lead_to_the_search(cast, as_user, case_a):
    link = f'href="{search_url()}"'
    for user in (cast.alice, cast.bob, cast.mayor, cast.officer):
        assert link in as_user(user).get(reverse("cases:list", kwargs={"cell_slug": "alfa"})).content.decode()
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert link not in as_user(cast.dpo).get(home).content.decode()


# --- Logged ------------------------------------------------------------------------------------------


def test_the_access_entry_names_every_case_shown_and_only_those(
    cast, as_user, case_a, other_case, monkeypatch
):
    monkeypatch.setattr("cases.views.search.PAGE_SIZE", 1)
    client = as_user(cast.alice)
    first = found(client.get(search_url(), {"text": "persoon"}))
    entry, shown = last_access()
    assert len(first) == 1 and entry.additional_data["view"] == "cases:search"
    assert shown == {str(Case.objects.get(reference=first[0]).pk)}
    second = found(client.get(search_url(), {"text": "persoon", "page": "2"}))
    _, shown = last_access()
    assert second != first and shown == {str(Case.objects.get(reference=second[0]).pk)}
    found(client.post(search_url(), TOM))
    _, shown = last_access()
    assert shown == {str(case_a.pk)}
    assert found(client.get(search_url())) == []  # the empty form: an entry, no case
    _, shown = last_access()
    assert shown == set()


def test_each_search_by_a_person_is_an_event_without_name_date_or_hash(cast, as_user, case_a):
    client = as_user(cast.alice)
    client.post(search_url(), TOM)
    nobody = {"first_name": "Niemand", "last_name": "Onbekend", "birth_date": "1980-05-06"}
    client.post(search_url(), nobody)
    client.get(search_url(), {"text": "eik"})  # not a search by a person: no event
    events = list(person_events())
    assert [event.additional_data for event in events] == [{"found": 1}, {"found": 0}]
    hashes = [identity_hash(cell_id=cast.cell_a.pk, first_name=p["first_name"], last_name=p["last_name"],
                            birth_date=datetime.date.fromisoformat(p["birth_date"])) for p in (TOM, nobody)]  # fmt: skip
    for event in events:
        assert event.actor_id == cast.alice.pk and event.cell_id == cast.cell_a.pk
        stored = json.dumps(
            {field.attname: getattr(event, field.attname) for field in LogEntry._meta.concrete_fields},
            default=str,
        ).casefold()
        for secret in ("tom", "testeling", "niemand", "onbekend", "1999", "1980", "05-06", *hashes):
            assert secret.casefold() not in stored, secret


# --- Bad input ---------------------------------------------------------------------------------------


def test_a_person_needs_all_three_and_a_real_date_kept_as_typed(cast, as_user, case_a):
    client = as_user(cast.alice)
    for data, error in (
        ({**TOM, "birth_date": ""}, "This field is required."),
        ({**TOM, "last_name": ""}, "This field is required."),
        ({**TOM, "birth_date": "1999-02-31"}, "Enter a valid date."),
        ({**TOM, "birth_date": "02/01/1999x"}, "Enter a valid date."),
        ({**TOM, "first_name": "-", "last_name": "..."}, "A name needs at least one letter."),
        ({**TOM, "first_name": "x" * 5000}, "Ensure this value has at most 100 characters"),
        ({**TOM, "first_name": "To\x00m"}, "Null characters are not allowed."),
    ):
        response = client.post(search_url(), data)
        page = response.content.decode()
        assert response.status_code == 200 and error in page, data
        assert found(response) == [] and "There is a problem" in page
        if data["last_name"]:
            assert f'value="{data["last_name"]}"' in page  # the typed input is kept
    assert not person_events().exists()  # nothing was searched


def test_bad_search_criteria_are_form_errors(cast, as_user, case_a):
    client = as_user(cast.alice)
    for query, error in (
        ({"text": "x" * 5000}, "Ensure this value has at most 60 characters"),
        ({"text": "e\x00ik"}, "Null characters are not allowed."),
        ({"status": "nonsense"}, "Select a valid choice."),
        ({"meeting": "abc"}, "Select a valid choice."),
        ({"text": "  "}, "Type a reference or a pseudonym, or choose a status or a meeting."),
    ):
        response = client.get(search_url(), query)
        assert found(response) == [] and error in response.content.decode(), query
    response = client.get(search_url(), {"text": "eik", "status": "nonsense"})
    assert 'value="eik"' in response.content.decode()


def test_the_errors_are_in_the_users_language(cast, as_user, case_a):
    cast.alice.language = "nl"
    cast.alice.save(update_fields=["language"])
    page = as_user(cast.alice).post(search_url(), {**TOM, "birth_date": "1999-02-31"}).content.decode()
    assert "Voer een geldige datum in." in page and 'value="Testeling"' in page


# --- Bounded -----------------------------------------------------------------------------------------


def _queries(client, method, *args):
    getattr(client, method)(*args)  # warm caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        assert getattr(client, method)(*args).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_queries_do_not_grow_with_the_cell(cast, as_user, seats, who):
    client = as_user(getattr(cast, who))
    tom = identity_hash(cell_id=cast.cell_a.pk, first_name="Tom", last_name="Testeling",
                        birth_date=datetime.date(1999, 1, 2))  # fmt: skip

    def grow(count, start):
        cases = add_cases(cast.cell_a, count, created_by=cast.alice, grant=[cast.bob], start=start)
        Subject.objects.filter(case__in=cases).update(identity_hash=tom)

    grow(3, 0)
    few = (
        _queries(client, "get", search_url(), {"text": "persoon"}),
        _queries(client, "post", search_url(), TOM),
    )
    grow(117, 3)
    many = (
        _queries(client, "get", search_url(), {"text": "persoon"}),
        _queries(client, "post", search_url(), TOM),
    )
    assert many == few
    assert len(found(client.get(search_url(), {"text": "persoon"}))) == 50
    assert len(found(client.post(search_url(), TOM))) == 50


def test_the_search_decrypts_nothing(cast, as_user, case_a, other_case, monkeypatch):
    """Reference, pseudonym and hash are plain columns: no encrypted value is even read."""

    def refused(*args, **kwargs):
        raise AssertionError("the search read an encrypted column")

    monkeypatch.setattr("livc.crypto.fields.EncryptedField.from_db_value", refused)
    client = as_user(cast.alice)
    assert found(client.get(search_url(), {"text": "eik"})) == [case_a.reference]
    assert found(client.post(search_url(), TOM)) == [case_a.reference]


def test_results_come_newest_first_like_the_list(cast, as_user, seats):
    cases = add_cases(cast.cell_a, 3, created_by=cast.alice)
    expected = [
        c.reference for c in sorted(cases, key=lambda c: Case.objects.get(pk=c.pk).opened_at, reverse=True)
    ]
    assert found(as_user(cast.alice).get(search_url(), {"text": "persoon"})) == expected
