"""Passkeys (WebAuthn): the ceremonies' rules, on top of django-otp-webauthn's helper.

A passkey is a django-otp device (`WebAuthnCredential`): after a password it is a second factor
like an authenticator app. Because the browser also checks the person (fingerprint, face, PIN:
"user verification"), it is a login on its own too: possession and verification in one.

django-otp-webauthn's own views are not routed: its login view calls Django's `login()` itself,
past the locks and the audit of `livc/accounts/signin.py`, and its registration view marks a
session verified without a new session key. Our views (`livc/accounts/passkey_views.py`) use
the library's helper for the cryptography and the rules here for everything else:

- each ceremony's challenge is kept in the session under its purpose and taken out before the
  answer is checked: it answers once, and only for the purpose it was issued for (a second
  factor's challenge, which does not ask for user verification, never logs anyone in);
- the login without password and the confirmation instead of the password require user
  verification; the second factor after a password does not;
- a person has several passkeys, each named by them; the last second factor they hold (a
  passkey or an authenticator app) cannot be removed;
- adding and removing are audit events naming the device's id, never the name given to it.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.models import WebAuthnCredential, WebAuthnUserHandle
from webauthn import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException

from livc.accounts import otp
from livc.accounts.models import User
from livc.audit.events import EventKind, record_account_event

# What a ceremony is for; each keeps its own challenge in the session.
LOGIN = "login"  # log in without password (user verification required)
SECOND_FACTOR = "verify"  # the second factor after a password
CONFIRM = "confirm"  # instead of the password, before the second factor changes (verification required)
REGISTER = "register"  # add a passkey
_VERIFYING = {LOGIN, CONFIRM}

NAME_MAX_LENGTH = 64  # django-otp's Device.name

# The errors the library and py_webauthn raise for an answer that does not verify or does not parse.
_CEREMONY_ERRORS = (WebAuthnException, OTPWebAuthnApiError, ValueError, KeyError, TypeError)


class PasskeyRefused(Exception):
    """A ceremony that did not succeed.

    `reason` is a code of `livc.accounts.signin.REASONS` ("assertion_failed", "unknown_credential")
    for an assertion, "registration_failed" for a registration; `passkey` is the credential the
    answer named, when it is registered here.
    """

    def __init__(self, reason: str, passkey: WebAuthnCredential | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.passkey = passkey


def passkey_list(user: User) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_passkey(user: User) -> bool:
    return passkey_list(user).exists()


def default_name(user: User) -> str:
    """A name like "Passkey 3" for a person's third, which they may keep or change."""
    number = WebAuthnCredential.objects.filter(user=user).count() + 1
    return _("Passkey %(number)d") % {"number": number}


def _state_key(purpose: str) -> str:
    return f"livc_passkey_{purpose}"


def begin(request: HttpRequest, *, purpose: str, user: User | None, name: str = "") -> dict[str, Any]:
    """The options the browser needs for the ceremony; its challenge is kept in the session.

    A login without password names no user: the browser offers the passkeys it holds for this
    site (discoverable credentials), and nothing tells whether an address has an account.
    """
    helper = WebAuthnCredential.get_webauthn_helper(request=request)
    if purpose == REGISTER:
        assert user is not None
        options, state = helper.register_begin(user=user)
        state = {**state, "name": name or default_name(user)}
    else:
        options, state = helper.authenticate_begin(
            user=None if purpose == LOGIN else user, require_user_verification=purpose in _VERIFYING
        )
    request.session[_state_key(purpose)] = state
    return options


def _take_state(request: HttpRequest, purpose: str) -> dict[str, Any] | None:
    """The ceremony's state, removed from the session: a challenge is answered once at most."""
    state = request.session.pop(_state_key(purpose), None)
    return state if isinstance(state, dict) else None


