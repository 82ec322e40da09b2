"""The "known to your service?" round (issue 18; docs/rules.md, rules 5 and 9): voluntary, each
seated participant answers for her own service only, the table sees the answers, the answer is
encrypted with the person's data key, and the answer page keeps to the case's reach."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from cases.forms import KnownToServiceForm
from cases.models import Known, KnownToService
from cases.selectors import known_to_service_round
from cases.services.cases import case_change_status
from cases.services.round import known_to_service_answer
from cases.services.seats import seat_participant
from livc.audit.models import LogAction, LogEntry
from livc.cells.models import Membership
from livc.crypto.datakeys import owner_name
from livc.crypto.models import DataKey
from participants.rules import acknowledgement_record
from tests.factories import OrganisationFactory, ParticipantFactory
from tests.meetings.conftest import end_and_finalise

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="submission_token" value="([0-9a-f-]{36})"')
ALREADY = "This form had already been sent: it was saved once."


def case_url(case, name="detail", cell="alfa"):
    return reverse(f"cases:{name}", kwargs={"cell_slug": cell, "pk": case.pk})


def answer(client, case, value, cell="alfa", **extra):
    return client.post(case_url(case, "known_to_service", cell), {"answer": value, **extra})


def page(client, case) -> str:
    response = client.get(case_url(case))
    assert response.status_code == 200
    return response.content.decode()


def round_section(html: str) -> str:
    """The case page's "Known to the services?" section."""
    return html.split('id="known-to-service"', 1)[1].split("</section>", 1)[0]


def lines(case) -> dict[str, str]:
    return {line.name: line.answer for line in known_to_service_round(case=case).answers}


@pytest.fixture
def dries(cast, members, seats, case_a):
    """dries (a participant of cells A and B) also sits at case_a's table, for the welfare service."""
    welfare = OrganisationFactory(cell=cast.cell_a, name="OCMW Alfa", type="social_service")
    membership = Membership.objects.get(cell=cast.cell_a, user=cast.dries)
    profile = ParticipantFactory(membership=membership, organisation=welfare)
    seat_participant(member=members["coordinator"], case=case_a, participant=profile)
    acknowledgement_record(cell=cast.cell_a, user=cast.dries)
    acknowledgement_record(cell=cast.cell_b, user=cast.dries)
    return profile


# --- Voluntary (rule 5) ---------------------------------------------------------------------------


def test_a_case_goes_through_its_life_without_a_single_answer(
    cast, as_user, members, running, agenda, case_a
):
    """Discussed, its minutes finalised, closed: nothing asked for an answer."""
    assert "Asked at the case's first discussion" in round_section(page(as_user(cast.alice), case_a))
    end_and_finalise(members, running)
    case_a.refresh_from_db()
    assert case_a.last_discussed_on is not None
    assert "Asked at the case's first discussion" not in round_section(page(as_user(cast.alice), case_a))
    case_change_status(member=members["coordinator"], case=case_a, status="closed", reason="Afgerond.")
    case_a.refresh_from_db()
    assert case_a.status == "closed"
    assert not KnownToService.objects.exists()
    assert lines(case_a) == {"Bob Bosmans": ""}
    assert "Bob Bosmans (CLB Alfa): <strong>not stated</strong>" in round_section(
        page(as_user(cast.bob), case_a)
    )


def test_not_stated_takes_an_answer_back(cast, as_user, case_a):
    client = as_user(cast.bob)
    assert answer(client, case_a, "known").status_code == 302
    assert lines(case_a) == {"Bob Bosmans": Known.KNOWN}
    response = answer(client, case_a, "")
    assert response.status_code == 302 and response["Location"].endswith("#known-to-service")
    assert not KnownToService.objects.exists()
    assert "Bob Bosmans (CLB Alfa): <strong>not stated</strong>" in round_section(page(client, case_a))


def test_no_form_requires_an_answer(cast, as_user, case_a):
    form = KnownToServiceForm({})
    assert form.is_valid() and form.cleaned_data["answer"] == ""
    assert not form.fields["answer"].required
    section = round_section(page(as_user(cast.bob), case_a))
    assert "Voluntary" in section
    assert re.search(r'<input type="radio" name="answer" value=""[^>]*checked', section)  # not stated first
    response = as_user(cast.bob).post(case_url(case_a, "known_to_service"), {})  # nothing chosen at all
    assert response.status_code == 302
    assert not KnownToService.objects.exists()


