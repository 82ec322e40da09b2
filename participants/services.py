"""Writes: organisations, invitations and their workflow, participants. (The rules of procedure
and the acknowledgement of the secrecy of the table: `participants/rules.py`.)

Each service takes the acting member's `Membership` (its role decides what is allowed),
checks the rule it implements, writes in one transaction and records the step.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Role
from livc.db import unique_error, unique_or_error
from livc.notifications.models import NotificationKind
from livc.notifications.services import notify_role
from livc.outbox.services import enqueue
from participants import workflow
from participants.mail import send_invitation_email
from participants.models import (
    OPEN_INVITATION_STATUSES,
    Invitation,
    InvitationEvent,
    InvitationScope,
    InvitationStatus,
    Organisation,
    Participant,
    ParticipantKind,
)
from participants.rules import acknowledgement_record
from participants.signals import invitation_accepted, participant_revoked
from participants.tokens import new_nonce

Event = InvitationEvent.Action


def _actor_kind(member: Membership) -> str:
    kinds: dict[str, str] = {Role.COORDINATOR: workflow.COORDINATOR, Role.MAYOR: workflow.MAYOR}
    return kinds.get(member.role, "")


def _record(invitation: Invitation, action: str, actor: User | None, note: str = "") -> None:
    InvitationEvent.objects.create(invitation=invitation, action=action, actor=actor, note=note)


def _locked(invitation: Invitation, member: Membership | None = None) -> Invitation:
    """Re-read the invitation under a row lock: two people may act on it at once."""
    locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if member is not None and locked.cell_id != member.cell_id:
        raise PermissionDenied
    return locked


def _move(invitation: Invitation, new: str, actor_kind: str) -> None:
    workflow.assert_transition(invitation.status, new, actor_kind)
    invitation.status = new


# --- Organisations ------------------------------------------------------------------------


@transaction.atomic
def organisation_save(
    *, member: Membership, name: str, type: str, organisation: Organisation | None = None
) -> Organisation:
    member.require_role(Role.COORDINATOR)
    organisation = organisation or Organisation(cell=member.cell)
    if organisation.cell_id != member.cell_id:
        raise PermissionDenied
    organisation.name, organisation.type = name.strip(), type
    organisation.full_clean(validate_constraints=False)
    duplicate = unique_error(Organisation, "organisation_name_per_cell", field="name")
    same_name = Organisation.objects.filter(cell=organisation.cell_id, name=organisation.name)
    if same_name.exclude(pk=organisation.pk).exists():
        raise duplicate
    with unique_or_error(Organisation, {"organisation_name_per_cell": duplicate}):  # two at once
        organisation.save()
    return organisation


# --- Invitations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationData:
    name: str
    email: str
    organisation: Organisation
    function: str
    kind: str
    as_fixed_representative: bool
    motivation: str
    language: str
    scope: str = InvitationScope.STRUCTURAL


OPEN_INVITATION = "one_open_invitation_per_address"


def _open_invitation_error() -> ValidationError:
    return unique_error(Invitation, OPEN_INVITATION, field="email")


def _another_in_progress(cell_id: int, email: str, invitation: Invitation | None) -> bool:
    """Whether another invitation to this address is in progress in the cell (draft to sent)."""
    in_progress = Invitation.objects.filter(
        cell_id=cell_id, email=email.strip().lower(), status__in=OPEN_INVITATION_STATUSES
    )
    if invitation is not None:
        in_progress = in_progress.exclude(pk=invitation.pk)
    return in_progress.exists()


def _validate_invitation(cell: Cell, data: InvitationData, invitation: Invitation | None) -> None:
    if data.organisation.cell_id != cell.pk:
        raise ValidationError({"organisation": _("This organisation belongs to another cell.")})
    if data.organisation.is_excluded:
        raise ValidationError({"organisation": str(data.organisation.exclusion_reason)})
    if data.as_fixed_representative and data.scope != InvitationScope.STRUCTURAL:
        raise ValidationError(
            {"as_fixed_representative": _("A fixed representative is a structural member of the cell.")}
        )
    if Membership.objects.effective().filter(cell=cell, user__email__iexact=data.email).exists():
        raise ValidationError({"email": _("This person is already a member of the cell.")})
    if _another_in_progress(cell.pk, data.email, invitation):
        raise _open_invitation_error()
    if not data.motivation.strip():
        raise ValidationError({"motivation": _("Say what this person's function contributes to the table.")})


@transaction.atomic
def invitation_save_draft(
    *, member: Membership, data: InvitationData, invitation: Invitation | None = None
) -> Invitation:
    member.require_role(Role.COORDINATOR)
    _validate_invitation(member.cell, data, invitation)
    if invitation is None:
        invitation = Invitation(cell=member.cell, proposed_by=member.user)
        action = Event.DRAFTED
    else:
        invitation = _locked(invitation, member)
        if invitation.status != InvitationStatus.DRAFT:
            raise ValidationError(_("Only a draft can be changed."))
        action = Event.EDITED
    for field in ("name", "function", "kind", "as_fixed_representative", "motivation", "language", "scope"):
        setattr(invitation, field, getattr(data, field))
    invitation.email = data.email.strip().lower()
    invitation.organisation = data.organisation
    invitation.full_clean(validate_constraints=False)
    with unique_or_error(Invitation, {OPEN_INVITATION: _open_invitation_error()}):  # two at once
        invitation.save()
    _record(invitation, action, member.user)
    return invitation


@transaction.atomic
def invitation_propose(*, member: Membership, invitation: Invitation) -> Invitation:
    invitation = _locked(invitation, member)
    _move(invitation, InvitationStatus.PENDING, _actor_kind(member))
    invitation.save(update_fields=["status"])
    _record(invitation, Event.PROPOSED, member.user)
    # The cell's mayors (but a mayor who proposed it: nobody approves their own proposal) are told.
    notify_role(
        cell=member.cell, role=Role.MAYOR, kind=NotificationKind.INVITATION_WAITING,
        path=reverse("participants:approvals", kwargs={"cell_slug": member.cell.slug}),
        target=str(invitation.pk), exclude=member.user,
    )  # fmt: skip
    return invitation


@transaction.atomic
def invitation_withdraw(*, member: Membership, invitation: Invitation, reason: str = "") -> Invitation:
    invitation = _locked(invitation, member)
    _move(invitation, InvitationStatus.WITHDRAWN, _actor_kind(member))
    invitation.token_nonce = ""  # a link already sent stops working
    invitation.save(update_fields=["status", "token_nonce"])
    _record(invitation, Event.WITHDRAWN, member.user, reason.strip())
    return invitation


@transaction.atomic
def invitation_approve(*, member: Membership, invitation: Invitation) -> Invitation:
    """A mayor approves; only then is the invitation e-mailed with its single-use link."""
    invitation = _locked(invitation, member)
    if invitation.proposed_by_id == member.user_id:
        raise PermissionDenied(_("Nobody approves their own proposal."))
    _move(invitation, InvitationStatus.SENT, _actor_kind(member))
    if invitation.organisation.is_excluded:  # the organisation's type may have changed since
        raise ValidationError(str(invitation.organisation.exclusion_reason))
    invitation.decided_by, invitation.decided_at = member.user, timezone.now()
    _issue_link(invitation)
    invitation.save()
    _record(invitation, Event.APPROVED, member.user)
    return invitation


@transaction.atomic
def invitation_reject(*, member: Membership, invitation: Invitation, reason: str) -> Invitation:
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason for the rejection: the coordinator will read it.")}
        )
    invitation = _locked(invitation, member)
    _move(invitation, InvitationStatus.REJECTED, _actor_kind(member))
    invitation.decided_by, invitation.decided_at = member.user, timezone.now()
    invitation.rejection_reason = reason.strip()
    invitation.save()
    _record(invitation, Event.REJECTED, member.user, invitation.rejection_reason)
    return invitation


@transaction.atomic
def invitation_resend(*, member: Membership, invitation: Invitation) -> Invitation:
    invitation = _locked(invitation, member)
    _move(invitation, InvitationStatus.SENT, _actor_kind(member))
    if _another_in_progress(invitation.cell_id, invitation.email, invitation):
        raise _open_invitation_error()
    _issue_link(invitation)
    # An expired invitation comes back in progress: not beside a newer one to the same address.
    with unique_or_error(Invitation, {OPEN_INVITATION: _open_invitation_error()}):
        invitation.save()
    _record(invitation, Event.RESENT, member.user)
    return invitation


def _issue_link(invitation: Invitation) -> None:
    now = timezone.now()
    invitation.token_nonce = new_nonce()
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.LIVC_INVITATION_VALID_DAYS)
    invitation_id = invitation.pk
    enqueue(send_invitation_email, invitation_id=invitation_id)


class LinkProblem(Exception):
    """Why an invitation link cannot be used: `expired` or `used`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_check_link(invitation: Invitation, nonce: str) -> None:
    if (
        not invitation.token_nonce
        or invitation.token_nonce != nonce
        or invitation.status != InvitationStatus.SENT
    ):
        if invitation.status == InvitationStatus.EXPIRED and invitation.token_nonce == nonce:
            raise LinkProblem("expired")
        raise LinkProblem("used")
    if invitation.link_expired:
        raise LinkProblem("expired")


