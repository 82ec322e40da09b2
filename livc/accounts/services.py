"""Writes on accounts that a platform administrator starts (the admin's actions)."""

from django.db import transaction
from django.http import HttpRequest

from livc.accounts.mail import send_password_link
from livc.accounts.models import User
from livc.audit.events import EventKind, record_account_event
from livc.outbox.services import enqueue


@transaction.atomic
def password_link_send(*, user: User, actor: User, request: HttpRequest | None = None) -> None:
    """Mail the account a link to choose its password; logged. The sender never sees the link."""
    record_account_event(EventKind.PASSWORD_LINK_SENT, user=user, actor=actor, request=request)
    user_id = user.pk
    enqueue(send_password_link, user_id=user_id)