@transaction.atomic
def register(request: HttpRequest, *, user: User, data: Any) -> WebAuthnCredential:
    """Check the browser's answer to `begin(REGISTER)` and store the new passkey under its name."""
    state = _take_state(request, REGISTER)
    if state is None or not isinstance(data, dict):
        raise PasskeyRefused("registration_failed")
    helper = WebAuthnCredential.get_webauthn_helper(request=request)
    try:
        with transaction.atomic():  # a passkey registered twice breaks the unique hash: undo it alone
            passkey = helper.register_complete(user=user, state=state, data=data)
    except (*_CEREMONY_ERRORS, IntegrityError) as error:
        raise PasskeyRefused("registration_failed") from error
    passkey.name = str(state.get("name") or default_name(user))[:NAME_MAX_LENGTH]
    passkey.save(update_fields=["name"])
    record_account_event(
        EventKind.PASSKEY_ADDED, user=user, actor=user, request=request, data={"device": passkey.pk}
    )
    return passkey


def authenticate(request: HttpRequest, *, purpose: str, user: User | None, data: Any) -> WebAuthnCredential:
    """The passkey that signed this ceremony's challenge, or `PasskeyRefused`.

    With `user` (second factor, confirmation) only that person's passkeys count. The signature
    counter and the time of last use are updated by the library's helper.
    """
    state = _take_state(request, purpose)
    passkey = _named_passkey(data)
    if passkey is not None and user is not None and passkey.user_id != user.pk:
        passkey = None  # someone else's passkey is no passkey of this person's
    if state is None or not isinstance(data, dict):
        raise PasskeyRefused("assertion_failed", passkey)
    if passkey is None:
        raise PasskeyRefused("unknown_credential")
    helper = WebAuthnCredential.get_webauthn_helper(request=request)
    try:
        verified = helper.authenticate_complete(user=user, state=state, data=data)
    except _CEREMONY_ERRORS as error:
        raise PasskeyRefused("assertion_failed", passkey) from error
    if not verified.confirmed or not _user_handle_matches(verified, data):
        raise PasskeyRefused("assertion_failed", passkey)
    return verified


def _named_passkey(data: Any) -> WebAuthnCredential | None:
    """The registered passkey whose id the answer gives, if any."""
    try:
        raw_id = base64url_to_bytes(str(data["rawId"]))
        return WebAuthnCredential.get_by_credential_id(raw_id)
    except (WebAuthnCredential.DoesNotExist, *_CEREMONY_ERRORS):
        return None


def _user_handle_matches(passkey: WebAuthnCredential, data: dict[str, Any]) -> bool:
    """The account the authenticator says the passkey belongs to is its owner here (if it says)."""
    raw = (data.get("response") or {}).get("userHandle")
    if not raw:
        return True
    owner = WebAuthnUserHandle.objects.filter(user_id=passkey.user_id).first()
    try:
        return owner is not None and base64url_to_bytes(str(raw)) == owner.handle
    except _CEREMONY_ERRORS:
        return False


def can_remove(passkey: WebAuthnCredential) -> bool:
    """Whether another second factor remains: another passkey, or an authenticator app.

    Backup codes do not count: they run out, and are meant for the day the phone is lost.
    """
    others = passkey_list(passkey.user).exclude(pk=passkey.pk).exists()
    return others or otp.has_totp(passkey.user)


@transaction.atomic
def passkey_remove(*, passkey: WebAuthnCredential, request: HttpRequest) -> bool:
    """Remove a passkey unless it is the person's last second factor; False if refused."""
    user = passkey.user
    # Two removals at once (two tabs) must not both see "another one remains".
    list(WebAuthnCredential.objects.select_for_update().filter(user=user).values_list("pk", flat=True))
    if not can_remove(passkey):
        return False
    pk = passkey.pk
    passkey.delete()
    record_account_event(
        EventKind.PASSKEY_REMOVED, user=user, actor=user, request=request, data={"device": pk}
    )
    return True


def passkey_rename(*, passkey: WebAuthnCredential, name: str) -> None:
    passkey.name = name[:NAME_MAX_LENGTH]
    passkey.save(update_fields=["name"])