@dataclass(frozen=True)
class NewAccount:
    """The invitee's new account. Without a password (None) the invited address was proven by an
    identity provider's login instead (`participants/invitee_views.py`): the account gets no
    usable password and logs in through the provider."""

    name: str
    password: str | None


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, nonce: str, user: User | None, new_account: NewAccount | None = None
) -> Membership:
    """The invitee accepts: account (if new), membership, seat profile, acknowledgement.

    An existing account must be the one the invitation was sent to (the caller logged it
    in); a new account is created with the invitation's e-mail address.
    """
    invitation = _locked(invitation)
    invitation_check_link(invitation, nonce)
    user = _invitee_account(invitation, user, new_account)
    membership = _membership_for(invitation, user)
    _seat_profile_for(invitation, membership)
    acknowledgement_record(cell=invitation.cell, user=user)
    _move(invitation, InvitationStatus.ACCEPTED, workflow.INVITEE)
    invitation.token_nonce, invitation.responded_at, invitation.membership = "", timezone.now(), membership
    invitation.save()
    _record(invitation, Event.ACCEPTED, user)
    # Inside the transaction: if the cases app cannot seat an ad hoc invitee, nothing is accepted.
    invitation_accepted.send(sender=Invitation, invitation=invitation, membership=membership)
    return membership


