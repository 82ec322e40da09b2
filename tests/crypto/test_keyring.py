import base64
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from livc.crypto.keyring import (
    DecryptionError,
    decrypt,
    encrypt,
    get_key_ring,
    newest_key_version,
    parse_key_ring,
    token_key_version,
)
from tests.crypto import V1, V2

KEY_TEXT = V1.split(":", 1)[1]
OTHER_KEY_TEXT = base64.b64encode(b"another-key-of-thirty-two-bytes!").decode()
AAD = b"crypto_app.secret.name.0b7f0b40-7c5e-4f4e-9d43-9f1b6a7bb2d2"


def test_it_round_trips_bytes_with_the_newest_key():
    token = encrypt("Één geheim".encode(), AAD)
    assert re.fullmatch(r"v1\.2\.[A-Za-z0-9_-]+=*", token)
    assert token_key_version(token) == 2
    assert decrypt(token, AAD).decode() == "Één geheim"


def test_it_uses_a_fresh_nonce_for_every_value():
    assert encrypt(b"same", AAD) != encrypt(b"same", AAD)


def test_it_can_seal_with_an_older_key_on_request():
    token = encrypt(b"old", AAD, key_version=1)
    assert token_key_version(token) == 1
    assert decrypt(token, AAD) == b"old"


def test_another_associated_data_does_not_open_the_token():
    token = encrypt(b"bound", AAD)
    with pytest.raises(DecryptionError) as failure:
        decrypt(token, AAD + b"x", context="crypto_app.Secret.name of row 1")
    message = str(failure.value)
    assert "crypto_app.Secret.name of row 1" in message
    assert "key version 2" in message
    assert token not in message and token.split(".")[2][:12] not in message
    assert failure.value.key_version == 2


def test_another_key_of_the_same_version_does_not_open_the_token():
    token = encrypt(b"bound", AAD)
    with override_settings(LIVC_ENCRYPTION_KEYS=f"2:{OTHER_KEY_TEXT}"), pytest.raises(DecryptionError):
        decrypt(token, AAD)


def test_an_unknown_key_version_names_the_version_and_the_ones_present():
    token = encrypt(b"bound", AAD)
    with override_settings(LIVC_ENCRYPTION_KEYS=V1), pytest.raises(DecryptionError) as failure:
        decrypt(token, AAD)
    assert "key version 2 is not in LIVC_ENCRYPTION_KEYS (versions present: 1)" in str(failure.value)


@pytest.mark.parametrize(
    "token",
    ["", "plain text", "v2.2.AAAA", "v1.x.AAAA", "v1.2.", "v1.2.not base64!", "v1.2.QUJD"],
)
def test_anything_but_a_valid_token_is_a_decryption_error(token):
    with pytest.raises(DecryptionError) as failure:
        decrypt(token, AAD)
    assert token == "" or token not in str(failure.value)


def test_a_flipped_bit_is_a_decryption_error():
    token = encrypt(b"bound", AAD)
    prefix, body = token.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(DecryptionError):
        decrypt(f"{prefix}.{base64.urlsafe_b64encode(bytes(raw)).decode()}", AAD)


def test_the_ring_follows_overridden_settings():
    assert newest_key_version() == 2
    with override_settings(LIVC_ENCRYPTION_KEYS=V1):
        assert newest_key_version() == 1
    assert get_key_ring().versions == [2, 1]


def test_order_and_spaces_in_the_ring_do_not_matter_and_url_safe_base64_is_accepted():
    urlsafe = base64.urlsafe_b64encode(b"\xfb" * 32).decode()
    assert "-" in urlsafe or "_" in urlsafe
    ring = parse_key_ring(f" {V1} , 3:{urlsafe},{V2},")
    assert ring.newest == 3
    assert ring.versions == [3, 2, 1]


def test_the_ring_never_shows_its_keys():
    ring = parse_key_ring(V1)
    assert KEY_TEXT not in repr(ring)
    assert "ciphers" not in repr(ring)


@pytest.mark.parametrize(
    ("ring", "reason"),
    [
        ("", "is empty"),
        (" , ", "is empty"),
        (KEY_TEXT, "entry 1 has no 'version:' prefix"),
        (f":{KEY_TEXT}", "entry 1 has no key version"),
        (f"{V2},one:{KEY_TEXT}", "entry 2: the key version must be a whole number"),
        (f"1.5:{KEY_TEXT}", "entry 1: the key version must be a whole number"),
        (f"-1:{KEY_TEXT}", "entry 1: the key version must be a whole number"),
        (f"0:{KEY_TEXT}", "entry 1: key versions start at 1"),
        (f"1:{KEY_TEXT},1:{OTHER_KEY_TEXT}", "lists key version 1 more than once"),
        ("1:not base64 at all!", "key version 1: the key is not valid base64"),
        (f"1:{KEY_TEXT[:-4]}", "key version 1: the key is 30 bytes long, not 32"),
        (f"1:{base64.b64encode(b'k' * 48).decode()}", "key version 1: the key is 48 bytes long, not 32"),
    ],
)
def test_a_bad_ring_is_refused_with_the_reason_and_without_key_material(ring, reason):
    with pytest.raises(ImproperlyConfigured) as problem:
        parse_key_ring(ring)
    message = str(problem.value)
    assert message.startswith("LIVC_ENCRYPTION_KEYS ")
    assert reason in message
    for secret in (KEY_TEXT, KEY_TEXT[:12], OTHER_KEY_TEXT[:12], "not base64 at all", "k" * 8, "a2tra2tr"):
        assert secret not in message


def test_a_ring_that_is_not_text_is_refused():
    with pytest.raises(ImproperlyConfigured, match="must be a string, not list"):
        parse_key_ring([V1])


def test_a_bad_ring_in_the_settings_fails_at_first_use():
    with override_settings(LIVC_ENCRYPTION_KEYS="1:c2hvcnQ="), pytest.raises(ImproperlyConfigured):
        encrypt(b"x", AAD)
