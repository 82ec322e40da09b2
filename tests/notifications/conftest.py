"""Cell A's world of the access tests (tests/access/builders.py), and helpers to read what the
notifications made: rows, outbox messages, e-mails."""

import pytest
from django.core import mail

from livc.notifications.models import Notification
from livc.outbox.models import Message
from tests.access.builders import World

# What a notification, its row or its e-mail must never carry: the subjects' pseudonyms and
# names (world.case's and world.referral's), the texts about them, the members' names.
SECRETS = (
    "Persoon Eik", "Persoon Linde", "Tom", "Testeling", "Lies", "verheerlijkt", "Signalen",
    "Alice Aerts", "Bob Bosmans", "Mira Maes", "Omar Oosterlinck", "Dina Dewulf",
)  # fmt: skip


@pytest.fixture
def world(cast) -> World:
    world = World(cast)
    _ = world.rules  # in force, acknowledged by everyone
    return world


def of_kind(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("user__email", "created_at"))


def recipients(kind: str) -> list[str]:
    return [notification.user.email for notification in of_kind(kind)]


def notification_mails() -> list[Message]:
    return list(Message.objects.filter(task__startswith="livc.notifications.tasks."))


def assert_nothing_personal(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in {text!r}"


def assert_row_carries_nothing_personal(notification: Notification) -> None:
    assert_nothing_personal(notification.reference, notification.path, notification.target)


def mail_texts(message: mail.EmailMessage) -> tuple[str, str, str]:
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    return message.subject, message.body, html
