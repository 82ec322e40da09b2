"""The versioned key ring and AES-GCM encryption of one value.

LIVC_ENCRYPTION_KEYS is "3:<base64>,2:<base64>,...": each version a 32-byte key. The
highest version encrypts; every listed version decrypts, so keys can be rotated without
downtime (see `manage.py rotate_encryption_keys`). A token is text of the form
`v1.<key version>.<urlsafe base64 of nonce + ciphertext + tag>`: the key version can be
read without decrypting. Associated data binds a token to its model, field and row.
"""

import base64
import binascii
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

TOKEN_PREFIX = "v1"  # noqa: S105 - a format marker, not a secret
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """A value could not be decrypted: wrong or missing key, altered data, or a value moved
    from another row or field. Never shown as if it were the value."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[int, bytes]

    @property
    def newest(self) -> int:
        return max(self.keys)


def parse_ring(raw: str) -> KeyRing:
    """Parse the setting; every problem is named without echoing key material."""
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    if not entries:
        raise ImproperlyConfigured(
            "LIVC_ENCRYPTION_KEYS is empty: give at least one key as '1:<base64 of 32 random bytes>'."
        )
    keys: dict[int, bytes] = {}
    for position, entry in enumerate(entries, start=1):
        version_text, separator, key_text = entry.partition(":")
        if not separator:
            raise ImproperlyConfigured(f"LIVC_ENCRYPTION_KEYS entry {position} has no 'version:' prefix.")
        try:
            version = int(version_text)
        except ValueError:
            raise ImproperlyConfigured(
                f"LIVC_ENCRYPTION_KEYS entry {position}: the version must be a whole number."
            ) from None
        if version < 1:
            raise ImproperlyConfigured(f"LIVC_ENCRYPTION_KEYS entry {position}: versions start at 1.")
        if version in keys:
            raise ImproperlyConfigured(f"LIVC_ENCRYPTION_KEYS lists version {version} twice.")
        try:
            key = base64.b64decode(key_text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(
                f"LIVC_ENCRYPTION_KEYS version {version}: the key is not valid base64."
            ) from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"LIVC_ENCRYPTION_KEYS version {version}: the key must be {KEY_BYTES} bytes, not {len(key)}."
            )
        keys[version] = key
    return KeyRing(keys)


@lru_cache(maxsize=1)
def key_ring() -> KeyRing:
    return parse_ring(settings.LIVC_ENCRYPTION_KEYS)


@receiver(setting_changed)
def _forget_ring(*, setting: str, **kwargs: Any) -> None:
    if setting == "LIVC_ENCRYPTION_KEYS":
        key_ring.cache_clear()


def encrypt(plaintext: bytes, aad: bytes, *, version: int | None = None) -> str:
    ring = key_ring()
    version = version or ring.newest
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.keys[version]).encrypt(nonce, plaintext, aad)
    body = base64.urlsafe_b64encode(nonce + sealed).decode()
    return f"{TOKEN_PREFIX}.{version}.{body}"


def token_key_version(token: str) -> int:
    try:
        prefix, version, _body = token.split(".", 2)
        if prefix != TOKEN_PREFIX:
            raise ValueError
        return int(version)
    except ValueError:
        raise DecryptionError("The stored value is not an encrypted token.") from None


def decrypt(token: str, aad: bytes, *, where: str = "") -> bytes:
    """Open a token; `where` (model.field row) only makes the error message useful."""
    version = token_key_version(token)
    key = key_ring().keys.get(version)
    context = f" ({where})" if where else ""
    if key is None:
        raise DecryptionError(f"No key of version {version} in LIVC_ENCRYPTION_KEYS{context}.")
    try:
        raw = base64.urlsafe_b64decode(token.split(".", 2)[2].encode())
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError, binascii.Error):
        raise DecryptionError(
            f"A value failed to decrypt with key version {version}{context}: "
            "altered, moved from another row or field, or encrypted with another key."
        ) from None
