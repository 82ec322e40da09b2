"""Agenda proposals: a member proposes a case she sits at, or a topic, with a reason; she may
withdraw it while it waits; only the coordinator accepts it onto a planned meeting's agenda (one
agenda item, through the agenda's own rules) or declines it with a message."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.services.seats import unseat_participant
from livc.audit.models import AccessedCase, LogAction, LogEntry
from meetings.models import AgendaItem, AgendaProposal, ProposalStatus
from meetings.services import calendar as calendar_services
from meetings.services import meetings as meeting_services
from meetings.services import proposals as services
from tests.retention import conftest as retention_fixtures
from tests.retention.conftest import KEEP_UNTIL, purge_on

pytestmark = pytest.mark.django_db

# The retention tests' world: a case discussed at a finalised meeting, the clock on that day.
clock, scenario = retention_fixtures.clock, retention_fixtures.scenario

REASON = "Nieuwe signalen van de school sinds het vorige overleg."


def url(name, slug="alfa", **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": slug, **kwargs})


def page(response):
    return response.content.decode()


@pytest.fixture
def proposal(members, case_a):
    """bob proposes case_a, at whose table he sits."""
    return services.proposal_submit(member=members["participant"], case=case_a, reason=REASON)


@pytest.fixture
def strategic(members, rules, acknowledged_again):
    return meeting_services.meeting_create(member=members["coordinator"], kind="strategic", title="Beleid",
                                           starts_at=timezone.now())  # fmt: skip


# --- Proposing ---------------------------------------------------------------------------------------


def test_a_participant_proposes_a_case_at_whose_table_she_sits(cast, proposal, case_a):
    assert proposal.status == ProposalStatus.PROPOSED
    assert (proposal.case, proposal.topic, proposal.proposed_by) == (case_a, "", cast.bob)
    assert AgendaProposal.objects.get().reason == REASON


def test_a_participant_cannot_propose_a_case_she_is_not_seated_at(cast, as_user, members, other_case):
    with pytest.raises(PermissionDenied):
        services.proposal_submit(member=members["participant"], case=other_case, reason=REASON)
    response = as_user(cast.bob).post(url("propose_case", pk=other_case.pk), {"reason": REASON})
    assert response.status_code == 404
    assert not AgendaProposal.objects.exists()


def test_a_case_is_proposed_from_its_page(cast, as_user, case_a):
    client = as_user(cast.bob)
    case_page = page(client.get(reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": case_a.pk})))
    assert f'href="{url("propose_case", pk=case_a.pk)}"' in case_page
    response = client.post(url("propose_case", pk=case_a.pk), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == url("my_proposals")
    assert AgendaProposal.objects.get().case == case_a


def test_a_topic_and_its_reason_are_checked_and_the_typed_input_kept(cast, as_user, members, seats):
    with pytest.raises(ValidationError) as refused:
        services.proposal_submit(member=members["participant"], topic="Jaarverslag", reason="  ")
    assert "reason" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.proposal_submit(member=members["participant"], topic="x" * 201, reason=REASON)
    assert "topic" in refused.value.error_dict
    response = as_user(cast.bob).post(
        url("propose_topic"), {"topic": "Samenwerking met de jeugdhulp", "reason": ""}
    )
    assert response.status_code == 200
    assert "Say in a few words why the table should discuss it." in page(response)
    assert 'value="Samenwerking met de jeugdhulp"' in page(response)
    assert not AgendaProposal.objects.exists()
    services.proposal_submit(member=members["participant"], topic=" Jaarverslag ", reason=REASON)
    assert AgendaProposal.objects.get().topic == "Jaarverslag"


def test_a_case_waits_once_however_many_propose_it(members, proposal, case_a):
    with pytest.raises(ValidationError, match="already been proposed"):
        services.proposal_submit(member=members["mayor"], case=case_a, reason="Ook ik.")
    assert AgendaProposal.objects.count() == 1


def test_the_dpo_proposes_nothing(cast, as_user, members, seats):
    with pytest.raises(PermissionDenied):
        services.proposal_submit(member=members["dpo"], topic="Jaarverslag", reason=REASON)
    assert as_user(cast.dpo).get(url("propose_topic")).status_code == 404


def test_the_same_form_sent_twice_proposes_once(cast, as_user, case_a):
    client = as_user(cast.bob)
    form = page(client.get(url("propose_case", pk=case_a.pk)))
    token = re.search(r'name="submission_token" value="([^"]+)"', form).group(1)
    data = {"reason": REASON, "submission_token": token}
    first = client.post(url("propose_case", pk=case_a.pk), data)
    second = client.post(url("propose_case", pk=case_a.pk), data)
    assert first.status_code == second.status_code == 302
    assert AgendaProposal.objects.count() == 1


# --- Deciding ----------------------------------------------------------------------------------------


def test_only_the_coordinator_decides(cast, as_user, members, meeting, proposal):
    for who in ("participant", "mayor", "officer"):
        with pytest.raises(PermissionDenied):
            services.proposal_accept(member=members[who], proposal=proposal, meeting=meeting)
        with pytest.raises(PermissionDenied):
            services.proposal_decline(member=members[who], proposal=proposal, message="Nee.")
    decide = url("proposal_decide", pk=proposal.pk, step="accept")
    for user in (cast.bob, cast.mayor, cast.officer, cast.dpo):
        assert as_user(user).post(decide, {"meeting": meeting.pk}).status_code == 404
        assert as_user(user).get(url("proposals")).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and not meeting.items.exists()


def test_accepting_adds_exactly_one_agenda_item(cast, as_user, members, meeting, proposal, case_a):
    client = as_user(cast.alice)
    response = client.post(url("proposal_decide", pk=proposal.pk, step="accept"),
                           {"meeting": meeting.pk, "message": "Komt eerst aan bod."})  # fmt: skip
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.meeting, item.case) == (meeting, case_a)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.meeting == meeting
    assert (proposal.decided_by, proposal.message) == (cast.alice, "Komt eerst aan bod.")
    with pytest.raises(ValidationError, match="already been accepted"):
        services.proposal_accept(member=members["coordinator"], proposal=proposal, meeting=meeting)
    response = client.post(
        url("proposal_decide", pk=proposal.pk, step="accept"), {"meeting": meeting.pk}, follow=True
    )
    assert "already been accepted" in page(response)
    assert AgendaItem.objects.count() == 1


def test_a_topic_goes_on_a_strategic_meeting_and_a_case_does_not(members, seats, strategic, proposal):
    with pytest.raises(ValidationError, match="no case or person"):
        services.proposal_accept(member=members["coordinator"], proposal=proposal, meeting=strategic)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and not strategic.items.exists()
    topic = services.proposal_submit(member=members["participant"], topic="Jaarverslag", reason=REASON)
    item = services.proposal_accept(member=members["coordinator"], proposal=topic, meeting=strategic)
    assert (item.kind, item.topic) == ("topic", "Jaarverslag")


def test_a_case_already_on_the_agenda_is_a_clear_error(cast, as_user, members, meeting, proposal, case_a):
    meeting_services.agenda_add_case(member=members["coordinator"], meeting=meeting, case=case_a)
    response = as_user(cast.alice).post(
        url("proposal_decide", pk=proposal.pk, step="accept"), {"meeting": meeting.pk}
    )
    assert response.status_code == 200
    assert "This case is already on the agenda." in page(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and meeting.items.count() == 1


def test_only_a_planned_meeting_takes_a_proposal(members, meeting, proposal):
    calendar_services.meeting_cancel(member=members["coordinator"], meeting=meeting)
    with pytest.raises(ValidationError, match="still planned"):
        services.proposal_accept(member=members["coordinator"], proposal=proposal, meeting=meeting)
    assert not meeting.items.exists()


def test_declining_needs_a_message(cast, as_user, members, proposal):
    with pytest.raises(ValidationError) as refused:
        services.proposal_decline(member=members["coordinator"], proposal=proposal, message=" ")
    assert "message" in refused.value.error_dict
    response = as_user(cast.alice).post(
        url("proposal_decide", pk=proposal.pk, step="decline"), {"message": ""}
    )
    assert response.status_code == 200 and "Tell the proposer why it is declined." in page(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    services.proposal_decline(member=members["coordinator"], proposal=proposal, message="Volgende maand.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.message) == (ProposalStatus.DECLINED, "Volgende maand.")


def test_a_withdrawn_or_decided_proposal_cannot_be_decided_again(members, meeting, case_a, other_case):
    coordinator = members["coordinator"]
    withdrawn = services.proposal_submit(member=members["participant"], case=case_a, reason=REASON)
    services.proposal_withdraw(member=members["participant"], proposal=withdrawn)
    declined = services.proposal_submit(member=members["mayor"], case=other_case, reason=REASON)
    services.proposal_decline(member=coordinator, proposal=declined, message="Nee.")
    for done, says in ((withdrawn, "withdrawn"), (declined, "already been declined")):
        with pytest.raises(ValidationError, match=says):
            services.proposal_accept(member=coordinator, proposal=done, meeting=meeting)
        with pytest.raises(ValidationError, match=says):
            services.proposal_decline(member=coordinator, proposal=done, message="Toch niet.")
        with pytest.raises(ValidationError, match=says):
            services.proposal_withdraw(member=members["participant"] if done == withdrawn else members["mayor"],
                                       proposal=done)  # fmt: skip
    assert not meeting.items.exists()
    assert AgendaProposal.objects.get(pk=declined.pk).message == "Nee."


def test_only_the_proposer_withdraws(cast, as_user, members, proposal):
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(member=members["mayor"], proposal=proposal)
    assert as_user(cast.alice).post(url("proposal_withdraw", pk=proposal.pk)).status_code == 404
    assert as_user(cast.bob).post(url("proposal_withdraw", pk=proposal.pk)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


# --- Scoping -----------------------------------------------------------------------------------------


def test_another_cell_finds_nothing(cast, as_user, proposal, case_a, meeting):
    client = as_user(cast.charlie)
    for slug in ("alfa", "bravo"):
        assert client.get(url("propose_case", slug, pk=case_a.pk)).status_code == 404
        decide = url("proposal_decide", slug, pk=proposal.pk, step="decline")
        assert client.post(decide, {"message": "Nee."}).status_code == 404
    assert case_a.subject.pseudonym not in page(client.get(url("proposals", "bravo")))
    assert REASON not in page(client.get(url("my_proposals", "bravo")))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_the_coordinator_sees_the_waiting_proposals_and_the_access_is_logged(cast, as_user, proposal, case_a):
    client = as_user(cast.alice)
    home = page(client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"})))
    assert "1 agenda proposal waits for your decision." in home
    response = client.get(url("proposals"))
    assert case_a.subject.pseudonym in page(response) and REASON in page(response)
    entry = LogEntry.objects.filter(action=LogAction.ACCESS, actor=cast.alice).latest("id")
    assert entry.additional_data["view"] == "meetings:proposals"
    assert list(AccessedCase.objects.filter(entry=entry).values_list("case_pk", flat=True)) == [
        str(case_a.pk)
    ]
    assert "agenda proposal" not in page(
        as_user(cast.bob).get(reverse("cells:home", kwargs={"cell_slug": "alfa"}))
    )


def test_the_proposer_sees_the_answer_but_not_once_she_left_the_table(
    cast, as_user, members, proposal, case_a
):
    services.proposal_decline(
        member=members["coordinator"], proposal=proposal, message="Eerst de school horen."
    )
    client = as_user(cast.bob)
    mine = page(client.get(url("my_proposals")))
    assert all(text in mine for text in (case_a.reference, REASON, "Eerst de school horen.", "Declined"))
    unseat_participant(
        member=members["coordinator"], seat=case_a.seats.get(participant__membership__user=cast.bob)
    )
    mine = page(client.get(url("my_proposals")))
    assert "Declined" in mine and "no longer sit" in mine
    assert not any(
        text in mine for text in (case_a.reference, case_a.subject.pseudonym, REASON, "Eerst de school")
    )
    entry = LogEntry.objects.filter(action=LogAction.ACCESS, actor=cast.bob).latest("id")
    assert not AccessedCase.objects.filter(entry=entry).exists()


# --- The purge ---------------------------------------------------------------------------------------


def test_the_purge_takes_a_cases_proposals_with_it(clock, scenario, members):
    mine = services.proposal_submit(member=members["participant"], case=scenario["case_a"], reason=REASON)
    topic = services.proposal_submit(member=members["participant"], topic="Jaarverslag", reason=REASON)
    run = purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    assert not run.failed and run.records
    assert not AgendaProposal.objects.filter(pk=mine.pk).exists()
    assert AgendaProposal.objects.get(pk=topic.pk).reason == REASON  # a topic holds no one's data
    about = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AgendaProposal), object_pk=str(mine.pk)
    )
    assert about.exists() and not about.filter(scrubbed_at=None).exists()
