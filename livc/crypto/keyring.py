"""The versioned key ring and the AES-GCM encryption of one value.

`settings.LIVC_ENCRYPTION_KEYS` is a ring such as "2:<base64>,1:<base64>", each key 32 random
bytes. The highest version encrypts; every listed version decrypts. Keys can so be rotated
without downtime: add a new, higher version, run `manage.py rotate_encryption_keys`, and only
then drop the old version.

A token is text: `v1.<key version>.<urlsafe base64 of nonce + ciphertext + tag>`. The key
version is readable without decrypting, which is what lets the rotation command find old
values. The associated data (AAD) is authenticated but not stored: a token opens only with the
same AAD it was sealed with, which the fields use to bind a value to its model, field and row.
"""

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.views.decorators.debug import sensitive_variables

SETTING = "LIVC_ENCRYPTION_KEYS"
TOKEN_FORMAT = "v1"  # noqa: S105  the layout of a token, not a key version or a secret
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # the nonce size AES-GCM is designed for
TAG_BYTES = 16
_TOKEN = re.compile(r"v1\.(?P<version>[0-9]+)\.(?P<body>[A-Za-z0-9_-]+={0,2})")


class DecryptionError(Exception):
    """A stored value could not be decrypted.

    Its key version is not in the ring, or the value was altered, copied from another row or
    field, or sealed with another key. Raised instead of ever showing the stored text, and its
    message never holds the token or the plaintext.
    """

    def __init__(self, message: str, *, key_version: int | None = None) -> None:
        super().__init__(message)
        self.key_version = key_version


@dataclass(frozen=True)
class KeyRing:
    """The parsed ring: one cipher per key version. The raw keys are not kept, nor shown."""

    ciphers: Mapping[int, AESGCM] = field(repr=False)

    @property
    def newest(self) -> int:
        return max(self.ciphers)

    @property
    def versions(self) -> list[int]:
        return sorted(self.ciphers, reverse=True)


# --- Parsing the setting -------------------------------------------------------------------


def _problem(what: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{SETTING} {what}. Expected 'version:key' pairs separated by commas, e.g. "
        f"'2:<base64 of {KEY_BYTES} random bytes>,1:<...>'; the highest version encrypts."
    )


def _parse_version(text: str, position: int) -> int:
    text = text.strip()
    if not text:
        raise _problem(f"entry {position} has no key version before ':'")
    if not text.isascii() or not text.isdigit():
        raise _problem(f"entry {position}: the key version must be a whole number")
    version = int(text)
    if version < 1:
        raise _problem(f"entry {position}: key versions start at 1")
    return version


@sensitive_variables()
def _parse_key(text: str, version: int) -> bytes:
    """Standard or URL-safe base64; the key text is never part of a message."""
    try:
        key = base64.b64decode(text.strip().replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise _problem(f"key version {version}: the key is not valid base64") from None
    if len(key) != KEY_BYTES:
        raise _problem(f"key version {version}: the key is {len(key)} bytes long, not {KEY_BYTES}")
    return key


@sensitive_variables()
def parse_key_ring(raw: object) -> KeyRing:
    """Parse a ring; every mistake is an `ImproperlyConfigured` that names it, never the key."""
    if not isinstance(raw, str):
        raise _problem(f"must be a string, not {type(raw).__name__}")
    entries = [entry for entry in raw.split(",") if entry.strip()]
    if not entries:
        raise _problem("is empty: at least one key is needed")
    ciphers: dict[int, AESGCM] = {}
    for position, entry in enumerate(entries, start=1):
        version_text, separator, key_text = entry.partition(":")
        if not separator:
            raise _problem(f"entry {position} has no 'version:' prefix")
        version = _parse_version(version_text, position)
        if version in ciphers:
            raise _problem(f"lists key version {version} more than once")
        ciphers[version] = AESGCM(_parse_key(key_text, version))
    return KeyRing(ciphers)


@lru_cache(maxsize=1)
def get_key_ring() -> KeyRing:
    """The ring of the current settings, parsed once per process."""
    return parse_key_ring(getattr(settings, SETTING, ""))


def reset_key_ring() -> None:
    """Forget the parsed ring, so that the next use reads the setting again."""
    get_key_ring.cache_clear()


@receiver(setting_changed)
def _reset_on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    """Keeps `override_settings(LIVC_ENCRYPTION_KEYS=...)` in tests effective."""
    if setting == SETTING:
        reset_key_ring()


def newest_key_version() -> int:
    return get_key_ring().newest


# --- Tokens ----------------------------------------------------------------------------------


@sensitive_variables()
def encrypt(plaintext: bytes, aad: bytes, *, key_version: int | None = None) -> str:
    """Seal `plaintext` with the newest key (or `key_version`) and a fresh random nonce."""
    ring = get_key_ring()
    version = ring.newest if key_version is None else key_version
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[version].encrypt(nonce, plaintext, aad)
    return f"{TOKEN_FORMAT}.{version}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def token_key_version(token: str) -> int:
    """The key version a token was sealed with, read without decrypting it."""
    return _split_token(token)[0]


def _split_token(token: str, context: str = "") -> tuple[int, str]:
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise DecryptionError(f"Cannot decrypt{_where(context)}: the stored value is not an encrypted token.")
    return int(match["version"]), match["body"]


def _where(context: str) -> str:
    return f" {context}" if context else ""


@sensitive_variables()
def decrypt(token: str, aad: bytes, *, context: str = "") -> bytes:
    """Open a token sealed with the same `aad`.

    `context` (e.g. "cases.Subject.name of row <pk>") only makes the error message useful;
    the message never contains the token or the plaintext.
    """
    version, body = _split_token(token, context)
    cipher = get_key_ring().ciphers.get(version)
    if cipher is None:
        raise DecryptionError(
            f"Cannot decrypt{_where(context)}: key version {version} is not in {SETTING} "
            f"(versions present: {', '.join(map(str, get_key_ring().versions))}).",
            key_version=version,
        )
    try:
        raw = base64.b64decode(body, altchars=b"-_", validate=True)
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise ValueError("too short")
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionError(
            f"Cannot decrypt{_where(context)} with key version {version}: the value was altered, "
            "copied from another row or field, or sealed with another key of that version.",
            key_version=version,
        ) from None
