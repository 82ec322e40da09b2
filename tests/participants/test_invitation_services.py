import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from livc.cells.models import Membership, Role
from participants import services
from participants.models import (
    ConfidentialityAcknowledgement,
    InvitationEvent,
    InvitationStatus,
    Participant,
)
from participants.workflow import TransitionRefused
from tests.base import PASSWORD
from tests.factories import OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
S = InvitationStatus


def data(org, **overrides):
    values = {
        "name": "Ilse Invité",
        "email": "Ilse@Example.test",
        "organisation": org,
        "function": "Jeugdconsulent",
        "kind": "professional",
        "as_fixed_representative": False,
        "motivation": "Kent de jongeren in de wijk.",
        "language": "en",
    }
    return services.InvitationData(**{**values, **overrides})


def sent_invitation(members, org, django_capture_on_commit_callbacks, **overrides):
    invitation = services.invitation_save_draft(member=members["coordinator"], data=data(org, **overrides))
    services.invitation_propose(member=members["coordinator"], invitation=invitation)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_approve(member=members["mayor"], invitation=invitation)
    invitation.refresh_from_db()
    return invitation


def test_a_draft_proposed_and_approved_is_sent_by_mail_with_a_link(
    members, org, django_capture_on_commit_callbacks
):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    assert invitation.status == S.SENT
    assert invitation.email == "ilse@example.test"
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=14)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ilse@example.test"]
    assert "/invitation/" in mail.outbox[0].body
    actions = list(invitation.events.values_list("action", flat=True))
    assert actions == ["drafted", "proposed", "approved"]


def test_nothing_is_sent_before_the_mayor_approves(members, org):
    invitation = services.invitation_save_draft(member=members["coordinator"], data=data(org))
    services.invitation_propose(member=members["coordinator"], invitation=invitation)
    assert mail.outbox == []
    assert invitation.token_nonce == ""


@pytest.mark.parametrize(
    "kind", ["federal_police", "state_security", "adiv", "ocad", "immigration_office", "lawyer"]
)
def test_an_excluded_organisation_type_cannot_be_invited_and_the_reason_is_legal(members, cast, kind):
    excluded = OrganisationFactory(cell=cast.cell_a, type=kind)
    with pytest.raises(ValidationError) as refused:
        services.invitation_save_draft(member=members["coordinator"], data=data(excluded))
    assert "law of 30 July 2018" in refused.value.message_dict["organisation"][0]


def test_an_organisation_of_another_cell_is_refused(members, cast):
    foreign = OrganisationFactory(cell=cast.cell_b)
    with pytest.raises(ValidationError):
        services.invitation_save_draft(member=members["coordinator"], data=data(foreign))


def test_a_current_member_is_not_invited_again(members, org):
    with pytest.raises(ValidationError) as refused:
        services.invitation_save_draft(
            member=members["coordinator"], data=data(org, email="bob@example.test")
        )
    assert "already a member" in refused.value.message_dict["email"][0]


def test_nobody_approves_their_own_proposal(members, org, cast):
    invitation = services.invitation_save_draft(member=members["coordinator"], data=data(org))
    services.invitation_propose(member=members["coordinator"], invitation=invitation)
    with pytest.raises(PermissionDenied):
        services.invitation_approve(member=members["coordinator"], invitation=invitation)
    invitation.proposed_by = members["mayor"].user  # even a mayor who proposed it
    invitation.save()
    with pytest.raises(PermissionDenied):
        services.invitation_approve(member=members["mayor"], invitation=invitation)


def test_a_coordinator_cannot_approve_a_colleagues_proposal_either(members, org, cast):
    invitation = services.invitation_save_draft(member=members["coordinator"], data=data(org))
    services.invitation_propose(member=members["coordinator"], invitation=invitation)
    invitation.proposed_by = cast.mayor
    invitation.save()
    with pytest.raises(TransitionRefused):
        services.invitation_approve(member=members["coordinator"], invitation=invitation)


