"""The cell home's "Waiting for you" list, per role, and the menu's counts.

Each entry is a sentence with a count and a link to the page that deals with it; nothing is
counted of cases the member may not see, and nothing about cases before the secrecy of the table
is acknowledged (docs/rules.md, rules 6 and 8).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, ReferralStatus
from cases.services.referrals import ReferralData, referral_submit
from dpo.models import Breach
from livc.audit.models import LogAction, LogEntry
from livc.cells.models import Membership
from meetings.models import (
    Action,
    AgendaItem,
    Decision,
    DecisionKind,
    DecisionStatus,
    ItemKind,
    Meeting,
    MeetingKind,
)
from participants.models import InvitationStatus, RulesOfProcedure
from participants.rules import acknowledgement_record
from tests.cases import conftest as cases_fixtures
from tests.cases.conftest import make_case
from tests.factories import InvitationFactory, MembershipFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

# The cases tests' fixtures: cell A's members and seats, case_a (bob at its table), other_case.
members, seats = cases_fixtures.members, cases_fixtures.seats
case_a, other_case = cases_fixtures.case_a, cases_fixtures.other_case

NOTHING = "Nothing is waiting for you."


def home(slug: str = "alfa") -> str:
    return reverse("cells:home", kwargs={"cell_slug": slug})


def page(as_user, user, slug: str = "alfa") -> str:
    response = as_user(user).get(home(slug))
    assert response.status_code == 200
    return response.content.decode()


def waiting_section(content: str) -> str:
    start = content.index('id="waiting-title"')
    return content[start : content.index("</section>", start)]


def submitted_referral(members, pseudonym="Persoon Wilg"):
    return referral_submit(
        member=members["participant"],
        data=ReferralData(
            referred_on=datetime.date(2026, 11, 20),
            signals="Signalen.",
            pseudonym=pseudonym,
            discussed_internally=True,
            subject_is_minor=True,
        ),
    )


def action(case, owner, *, days: int, cell=None):
    return Action.objects.create(
        cell=cell or case.cell,
        case=case,
        description="Huisbezoek plannen.",
        owner=owner,
        organisation=owner.organisation,
        due_on=timezone.localdate() + datetime.timedelta(days=days),
        created_by=owner.membership.user,
    )


def meeting(cell, user, *, cases=(), days: int = 3, title="Overleg december"):
    rules = RulesOfProcedure.objects.filter(cell=cell).first() or RulesOfProcedure.objects.create(
        cell=cell, version=1, text="R", drafted_by=user
    )  # a draft: rules in force would ask everyone to acknowledge again
    found = Meeting.objects.create(
        cell=cell,
        kind=MeetingKind.OPERATIONAL,
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        rules=rules,
        created_by=user,
    )
    for position, case in enumerate(cases, 1):
        AgendaItem.objects.create(meeting=found, position=position, kind=ItemKind.CASE, case=case)
    return found


# --- The coordinator ------------------------------------------------------------------------------


def test_the_coordinator_sees_what_waits_with_counts_and_links(
    cast, as_user, members, seats, case_a, other_case
):
    submitted_referral(members)
    submitted_referral(members, pseudonym="Persoon Es")
    Case.objects.filter(pk=case_a.pk).update(review_on=timezone.localdate() - datetime.timedelta(days=1))
    InvitationFactory(cell=cast.cell_a, proposed_by=cast.alice, status=InvitationStatus.PENDING)
    action(case_a, seats["participant"], days=-2)
    action(other_case, seats["officer"], days=3)
    next_one = meeting(cast.cell_a, cast.alice, cases=[case_a, other_case])
    section = waiting_section(page(as_user, cast.alice))
    assert "2 referrals are waiting for qualification." in section
    assert 'href="/c/alfa/referrals/"' in section
    assert "1 case is overdue for review." in section and 'href="/c/alfa/cases/?overdue=1"' in section
    assert "1 invitation is waiting for the mayor&#x27;s approval." in section
    assert 'href="/c/alfa/invitations/?status=pending"' in section
    assert (
        "1 follow-up action is overdue." in section and "1 follow-up action is due within a week." in section
    )
    assert 'href="/c/alfa/actions/"' in section
    assert "Overleg december" in section and "has 2 items on its agenda" in section
    assert f'href="/c/alfa/meetings/{next_one.pk}/"' in section
    assert NOTHING not in section


def test_the_waiting_list_comes_before_everything_else_and_the_notices_are_not_repeated(
    cast, as_user, members, seats, case_a
):
    action(case_a, seats["participant"], days=-2)
    content = page(as_user, cast.alice)
    assert content.index("Waiting for you") < content.index("Members")
    assert content.count("follow-up action is overdue") == 1  # the notice says the same: not twice


def test_the_coordinator_of_another_cell_sees_nothing_of_cell_a(cast, as_user, members, seats, case_a):
    submitted_referral(members)
    action(case_a, seats["participant"], days=-2)
    InvitationFactory(cell=cast.cell_a, proposed_by=cast.alice, status=InvitationStatus.PENDING)
    section = waiting_section(page(as_user, cast.charlie, "bravo"))
    assert NOTHING in section
    assert as_user(cast.charlie).get(home("alfa")).status_code == 404


def test_an_empty_home_says_nothing_is_waiting(cast, as_user, members, seats):
    assert NOTHING in waiting_section(page(as_user, cast.alice))


def test_a_member_who_has_not_acknowledged_the_secrecy_sees_no_case_counts(cast, as_user, members):
    submitted_referral(members)
    section = waiting_section(page(as_user, cast.alice))
    assert "You have not yet acknowledged the secrecy of the table" in section
    assert 'href="/c/alfa/acknowledge/"' in section
    assert "referral" not in section


# --- The mayor ------------------------------------------------------------------------------------


def test_the_mayor_sees_the_invitations_to_approve_and_their_count_in_the_menu(cast, as_user, members, seats):
    for _ in range(3):
        InvitationFactory(cell=cast.cell_a, proposed_by=cast.alice, status=InvitationStatus.PENDING)
    InvitationFactory(cell=cast.cell_a, proposed_by=cast.alice, status=InvitationStatus.SENT)
    InvitationFactory(cell=cast.cell_b, proposed_by=cast.charlie, status=InvitationStatus.PENDING)
    meeting(cast.cell_a, cast.alice)
    content = page(as_user, cast.mayor)
    section = waiting_section(content)
    assert "3 invitations are waiting for your approval." in section
    assert 'href="/c/alfa/approvals/"' in section
    assert "The next meeting, Overleg december" in section
    menu = content[
        content.index('class="cell-nav"') : content.index("</nav>", content.index('class="cell-nav"'))
    ]
    assert 'Approvals <span class="badge badge--count">3<span class="visually-hidden"> waiting</span>' in menu


def test_the_menu_count_is_shown_on_every_cell_page_and_not_when_nothing_waits(cast, as_user, members, seats):
    client = as_user(cast.mayor)
    assert (
        "badge--count"
        not in client.get(reverse("participants:rules", kwargs={"cell_slug": "alfa"})).content.decode()
    )
    InvitationFactory(cell=cast.cell_a, proposed_by=cast.alice, status=InvitationStatus.PENDING)
    content = client.get(reverse("participants:rules", kwargs={"cell_slug": "alfa"})).content.decode()
    assert 'Approvals <span class="badge badge--count">1' in content


# --- A participant --------------------------------------------------------------------------------


def test_a_participant_sees_her_own_actions_and_the_items_at_her_tables_only(
    cast, as_user, members, seats, case_a, other_case
):
    action(case_a, seats["participant"], days=-1)
    action(case_a, seats["participant"], days=10)
    action(case_a, seats["officer"], days=-1)  # someone else's
    action(other_case, seats["participant"], days=-1)  # a case at whose table she does not sit
    next_one = meeting(cast.cell_a, cast.alice, cases=[case_a, other_case])
    meeting(cast.cell_a, cast.alice, cases=[other_case], days=1, title="Zonder haar")  # earlier, not hers
    section = waiting_section(page(as_user, cast.bob))
    assert "1 follow-up action is overdue." in section
    assert "1 other follow-up action of yours is open." in section
    assert "Overleg december" in section and "has 1 item of your cases on its agenda" in section
    assert f'href="/c/alfa/meetings/{next_one.pk}/"' in section
    assert "Zonder haar" not in section
    assert "referral" not in section and "invitation" not in section


def test_a_participant_in_two_cells_sees_in_each_only_that_cells_items(cast, as_user, members, seats, case_a):
    second = MembershipFactory(cell=cast.cell_b, user=cast.bob)
    profile_b = ParticipantFactory(membership=second)
    acknowledgement_record(cell=cast.cell_b, user=cast.bob)
    charlie_member = Membership.objects.get(user=cast.charlie, cell=cast.cell_b)
    case_b = make_case(
        {"participant": charlie_member, "coordinator": charlie_member}, pseudonym="Persoon Berk"
    )
    from cases.services.seats import seat_participant

    seat_participant(member=charlie_member, case=case_b, participant=profile_b)
    for days in (-3, -2, -1):
        action(case_b, profile_b, days=days)
    action(case_a, seats["participant"], days=-1)
    in_a = waiting_section(page(as_user, cast.bob))
    assert "1 follow-up action is overdue." in in_a and "other follow-up" not in in_a
    in_b = waiting_section(page(as_user, cast.bob, "bravo"))
    assert "3 follow-up actions are overdue." in in_b
    assert 'href="/c/bravo/actions/"' in in_b and "/c/alfa/" not in in_b


def test_a_participant_who_has_not_acknowledged_sees_only_the_acknowledgement(
    cast, as_user, members, seats, case_a
):
    action(case_a, seats["participant"], days=-1)
    meeting(cast.cell_a, cast.alice, cases=[case_a])
    RulesOfProcedure.objects.filter(cell=cast.cell_a).update(status="in_force")  # asks for a new one
    section = waiting_section(page(as_user, cast.bob))
    assert "You have not yet acknowledged the secrecy of the table" in section
    assert "follow-up" not in section and "meeting" not in section


# --- The information officer and the DPO -----------------------------------------------------------


def test_the_information_officer_sees_the_decisions_awaiting_her_answer(
    cast, as_user, members, seats, case_a, other_case
):
    held = meeting(cast.cell_a, cast.alice, cases=[case_a, other_case], days=-1)
    first, second = held.items.order_by("position")  # one open round of a kind per item
    for item, kind, status in (
        (first, DecisionKind.INFORM_SUBJECT, DecisionStatus.AWAITING_AGREEMENT),
        (second, DecisionKind.INFORM_SUBJECT, DecisionStatus.AWAITING_AGREEMENT),
        (first, DecisionKind.LTF_FEEDBACK, DecisionStatus.VALID),
        (first, DecisionKind.INFORM_SUBJECT, DecisionStatus.VALID),  # settled: nothing to answer
    ):
        Decision.objects.create(item=item, case=item.case, kind=kind, status=status, recorded_by=cast.alice)
    action(case_a, seats["officer"], days=2)
    section = waiting_section(page(as_user, cast.officer))
    assert "2 decisions to inform the person await your answer" in section
    assert "1 feedback decision waits for you to pass it on to the Local Taskforce." in section
    assert f'href="/c/alfa/meetings/{held.pk}/"' in section
    assert "You have 1 open follow-up action." in section


def test_the_dpo_sees_breaches_due_and_no_case_counts(cast, as_user, members, seats, case_a):
    now = timezone.now()
    for hours in (80, 60, 10):  # past the deadline, within a day of it, not yet near
        Breach.objects.create(
            cell=cast.cell_a, number=hours, discovered_at=now - datetime.timedelta(hours=hours),
            description="x", data_concerned="y", recorded_by=cast.dpo,
        )  # fmt: skip
    submitted_referral(members)
    section = waiting_section(page(as_user, cast.dpo))
    assert "1 breach was discovered more than 72 hours ago" in section
    assert "1 breach must be notified to the supervisory authority within 24 hours." in section
    assert 'href="/c/alfa/audit/breaches/"' in section
    assert "referral" not in section and "follow-up" not in section


# --- Logging and cost -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "mayor", "officer", "dpo"])
def test_the_home_logs_one_access_for_every_role(cast, as_user, who):
    page(as_user, getattr(cast, who))
    entry = LogEntry.objects.get(action=LogAction.ACCESS)
    assert entry.actor == getattr(cast, who) and entry.cell == cast.cell_a
    assert entry.additional_data == {"view": "cells:home"}


def _home_queries(as_user, user) -> int:
    client = as_user(user)
    client.get(home())  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home()).status_code == 200
    return len(queries)


def test_the_coordinator_home_costs_the_same_number_of_queries_however_many_cases(
    cast, as_user, members, seats, case_a
):
    meeting(cast.cell_a, cast.alice, cases=[case_a])
    action(case_a, seats["participant"], days=-1)
    submitted_referral(members)
    few = _home_queries(as_user, cast.alice)
    for n in range(8):
        case = make_case(members, pseudonym=f"Persoon {n}", first_name=f"Voornaam{n}")
        Case.objects.filter(pk=case.pk).update(review_on=timezone.localdate() - datetime.timedelta(days=1))
        action(case, seats["officer"], days=-1)
        submitted_referral(members, pseudonym=f"Persoon R{n}")
    many = _home_queries(as_user, cast.alice)
    assert many == few
    assert few <= 32, f"{few} queries"  # 31 on PostgreSQL; the purge forecast is computed once
    assert ReferralStatus.SUBMITTED  # the referrals above stay submitted


def test_the_participant_home_costs_the_same_number_of_queries_however_many_cases(
    cast, as_user, members, seats, case_a
):
    from cases.services.seats import seat_participant

    meeting(cast.cell_a, cast.alice, cases=[case_a])
    action(case_a, seats["participant"], days=-1)
    few = _home_queries(as_user, cast.bob)
    for n in range(8):
        case = make_case(members, pseudonym=f"Persoon {n}", first_name=f"Voornaam{n}")
        seat_participant(member=members["coordinator"], case=case, participant=seats["participant"])
        action(case, seats["participant"], days=-1)
    assert _home_queries(as_user, cast.bob) == few
