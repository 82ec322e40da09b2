"""What the e-mail of a notification carries besides its text: one file per kind at most.

An upper app registers, from its `AppConfig.ready()`, a provider for a kind of notification: the
e-mail of every notification of that kind (sent at once; the daily digest carries none) then
carries what the provider returns for it, or nothing when it returns None. The meetings app
gives the invitation's calendar file this way (`livc.notifications` imports no upper app).
The provider runs in the e-mail's task, in the notification's cell (row-level security).
"""

from collections.abc import Callable
from dataclasses import dataclass

from livc.notifications.models import Notification


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


Provider = Callable[[Notification], Attachment | None]

_providers: dict[str, Provider] = {}


def register(kind: str, provider: Provider) -> None:
    """The provider of the attachment of `kind`'s e-mails (one per kind: a second one replaces it)."""
    _providers[kind] = provider


def attachment_for(notification: Notification) -> Attachment | None:
    provider = _providers.get(notification.kind)
    return None if provider is None else provider(notification)