def _invitee_account(invitation: Invitation, user: User | None, new_account: NewAccount | None) -> User:
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if user is None or user.pk != existing.pk:
            raise PermissionDenied(
                _("Log in with the account of %(email)s first.") % {"email": invitation.email}
            )
        return existing
    if new_account is None:
        raise ValidationError(_("Choose a password to create your account."))
    account = User(email=invitation.email, name=new_account.name.strip() or invitation.name)
    if new_account.password is None:
        account.set_unusable_password()
    else:
        validate_password(new_account.password, account)
        account.set_password(new_account.password)
    account.language = invitation.language
    account.full_clean(exclude=["password"])
    # Two invitations (of two cells) accepted at once with a new account: the second one finds
    # the account the first just made, as if it had come after it.
    log_in_first = PermissionDenied(
        _("Log in with the account of %(email)s first.") % {"email": invitation.email}
    )
    with unique_or_error(User, {"email": log_in_first, "user_email_ci_unique": log_in_first}):
        account.save()
    return account


def _membership_for(invitation: Invitation, user: User) -> Membership:
    already = ValidationError(_("You are already a member of this cell."))
    membership = Membership.objects.select_for_update().filter(cell=invitation.cell, user=user).first()
    if membership is None:
        with unique_or_error(Membership, {"one_membership_per_cell": already}):  # two at once
            return Membership.objects.create(cell=invitation.cell, user=user, role=Role.PARTICIPANT)
    if membership.is_active:
        raise already
    membership.role, membership.is_active = Role.PARTICIPANT, True  # a former member comes back
    membership.save(update_fields=["role", "is_active"])
    return membership


def _seat_profile_for(invitation: Invitation, membership: Membership) -> Participant:
    if invitation.as_fixed_representative:
        # The mayor approved a new fixed representative: the previous one sits as a participant
        # (two accepting at once: one after the other, under the organisation's lock).
        Organisation.objects.select_for_update().filter(pk=invitation.organisation_id).first()
        Participant.objects.filter(
            organisation=invitation.organisation, is_fixed_representative=True
        ).exclude(membership=membership).update(is_fixed_representative=False, substitute=None)
    with unique_or_error(Participant, {FIXED_REPRESENTATIVE: _fixed_representative_error()}):
        participant, _ = Participant.objects.update_or_create(
            membership=membership,
            defaults={
                "cell": invitation.cell,
                "organisation": invitation.organisation,
                "function": invitation.function,
                "kind": invitation.kind,
                "is_fixed_representative": invitation.as_fixed_representative,
                "substitute": None,
            },
        )
    return participant