def test_an_answer_that_is_not_one_of_the_three_is_refused_and_changes_nothing(
    cast, as_user, members, case_a
):
    client = as_user(cast.bob)
    answer(client, case_a, "not_known")
    response = answer(client, case_a, "maybe")
    assert response.status_code == 302
    assert lines(case_a) == {"Bob Bosmans": Known.NOT_KNOWN}
    with pytest.raises(ValidationError):
        known_to_service_answer(member=members["participant"], case=case_a, answer="maybe")


# --- Only a seated participant, for herself --------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "mayor", "officer"])
def test_members_who_see_every_case_sit_at_no_table_and_cannot_answer(cast, as_user, case_a, who):
    client = as_user(getattr(cast, who))
    assert answer(client, case_a, "known").status_code == 403
    assert not KnownToService.objects.exists()
    section = round_section(page(client, case_a))
    assert "Bob Bosmans (CLB Alfa)" in section  # they see the table's answers
    assert 'name="answer"' not in section  # but have no form


def test_the_service_refuses_anyone_not_seated_at_the_table(members, seats, case_a, other_case):
    for name in ("coordinator", "mayor", "officer"):  # each has a seat profile, and no seat
        with pytest.raises(PermissionDenied):
            known_to_service_answer(member=members[name], case=case_a, answer="known")
    with pytest.raises(PermissionDenied):  # bob has a profile, but no seat at other_case's table
        known_to_service_answer(member=members["participant"], case=other_case, answer="known")
    assert not KnownToService.objects.exists()


def test_each_answers_for_her_own_service_only(cast, as_user, seats, case_a, dries):
    """The form names no participant: whatever else is posted, the answer is the poster's."""
    answer(as_user(cast.bob), case_a, "known", participant=dries.pk)
    row = KnownToService.objects.get()
    assert (row.participant, row.answered_by, row.case) == (seats["participant"], cast.bob, case_a)
    assert lines(case_a) == {"Bob Bosmans": Known.KNOWN, "Dries Desmet": ""}
    answer(as_user(cast.dries), case_a, "not_known")
    assert lines(case_a) == {"Bob Bosmans": Known.KNOWN, "Dries Desmet": Known.NOT_KNOWN}
    answer(as_user(cast.dries), case_a, "known")  # she may change her mind: still one answer each
    assert KnownToService.objects.count() == 2
    assert lines(case_a) == {"Bob Bosmans": Known.KNOWN, "Dries Desmet": Known.KNOWN}


# --- The table sees the answers ----------------------------------------------------------------------


def test_everyone_who_sees_the_case_sees_the_tables_answers(cast, as_user, case_a, dries):
    answer(as_user(cast.bob), case_a, "known")
    answer(as_user(cast.dries), case_a, "not_known")
    for user in (cast.alice, cast.mayor, cast.officer, cast.bob, cast.dries):
        section = round_section(page(as_user(user), case_a))
        assert "Bob Bosmans (CLB Alfa): <strong>known</strong>" in section, user
        assert "Dries Desmet (OCMW Alfa): <strong>not known</strong>" in section, user
    mine = round_section(page(as_user(cast.dries), case_a))
    assert re.search(r'<input type="radio" name="answer" value="not_known"[^>]*checked', mine)


def test_the_chair_sees_a_summary_with_the_services_that_know_the_person(
    cast, as_user, running, agenda, case_a, dries
):
    answer(as_user(cast.bob), case_a, "known")
    url = reverse("meetings:run", kwargs={"cell_slug": "alfa", "pk": running.pk})
    content = as_user(cast.alice).get(url, {"item": agenda["case_a"].pk}).content.decode()
    summary = content.split('id="known-round"', 1)[1].split("</div>", 1)[0]
    assert (
        re.sub(r"\s+", " ", summary).count("Known to 1 service (CLB Alfa), not known to 0, 1 not stated.")
        == 1
    )
    assert "First discussion of this case" in summary
    answer(as_user(cast.dries), case_a, "known")
    panel = reverse(
        "meetings:item", kwargs={"cell_slug": "alfa", "pk": running.pk, "item_pk": agenda["case_a"].pk}
    )
    content = as_user(cast.alice).get(panel, HTTP_HX_REQUEST="true").content.decode()
    assert "Known to 2 services (CLB Alfa, OCMW Alfa), not known to 0, 0 not stated." in re.sub(
        r"\s+", " ", content
    )


