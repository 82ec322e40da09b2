"""Each thing that waits for someone notifies the right people only: the holders of the role in
the cell where it happened with an effective membership, never another cell's members, an ended
membership, a deactivated account or an officer whose clearance lapsed; and nothing personal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Urgency
from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from dpo.models import Breach
from dpo.services import breach_create
from dpo.tasks import notify_breach_deadlines
from livc.cells.models import Membership, Role
from livc.legal import SupervisoryAuthority
from livc.notifications.models import NotificationKind
from livc.notifications.sentences import sentence
from meetings.models import DecisionStatus
from meetings.services.actions import action_close, action_create
from meetings.services.decisions import agreement_record, present_participants
from meetings.tasks import notify_actions_due
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.conftest import assert_row_carries_nothing_personal, of_kind, recipients

pytestmark = pytest.mark.django_db


def _urgent(world, *, by="participant", urgency=Urgency.URGENT, pseudonym="Persoon Wilg"):
    return referral_submit(
        member=world.members[by],
        data=ReferralData(referred_on=timezone.localdate(), signals="Dreigt met geweld.", pseudonym=pseudonym,
                          discussed_internally=True, urgency=urgency),
    )  # fmt: skip


def test_an_urgent_referral_tells_the_cells_coordinators_only(world, cast):
    _ = world.members, world.profiles
    ended = MembershipFactory(cell=cast.cell_a, user=UserFactory(email="oud@example.test"), coordinator=True)
    Membership.objects.filter(pk=ended.pk).update(is_active=False)
    gone = MembershipFactory(cell=cast.cell_a, user=UserFactory(email="weg@example.test", is_active=False),
                             coordinator=True)  # fmt: skip
    _urgent(world, urgency=Urgency.HIGH)
    assert of_kind(NotificationKind.URGENT_REFERRAL) == []  # only "urgent" is urgent
    referral = _urgent(world)
    [notification] = of_kind(NotificationKind.URGENT_REFERRAL)
    assert notification.user == cast.alice and notification.cell == cast.cell_a  # not charlie (cell B)
    assert notification.path == reverse(
        "cases:referral_detail", kwargs={"cell_slug": "alfa", "pk": referral.pk}
    )
    assert notification.reference == "" and gone.user_id != notification.user_id
    assert_row_carries_nothing_personal(notification)


def test_a_coordinator_who_refers_urgently_is_not_told_of_her_own_referral(world, cast):
    _ = world.profiles
    second = MembershipFactory(
        cell=cast.cell_a, user=UserFactory(email="tweede@example.test"), coordinator=True
    )
    _urgent(world, by="coordinator")
    assert recipients(NotificationKind.URGENT_REFERRAL) == [second.user.email]


def test_an_invitation_proposed_tells_the_cells_mayors(world, cast):
    other_mayor = MembershipFactory(cell=cast.cell_b, user=UserFactory(email="burgemeester-b@example.test"),
                                    mayor=True)  # fmt: skip
    invitation = world.invitation_proposed
    [notification] = of_kind(NotificationKind.INVITATION_WAITING)
    assert notification.user == cast.mayor and other_mayor.user_id != notification.user_id
    assert notification.path == reverse("participants:approvals", kwargs={"cell_slug": "alfa"})
    assert notification.target == str(invitation.pk)
    assert "Vera" not in notification.reference + notification.path  # the invitee's name


def _action(world, due_in: int):
    return action_create(member=world.members["coordinator"], case=world.case, description="Huisbezoek.",
                         owner=world.profiles["participant"],
                         due_on=timezone.localdate() + datetime.timedelta(days=due_in))  # fmt: skip


def test_an_action_due_tells_its_owner_once(world, cast, time_machine):
    due_today, later = _action(world, 0), _action(world, 3)
    closed = _action(world, 0)
    action_close(member=world.members["coordinator"], action=closed, status="done")
    assert notify_actions_due.delay().get() == 1
    [notification] = of_kind(NotificationKind.ACTION_DUE)
    assert notification.user == cast.bob and notification.target == str(due_today.pk)
    assert notification.reference == world.case.reference
    assert notification.path == reverse("meetings:actions", kwargs={"cell_slug": "alfa"})
    assert notify_actions_due.delay().get() == 0  # the beat ran again: told once
    time_machine.move_to(timezone.now() + datetime.timedelta(days=4), tick=False)
    assert notify_actions_due.delay().get() == 1  # the later one's day came; the first is not told again
    assert {n.target for n in of_kind(NotificationKind.ACTION_DUE)} == {str(due_today.pk), str(later.pk)}
    assert_row_carries_nothing_personal(notification)


def test_an_action_whose_owner_left_the_cell_tells_nobody(world, cast):
    _action(world, 0)
    Membership.objects.filter(pk=world.members["participant"].pk).update(is_active=False)
    notify_actions_due.delay().get()
    assert of_kind(NotificationKind.ACTION_DUE) == []


def _agree_all(world, decision):
    for participant in present_participants(decision.item):
        decision = agreement_record(member=world.members["coordinator"], decision=decision,
                                    participant=participant, agrees=True)  # fmt: skip
    return decision


def test_valid_feedback_for_the_ltf_tells_the_cells_officers_with_a_clearance(world, cast):
    lapsed = MembershipFactory(cell=cast.cell_a, user=UserFactory(email="verlopen@example.test"),
                               information_officer=True)  # fmt: skip
    Membership.objects.filter(pk=lapsed.pk).update(
        clearance_expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    decision = world.decision
    assert of_kind(NotificationKind.LTF_FEEDBACK) == []  # awaiting the agreement of those present
    decision = _agree_all(world, decision)
    assert decision.status == DecisionStatus.VALID
    [notification] = of_kind(NotificationKind.LTF_FEEDBACK)
    assert notification.user == cast.officer and notification.reference == world.case.reference
    meeting = reverse("meetings:detail", kwargs={"cell_slug": "alfa", "pk": world.meeting.pk})
    assert notification.path == meeting + "#decisions" and notification.target == str(decision.pk)
    assert_row_carries_nothing_personal(notification)


def test_a_breach_deadline_near_tells_the_cells_dpos_once(world, cast, time_machine):
    MembershipFactory(cell=cast.cell_b, user=UserFactory(email="dpo-b@example.test"), dpo=True)
    data = {"discovered_at": timezone.now() - datetime.timedelta(hours=10), "description": "Lijst met namen.",
            "data_concerned": "Namen."}  # fmt: skip
    breach = breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)
    assert notify_breach_deadlines.delay().get() == 0  # 62 hours left
    time_machine.move_to(
        breach.discovered_at + Breach.AUTHORITY_DEADLINE - datetime.timedelta(hours=20), tick=False
    )
    assert notify_breach_deadlines.delay().get() == 1
    assert notify_breach_deadlines.delay().get() == 0  # the next hour: told once
    time_machine.move_to(
        breach.discovered_at + Breach.AUTHORITY_DEADLINE + datetime.timedelta(hours=1), tick=False
    )
    assert notify_breach_deadlines.delay().get() == 0  # past it: still once
    [notification] = of_kind(NotificationKind.BREACH_DEADLINE)
    assert notification.user == cast.dpo and notification.reference == str(breach.number)
    assert notification.path == reverse("audit:breach", kwargs={"cell_slug": "alfa", "pk": breach.pk})
    assert "namen" not in (notification.reference + notification.path).lower()


def test_a_breach_the_authority_knows_of_or_need_not_tells_nobody(world, cast):
    long_ago = timezone.now() - datetime.timedelta(hours=60)
    informed = {
        "discovered_at": long_ago,
        "description": "x",
        "data_concerned": "y",
        "authority_informed_at": timezone.now(),
        "authority": SupervisoryAuthority.values[0],
    }
    not_needed = {"discovered_at": long_ago, "description": "x", "data_concerned": "y",
                  "authority_not_informed_reason": "Versleutelde drager: geen risico."}  # fmt: skip
    for data in (informed, not_needed):
        breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data)
    assert notify_breach_deadlines.delay().get() == 0


@pytest.mark.parametrize(
    ("outcome", "said"),
    [
        ("retained", "Your referral was retained: the cell opened a case."),
        ("not_retained", "Your referral was not retained."),
        ("redirected", "Your referral was redirected to regular care."),
    ],
)
def test_the_referrer_is_told_the_outcome_only(world, cast, outcome, said):
    referral = world.referral  # by bob
    referral_qualify(
        member=world.members["coordinator"], referral=referral,
        data=QualificationData(outcome=outcome, reason="Geen band met terrorisme.", aim_signals="Geweld."),
    )  # fmt: skip
    [notification] = of_kind(NotificationKind.REFERRAL_QUALIFIED)
    assert notification.user == cast.bob and notification.reference == ""
    assert notification.path == reverse("cases:referrals", kwargs={"cell_slug": "alfa"})
    assert str(sentence(notification)) == said
    assert_row_carries_nothing_personal(notification)


def test_a_coordinator_who_qualifies_her_own_referral_is_not_told(world, cast):
    referral = _urgent(world, by="coordinator", urgency=Urgency.NORMAL)
    referral_qualify(member=world.members["coordinator"], referral=referral,
                     data=QualificationData(outcome="redirected", reason="Reguliere hulp."))  # fmt: skip
    assert of_kind(NotificationKind.REFERRAL_QUALIFIED) == []


def test_the_roles_that_receive_each_kind_are_those_the_emitters_tell(world):
    """The preferences page offers a kind to the roles its emitter tells (and to those invited)."""
    from livc.notifications.selectors import KIND_ROLES

    assert KIND_ROLES[NotificationKind.URGENT_REFERRAL] == {Role.COORDINATOR}
    assert KIND_ROLES[NotificationKind.INVITATION_WAITING] == {Role.MAYOR}
    assert KIND_ROLES[NotificationKind.LTF_FEEDBACK] == {Role.INFORMATION_OFFICER}
    assert KIND_ROLES[NotificationKind.BREACH_DEADLINE] == {Role.DPO}
    assert (
        Role.DPO
        not in KIND_ROLES[NotificationKind.ACTION_DUE] | KIND_ROLES[NotificationKind.REFERRAL_QUALIFIED]
    )