@transaction.atomic
def invitation_decline(
    *, invitation: Invitation, nonce: str, motivation: str, user: User | None
) -> Invitation:
    """The invitee declines. A professional must say why (decree LIVC-R); a volunteer need not."""
    invitation = _locked(invitation)
    invitation_check_link(invitation, nonce)
    motivation = motivation.strip()
    if invitation.kind == ParticipantKind.PROFESSIONAL and not motivation:
        raise ValidationError(
            {
                "motivation": _(
                    "As a professional, write why you decline; the mayor and coordinator will read it."
                )
            }
        )
    _move(invitation, InvitationStatus.DECLINED, workflow.INVITEE)
    invitation.token_nonce, invitation.responded_at = "", timezone.now()
    invitation.decline_motivation = motivation
    invitation.save()
    _record(invitation, Event.DECLINED, user, motivation)
    return invitation


def invitations_expire(*, now: datetime.datetime | None = None) -> int:
    """Mark sent invitations whose link has run out as expired (daily task). Returns the count."""
    now = now or timezone.now()
    count = 0
    for pk in Invitation.objects.filter(status=InvitationStatus.SENT, expires_at__lt=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=pk)
            if invitation.status != InvitationStatus.SENT or not invitation.link_expired:
                continue
            _move(invitation, InvitationStatus.EXPIRED, workflow.SYSTEM)
            invitation.save(update_fields=["status"])
            _record(invitation, Event.EXPIRED, None)
            count += 1
    return count


# --- Participants --------------------------------------------------------------------------

FIXED_REPRESENTATIVE = "one_fixed_representative_per_organisation"


def _fixed_representative_error() -> ValidationError:
    return unique_error(Participant, FIXED_REPRESENTATIVE, field="is_fixed_representative")


@transaction.atomic
def participant_update(
    *,
    member: Membership,
    participant: Participant,
    function: str,
    kind: str,
    is_fixed_representative: bool,
    substitute: Participant | None,
) -> Participant:
    member.require_role(Role.COORDINATOR)
    participant = Participant.objects.select_for_update().get(pk=participant.pk, cell=member.cell)
    if is_fixed_representative and not participant.is_fixed_representative:
        other = (
            Participant.objects.filter(organisation=participant.organisation, is_fixed_representative=True)
            .exclude(pk=participant.pk)
            .first()
        )
        if other is not None:
            raise _fixed_representative_error()
    participant.function, participant.kind = function.strip(), kind
    participant.is_fixed_representative = is_fixed_representative
    participant.substitute = substitute if is_fixed_representative else None
    participant.full_clean(validate_constraints=False)
    with unique_or_error(Participant, {FIXED_REPRESENTATIVE: _fixed_representative_error()}):  # two at once
        participant.save()
    return participant


@transaction.atomic
def participant_revoke(*, member: Membership, participant: Participant, reason: str = "") -> Participant:
    """End a participant's access at once: the membership is deactivated, the seat profile kept.

    Once only: the seat profile and its membership are read under a row lock (both rows), so a
    second revocation, from another tab or at the same moment, finds the access ended and is
    refused instead of recording the revocation twice.
    """
    member.require_role(Role.COORDINATOR, Role.MAYOR)
    participant = (
        Participant.objects.select_for_update()
        .select_related("membership")
        .get(pk=participant.pk, cell=member.cell)
    )
    target = participant.membership
    if target.role != Role.PARTICIPANT:
        raise ValidationError(
            _("Mayor, coordinator and information officer are changed by the platform administrator.")
        )
    if not target.is_active:
        raise ValidationError(_("This participant's access has already ended."))
    target.is_active = False
    target.save(update_fields=["is_active"])
    participant.is_fixed_representative, participant.substitute = False, None
    participant.save(update_fields=["is_fixed_representative", "substitute"])
    Participant.objects.filter(substitute=participant).update(substitute=None)
    participant_revoked.send(sender=Participant, participant=participant)
    for invitation in Invitation.objects.filter(membership=target, status=InvitationStatus.ACCEPTED):
        _record(invitation, Event.REVOKED, member.user, reason.strip())
    return participant
