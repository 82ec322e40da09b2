"""Invitation links: signed, single-use, expiring.

The link carries the invitation id and a random nonce, signed with SECRET_KEY. A tampered
link fails the signature; a used or replaced link no longer matches the invitation's
nonce (accepting, declining, withdrawing or resending clears or replaces it); an old link
fails on the invitation's own expiry date, which the coordinator can renew by resending.
"""

import secrets
from dataclasses import dataclass

from django.core import signing

_SALT = "livc.participants.invitation"


@dataclass(frozen=True)
class LinkData:
    invitation_id: int
    nonce: str


class BadLink(Exception):
    """The link was not made by us (or was changed)."""


def new_nonce() -> str:
    return secrets.token_hex(16)


def make_token(*, invitation_id: int, nonce: str) -> str:
    return signing.dumps({"i": invitation_id, "n": nonce}, salt=_SALT, compress=False)


def read_token(token: str) -> LinkData:
    try:
        data = signing.loads(token, salt=_SALT)
        return LinkData(invitation_id=int(data["i"]), nonce=str(data["n"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadLink from None
