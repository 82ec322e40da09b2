"""The sentence that tells what a notification is about, in the app and in its e-mail.

By default a kind's own sentence (`SENTENCES`). An app whose kind says a little more (the outcome
of a referral, from a closed list) registers a provider from its `AppConfig.ready()`; the provider
reads the notification only (no query: the list shows many) and returns a sentence of its own
closed list, never a text typed by someone, a name or a pseudonym.
"""

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from livc.notifications.models import Notification, NotificationKind

SENTENCES: dict[str, Promise] = {
    NotificationKind.URGENT_REFERRAL: _("An urgent referral waits for qualification."),
    NotificationKind.INVITATION_WAITING: _("An invitation waits for your approval."),
    NotificationKind.AGENDA_PUBLISHED: _(
        "News about a meeting you are invited to: its agenda, a change or its cancellation."
    ),
    NotificationKind.ACTION_DUE: _("An action you own is due."),
    NotificationKind.LTF_FEEDBACK: _("Feedback waits to be passed on to the Local Taskforce."),
    NotificationKind.BREACH_DEADLINE: _("The deadline to notify a data breach to the authority is near."),
    NotificationKind.REFERRAL_QUALIFIED: _("Your referral was qualified."),
}

Provider = Callable[[Notification], "str | Promise | None"]

_providers: dict[str, Provider] = {}


def register(kind: str, provider: Provider) -> None:
    """The provider of `kind`'s sentence (None from it: the kind's own sentence)."""
    _providers[kind] = provider


def sentence(notification: Notification) -> str | Promise:
    provider = _providers.get(notification.kind)
    found = None if provider is None else provider(notification)
    return found if found is not None else SENTENCES[notification.kind]