def test_a_mayor_of_another_cell_cannot_act_on_it(members, org, cast):
    invitation = services.invitation_save_draft(member=members["coordinator"], data=data(org))
    services.invitation_propose(member=members["coordinator"], invitation=invitation)
    foreign_mayor = Membership.objects.create(cell=cast.cell_b, user=cast.charlie.__class__.objects.create_user(
        "other-mayor@example.test", PASSWORD, name="Other Mayor"), role=Role.MAYOR)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.invitation_approve(member=foreign_mayor, invitation=invitation)


def test_a_rejection_needs_a_reason(members, org):
    invitation = services.invitation_save_draft(member=members["coordinator"], data=data(org))
    services.invitation_propose(member=members["coordinator"], invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_reject(member=members["mayor"], invitation=invitation, reason="  ")
    services.invitation_reject(member=members["mayor"], invitation=invitation, reason="Niet nodig aan tafel.")
    invitation.refresh_from_db()
    assert invitation.status == S.REJECTED
    assert invitation.events.last().note == "Niet nodig aan tafel."


def test_accepting_creates_account_membership_seat_and_acknowledgement(
    members, org, django_capture_on_commit_callbacks
):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    membership = services.invitation_accept(
        invitation=invitation,
        nonce=invitation.token_nonce,
        user=None,
        new_account=services.NewAccount(name="Ilse Invité", password=PASSWORD),
    )
    assert membership.role == Role.PARTICIPANT and membership.is_active
    assert membership.user.check_password(PASSWORD)
    assert membership.user.language == "en"
    participant = Participant.objects.get(membership=membership)
    assert (participant.organisation, participant.function) == (org, "Jeugdconsulent")
    assert ConfidentialityAcknowledgement.objects.filter(user=membership.user, cell=org.cell).exists()
    invitation.refresh_from_db()
    assert invitation.status == S.ACCEPTED and invitation.token_nonce == ""


def test_a_weak_password_is_refused_and_nothing_is_created(members, org, django_capture_on_commit_callbacks):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.invitation_accept(
            invitation=invitation, nonce=invitation.token_nonce, user=None,
            new_account=services.NewAccount(name="Ilse", password="12345678"),
        )  # fmt: skip
    invitation.refresh_from_db()
    assert invitation.status == S.SENT
    assert not Membership.objects.filter(user__email="ilse@example.test").exists()


def test_an_existing_account_must_be_the_one_logged_in(
    members, org, cast, django_capture_on_commit_callbacks
):
    invitation = sent_invitation(
        members, org, django_capture_on_commit_callbacks, email="charlie@example.test"
    )
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, nonce=invitation.token_nonce, user=None)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, nonce=invitation.token_nonce, user=cast.bob)
    membership = services.invitation_accept(
        invitation=invitation, nonce=invitation.token_nonce, user=cast.charlie
    )
    assert membership.cell == cast.cell_a and membership.user == cast.charlie


def test_a_used_link_cannot_be_used_again(members, org, django_capture_on_commit_callbacks):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    nonce = invitation.token_nonce
    services.invitation_decline(invitation=invitation, nonce=nonce, motivation="Geen tijd.", user=None)
    with pytest.raises(services.LinkProblem) as problem:
        services.invitation_accept(invitation=invitation, nonce=nonce, user=None)
    assert problem.value.reason == "used"


def test_resending_kills_the_old_link(members, org, django_capture_on_commit_callbacks):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    old = invitation.token_nonce
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(member=members["coordinator"], invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.token_nonce != old
    assert len(mail.outbox) == 2
    with pytest.raises(services.LinkProblem):
        services.invitation_check_link(invitation, old)


def test_a_link_expires_after_its_days_and_the_daily_job_records_it(
    members, org, django_capture_on_commit_callbacks
):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14, minutes=1)):
        with pytest.raises(services.LinkProblem) as problem:
            services.invitation_check_link(invitation, invitation.token_nonce)
        assert problem.value.reason == "expired"
        assert services.invitations_expire() == 1
        assert services.invitations_expire() == 0
    invitation.refresh_from_db()
    assert invitation.status == S.EXPIRED
    assert invitation.events.last().action == InvitationEvent.Action.EXPIRED


