"""A software authenticator for the passkey tests: what a phone or a security key does, in Python.

It holds one EC P-256 key pair (COSE algorithm ES256) and answers the server's options the way
a browser hands an authenticator's answer to the page, in the JSON form our script sends:

- `register(options)`: attestation "none"; authenticator data with the relying party's hash,
  the flags (user present, user verified, attested credential data), the signature counter and
  the attested credential (AAGUID, credential id, COSE public key in CBOR);
- `assertion(options)`: authenticator data and a signature over it followed by the SHA-256 of
  the client data, which carries the server's challenge and the page's origin.

Keyword arguments make it misbehave the ways an attacker or a broken device would.
"""

import hashlib
import json
import os
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2 import cbor
from fido2.cose import ES256

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
ATTESTED_CREDENTIAL = 0x40


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def from_b64url(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftwareAuthenticator:
    def __init__(self, *, rp_id: str, origin: str, aaguid: bytes = bytes(16)) -> None:
        self.rp_id = rp_id
        self.origin = origin
        self.aaguid = aaguid
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0
        self.user_handle: bytes | None = None

    def _authenticator_data(self, flags: int, *, attested: bool = False, rp_id: str | None = None) -> bytes:
        self.sign_count += 1
        data = hashlib.sha256((rp_id or self.rp_id).encode()).digest()
        data += bytes([flags]) + struct.pack(">I", self.sign_count)
        if attested:
            cose_key = cbor.encode(dict(ES256.from_cryptography_key(self.key.public_key())))
            data += self.aaguid + struct.pack(">H", len(self.credential_id)) + self.credential_id + cose_key
        return data

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        ).encode()

    def register(self, options: dict[str, Any], *, user_verified: bool = True) -> dict[str, Any]:
        """The answer to `navigator.credentials.create()` with these options."""
        self.user_handle = from_b64url(options["user"]["id"])
        flags = USER_PRESENT | ATTESTED_CREDENTIAL | (USER_VERIFIED if user_verified else 0)
        auth_data = self._authenticator_data(flags, attested=True)
        attestation = cbor.encode({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], None)
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {"credProps": {"rk": True}},
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
        }

    def assertion(
        self,
        options: dict[str, Any],
        *,
        user_verified: bool = True,
        challenge: str | None = None,
        origin: str | None = None,
        rp_id: str | None = None,
        tamper: bool = False,
    ) -> dict[str, Any]:
        """The answer to `navigator.credentials.get()`; `tamper` breaks the signature."""
        flags = USER_PRESENT | (USER_VERIFIED if user_verified else 0)
        auth_data = self._authenticator_data(flags, rp_id=rp_id)
        client_data = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        if tamper:  # signed one counter, sends another
            auth_data = auth_data[:33] + struct.pack(">I", self.sign_count + 1000)
        response = {
            "clientDataJSON": b64url(client_data),
            "authenticatorData": b64url(auth_data),
            "signature": b64url(signature),
        }
        if self.user_handle is not None:
            response["userHandle"] = b64url(self.user_handle)
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": response,
        }
