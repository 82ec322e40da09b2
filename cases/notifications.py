"""What the cases app tells members (`livc/notifications/`): the coordinators that an urgent
referral waits, and the referrer how her referral was qualified, the outcome only (a sentence of
the closed list below: no reference, no pseudonym). Called inside the services' transactions."""

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Referral, ReferralStatus, Urgency
from livc.cells.models import Membership, Role
from livc.notifications import sentences
from livc.notifications.models import Notification, NotificationKind
from livc.notifications.services import notify, notify_role

# The outcome, kept as the notification's target, and what the referrer reads of it.
OUTCOME_SENTENCES: dict[str, Promise] = {
    ReferralStatus.RETAINED: _("Your referral was retained: the cell opened a case."),
    ReferralStatus.NOT_RETAINED: _("Your referral was not retained."),
    ReferralStatus.REDIRECTED: _("Your referral was redirected to regular care."),
}


def outcome_sentence(notification: Notification) -> Promise | None:
    return OUTCOME_SENTENCES.get(notification.target)


def register() -> None:
    sentences.register(NotificationKind.REFERRAL_QUALIFIED, outcome_sentence)


def referral_submitted(*, member: Membership, referral: Referral) -> None:
    """An urgent referral: the cell's coordinators (but the one who made it) are told at once."""
    if referral.urgency != Urgency.URGENT:
        return
    path = reverse("cases:referral_detail", kwargs={"cell_slug": member.cell.slug, "pk": referral.pk})
    notify_role(
        cell=member.cell, role=Role.COORDINATOR, kind=NotificationKind.URGENT_REFERRAL, path=path,
        target=str(referral.pk), exclude=member.user,
    )  # fmt: skip


def referral_qualified(*, member: Membership, referral: Referral) -> None:
    """The referrer learns the outcome (unless she qualified it herself), on her referrals' list."""
    if referral.referred_by_id == member.user_id:
        return
    path = reverse("cases:referrals", kwargs={"cell_slug": member.cell.slug})
    notify(
        users=[referral.referred_by], cell=member.cell, kind=NotificationKind.REFERRAL_QUALIFIED, path=path,
        target=referral.status,
    )  # fmt: skip