def test_an_expired_invitation_can_be_sent_again_without_new_approval(
    members, org, django_capture_on_commit_callbacks
):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        services.invitations_expire()
        invitation.refresh_from_db()
        services.invitation_resend(member=members["coordinator"], invitation=invitation)
        invitation.refresh_from_db()
        services.invitation_check_link(invitation, invitation.token_nonce)
    assert invitation.status == S.SENT


def test_a_professional_must_motivate_declining_a_volunteer_need_not(
    members, org, django_capture_on_commit_callbacks
):
    professional = sent_invitation(members, org, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        services.invitation_decline(
            invitation=professional, nonce=professional.token_nonce, motivation=" ", user=None
        )
    assert "motivation" in refused.value.message_dict
    volunteer = sent_invitation(members, org, django_capture_on_commit_callbacks, email="v@example.test",
                                kind="volunteer")  # fmt: skip
    services.invitation_decline(invitation=volunteer, nonce=volunteer.token_nonce, motivation="", user=None)
    volunteer.refresh_from_db()
    assert volunteer.status == S.DECLINED


def test_a_withdrawn_invitation_link_stops_working(members, org, django_capture_on_commit_callbacks):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    nonce = invitation.token_nonce
    services.invitation_withdraw(member=members["coordinator"], invitation=invitation, reason="Vergissing")
    invitation.refresh_from_db()
    with pytest.raises(services.LinkProblem):
        services.invitation_check_link(invitation, nonce)


def test_a_new_fixed_representative_replaces_the_previous_one(
    members, org, cast, django_capture_on_commit_callbacks
):
    previous = ParticipantFactory(
        membership=members["participant"], organisation=org, is_fixed_representative=True
    )
    invitation = sent_invitation(
        members, org, django_capture_on_commit_callbacks, as_fixed_representative=True
    )
    membership = services.invitation_accept(
        invitation=invitation, nonce=invitation.token_nonce, user=None,
        new_account=services.NewAccount(name="Ilse", password=PASSWORD),
    )  # fmt: skip
    previous.refresh_from_db()
    assert not previous.is_fixed_representative
    assert Participant.objects.get(membership=membership).is_fixed_representative


def test_a_fixed_representative_is_structural(members, org):
    with pytest.raises(ValidationError):
        services.invitation_save_draft(
            member=members["coordinator"], data=data(org, as_fixed_representative=True, scope="ad_hoc")
        )


def test_revoking_a_participant_ends_access_and_is_recorded(
    members, org, cast, django_capture_on_commit_callbacks
):
    invitation = sent_invitation(members, org, django_capture_on_commit_callbacks)
    membership = services.invitation_accept(
        invitation=invitation, nonce=invitation.token_nonce, user=None,
        new_account=services.NewAccount(name="Ilse", password=PASSWORD),
    )  # fmt: skip
    services.participant_revoke(
        member=members["mayor"], participant=membership.participant, reason="Verhuisd"
    )
    membership.refresh_from_db()
    assert not membership.is_active
    assert invitation.events.last().action == InvitationEvent.Action.REVOKED


def test_the_core_roles_are_not_revoked_here(members, org):
    seat = ParticipantFactory(membership=members["mayor"], organisation=org)
    with pytest.raises(ValidationError):
        services.participant_revoke(member=members["coordinator"], participant=seat)


def test_a_revoked_participant_can_be_invited_back(members, org, django_capture_on_commit_callbacks):
    first = sent_invitation(members, org, django_capture_on_commit_callbacks)
    membership = services.invitation_accept(
        invitation=first,
        nonce=first.token_nonce,
        user=None,
        new_account=services.NewAccount("Ilse", PASSWORD),
    )
    services.participant_revoke(member=members["coordinator"], participant=membership.participant)
    second = sent_invitation(members, org, django_capture_on_commit_callbacks)
    again = services.invitation_accept(invitation=second, nonce=second.token_nonce, user=membership.user)
    assert again.pk == membership.pk and again.is_active