# --- Personal data: encrypted, and logged without its value ----------------------------------------


def test_the_answer_is_encrypted_with_the_persons_data_key(cast, as_user, case_a):
    answer(as_user(cast.bob), case_a, "not_known")
    row = KnownToService.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT answer FROM {KnownToService._meta.db_table} WHERE id = %s", [row.pk.hex])  # noqa: S608
        (stored,) = cursor.fetchone()
    assert stored not in Known.values and "known" not in stored
    assert stored.startswith("k1.")
    key = DataKey.objects.get(pk=stored.split(".")[1])
    assert key.owner == owner_name(type(case_a.subject), case_a.subject_id)  # purged with the person
    assert KnownToService.objects.get().answer == Known.NOT_KNOWN


def test_the_audit_log_notes_who_answered_and_when_never_the_answer(cast, as_user, case_a):
    client = as_user(cast.bob)
    answer(client, case_a, "known")
    answer(client, case_a, "not_known")
    answer(client, case_a, "")
    kind = ContentType.objects.get_for_model(KnownToService)
    entries = LogEntry.objects.filter(content_type=kind).order_by("id")
    assert list(entries.values_list("action", flat=True)) == [
        LogAction.CREATE,
        LogAction.UPDATE,
        LogAction.DELETE,
    ]
    for entry in entries:
        assert set(entry.changes or {}) <= {"case", "participant", "answered_at"}
        assert "known" not in str(entry.changes) and "known" not in str(entry.serialized_data or "")


# --- Access -----------------------------------------------------------------------------------------


def test_charlie_gets_404_under_either_cells_address(cast, as_user, case_a):
    client = as_user(cast.charlie)
    assert answer(client, case_a, "known").status_code == 404
    assert answer(client, case_a, "known", cell="bravo").status_code == 404
    assert not KnownToService.objects.exists()


def test_a_person_in_two_cells_answers_under_the_cases_cell_only(cast, as_user, case_a, dries):
    client = as_user(cast.dries)
    assert answer(client, case_a, "known", cell="bravo").status_code == 404
    assert not KnownToService.objects.exists()
    assert answer(client, case_a, "known").status_code == 302
    assert lines(case_a)["Dries Desmet"] == Known.KNOWN


def test_a_participant_not_at_the_cases_table_and_the_dpo_get_404(cast, as_user, case_a, other_case):
    assert answer(as_user(cast.bob), other_case, "known").status_code == 404
    assert answer(as_user(cast.dpo), case_a, "known").status_code == 404
    assert not KnownToService.objects.exists()


def test_only_a_post_answers(cast, as_user, case_a):
    assert as_user(cast.bob).get(case_url(case_a, "known_to_service")).status_code == 405


def test_the_page_showing_the_answers_logs_its_access_and_a_refused_answer_logs_nothing(
    cast, as_user, case_a, other_case
):
    answer(as_user(cast.bob), other_case, "known")
    answer(as_user(cast.charlie), case_a, "known")
    answer(as_user(cast.alice), case_a, "known")
    assert not LogEntry.objects.filter(action=LogAction.ACCESS).exists()
    page(as_user(cast.bob), case_a)
    entry = LogEntry.objects.get(action=LogAction.ACCESS)
    assert (entry.actor, entry.cell, entry.object_pk) == (cast.bob, cast.cell_a, str(case_a.pk))
    assert list(entry.accessed_cases.values_list("case_pk", flat=True)) == [str(case_a.pk)]


# --- Twice -------------------------------------------------------------------------------------------


def test_the_same_form_sent_twice_answers_once(cast, as_user, case_a):
    client = as_user(cast.bob)
    token = TOKEN.search(round_section(page(client, case_a)))[1]
    first = answer(client, case_a, "known", submission_token=token)
    second = answer(client, case_a, "known", submission_token=token)
    assert first.status_code == second.status_code == 302
    assert ALREADY in client.get(second["Location"]).content.decode()
    assert KnownToService.objects.count() == 1
    kind = ContentType.objects.get_for_model(KnownToService)
    assert LogEntry.objects.filter(content_type=kind).count() == 1
