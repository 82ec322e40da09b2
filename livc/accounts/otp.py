"""Second factor: TOTP enrolment and verification, static backup codes (django-otp).

Every user needs a verified second factor before any page with cell data. A user with no
confirmed device must enrol an authenticator app first; a user with one must verify it
(or use a backup code) after every password login.
"""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from livc.accounts.models import ProviderDevice, User
from livc.audit.events import EventKind, record_account_event

TOTP_NAME = "authenticator"
BACKUP_NAME = "backup"


def is_verified(user: User) -> bool:
    """Whether this session passed the second factor (django-otp's OTPMiddleware tells)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_confirmed_device(user: User) -> bool:
    """Whether the person has a second factor of their own (an identity provider's is not one)."""
    return any(not isinstance(device, ProviderDevice) for device in devices_for_user(user, confirmed=True))


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled; a new secret each time enrolment starts over."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    """The device's provisioning URL as an inline SVG QR code, drawn on the server."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]  # drop the XML declaration for inline use


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with a first code; the new device replaces any older one."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(normalise_token(token)):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def backup_codes_renew(*, user: User, count: int | None = None) -> list[str]:
    """Issue a fresh set of single-use codes; the old set stops working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count or settings.LIVC_BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_reset(*, user: User, actor: User, request: HttpRequest | None = None) -> int:
    """Delete every device of the account (a platform administrator's action); logged.

    Sessions verified with a deleted device stop being verified at their next request. After
    the next password login the person must enrol a new authenticator app or passkey.
    """
    deleted = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential, ProviderDevice):
        count, _ = model.objects.filter(user=user).delete()
        deleted += count
    record_account_event(
        EventKind.SECOND_FACTOR_RESET, user=user, actor=actor, request=request, data={"deleted": deleted}
    )
    return deleted


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(*, user: User, token: str) -> Device | None:
    """The confirmed device that accepts the code, or None.

    Wrong codes are throttled per login session by the caller (`livc/accounts/throttle.py`);
    the devices' own throttle is off (`OTP_*_THROTTLE_FACTOR = 0`).
    """
    token = normalise_token(token)
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def normalise_token(token: str) -> str:
    return "".join(token.split()).lower()
