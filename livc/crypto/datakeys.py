"""Envelope encryption: a random data key per owner, wrapped by the key ring (docs/adr/0010).

A model whose rows belong to a person, an item or a document says whose key encrypts them:

    class InformationItem(models.Model):
        encryption_owner = "pk"              # its own key: withdrawing it destroys the key
    class Relation(models.Model):
        encryption_owner = "pk"              # its own key: removing it destroys the key
    class Case(models.Model):
        encryption_owner = "subject"         # the person's key, shared with the referral
    class Addendum(models.Model):
        encryption_owner = "item__case__subject"

The path is an ORM lookup from the row to the owning row (a foreign key chain, or "pk" for the
row itself); a path that meets NULL (an agenda item about no case) means no owner, and the value
is sealed with the ring directly, as is every value of a model that declares no owner.

A value sealed with a data key is the token `k1.<key id, 32 hex>.<base64 of nonce + ciphertext
+ tag>`, with the same associated data as any encrypted value (model, field, row): the key is
named, never held, by the token. The keys live in the `keys` database (`DataKey`), each wrapped
with the ring's newest key; destroying a key (`destroy_keys`) makes every copy of what it
sealed unreadable, including last year's backup of the main database.

A process unwraps a key once per request or task (`KeyCache`, emptied when each request or task
starts and ends): never in the cache, a log or a task's arguments. The keys a request will need
are fetched together: every data-key token read from the database notes its key id, and the
first value decrypted fetches all noted keys in one query.
"""

import base64
import binascii
import datetime
import os
import threading
import uuid
from collections.abc import Iterable
from typing import Any, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import models
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from livc.crypto.keyring import (
    KEY_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    DecryptionError,
    decrypt,
    encrypt,
    newest_key_version,
    token_key_version,
)

TOKEN_PREFIX = "k1."  # noqa: S105  a value sealed with a data key, not a secret
_ID_END = len(TOKEN_PREFIX) + 32  # the key id: 32 hex digits after the prefix
CACHE_LIMIT = 4096  # unwrapped keys kept per request or task before the cache starts over
FETCH_CHUNK = 500


class KeyDestroyedError(DecryptionError):
    """The value's data key was destroyed: what it sealed is gone for good, by design."""

    def __init__(self, message: str, *, destroyed_at: datetime.datetime | None, because: str) -> None:
        super().__init__(message)
        self.destroyed_at = destroyed_at
        self.because = because


# --- Owners ------------------------------------------------------------------------------------


def owner_path(model: type[models.Model]) -> str | None:
    return getattr(model, "encryption_owner", None)


def owner_model(model: type[models.Model]) -> type[models.Model] | None:
    """The model whose rows own the keys of `model`'s values (None: sealed with the ring)."""
    path = owner_path(model)
    if path is None:
        return None
    if path == "pk":
        return model
    current: Any = model
    for part in path.split("__"):
        current = current._meta.get_field(part).related_model
    return cast(type[models.Model], current)


def owner_name(model: type[models.Model], pk: Any) -> str:
    """How the key store names an owning row: "<app_label>.<model_name>:<primary key>"."""
    return f"{model._meta.label_lower}:{pk}"


def owner_of(instance: models.Model) -> str | None:
    """The owner whose key seals `instance`'s values, or None (the ring seals them)."""
    model = type(instance)
    path = owner_path(model)
    if path is None:
        return None
    if path == "pk":
        return owner_name(model, instance.pk)
    current: Any = instance
    current_model: Any = model
    parts = path.split("__")
    for position, part in enumerate(parts):
        field = current_model._meta.get_field(part)
        if position == len(parts) - 1:
            pk = getattr(current, field.attname)
            return None if pk is None else owner_name(field.related_model, pk)
        current = getattr(current, part)
        if current is None:
            return None
        current_model = field.related_model
    return None  # pragma: no cover  (an empty path is refused by the check)


# --- The cache of unwrapped keys ------------------------------------------------------------------


class KeyCache(threading.local):
    """Keys unwrapped during the current request or task, and the ids of keys it will need."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.ciphers: dict[str, AESGCM] = {}
        self.by_owner: dict[str, tuple[str, AESGCM]] = {}
        self.destroyed: dict[str, tuple[datetime.datetime | None, str]] = {}
        self.pending: set[str] = set()

    def keep(self, key_id: str, cipher: AESGCM, owner: str | None = None) -> None:
        if len(self.ciphers) >= CACHE_LIMIT:
            self.clear()
        self.ciphers[key_id] = cipher
        if owner is not None:
            self.by_owner[owner] = (key_id, cipher)


keys = KeyCache()


def forget_keys(**kwargs: Any) -> None:
    """Connected to the start and end of every request and task (`livc.crypto.apps`)."""
    keys.clear()


def note_token(token: str) -> None:
    """Called for every encrypted value read from the database: a data-key token's key will be
    fetched with the others when the first value is decrypted."""
    if token.startswith(TOKEN_PREFIX):
        key_id = token[len(TOKEN_PREFIX) : _ID_END]
        if key_id not in keys.ciphers:
            if len(keys.pending) >= FETCH_CHUNK:  # a long walk that reads tokens without opening them
                keys.pending.clear()
            keys.pending.add(key_id)


# --- Wrapping --------------------------------------------------------------------------------------


def _wrapping_aad(key_id: str, owner: str) -> bytes:
    return f"livc.crypto.datakey.{key_id}.{owner}".encode()


@sensitive_variables()
def _wrap(raw: bytes, key_id: str, owner: str) -> str:
    return encrypt(raw, _wrapping_aad(key_id, owner))


@sensitive_variables()
def _unwrap(row: Any) -> AESGCM:
    key_id = row.pk.hex
    raw = decrypt(row.wrapped, _wrapping_aad(key_id, row.owner), context=f"data key {key_id}")
    return AESGCM(raw)


def _new_key(owner: str) -> tuple[Any, AESGCM]:
    from livc.crypto.models import DataKey

    raw = os.urandom(KEY_BYTES)
    key_id = uuid.uuid4()
    row = DataKey(id=key_id, owner=owner, wrapped=_wrap(raw, key_id.hex, owner))
    return row, AESGCM(raw)


def key_for_owner(owner: str) -> tuple[str, AESGCM]:
    """The owner's live data key (made on first use): its id and its cipher."""
    from livc.crypto.models import DataKey

    found = keys.by_owner.get(owner)
    if found is not None:
        return found
    row = DataKey.objects.filter(owner=owner, destroyed_at__isnull=True).order_by("-created_at").first()
    if row is None:
        return new_key(owner)
    cipher = _unwrap(row)
    keys.keep(row.pk.hex, cipher, owner)
    return row.pk.hex, cipher


def new_key(owner: str) -> tuple[str, AESGCM]:
    """A new data key for the owner, which seals its values from now on (any older live key
    still opens what it sealed): its id and its cipher. Made outside the caller's transaction
    (another database): a key whose owner's row is rolled back stays behind, sealing nothing."""
    row, cipher = _new_key(owner)
    row.save(force_insert=True)
    keys.keep(row.pk.hex, cipher, owner)
    return row.pk.hex, cipher


def make_keys(owners: Iterable[str]) -> int:
    """Give each of these new owners (rows about to be made, in bulk seeding) a key now, in one
    insert; the number made. An owner that has a key already gets a second one: both work, the
    newest seals, and `destroy_keys` destroys both."""
    from livc.crypto.models import DataKey

    made = []
    for owner in dict.fromkeys(owners):
        if owner in keys.by_owner:
            continue
        row, cipher = _new_key(owner)
        made.append(row)
        keys.keep(row.pk.hex, cipher, owner)
    DataKey.objects.bulk_create(made, batch_size=FETCH_CHUNK)
    return len(made)


def _fetch(key_ids: set[str]) -> None:
    from livc.crypto.models import DataKey

    wanted = sorted(key_ids)
    for start in range(0, len(wanted), FETCH_CHUNK):
        chunk = [uuid.UUID(hex=key_id) for key_id in wanted[start : start + FETCH_CHUNK]]
        for row in DataKey.objects.filter(pk__in=chunk):
            if row.wrapped is None:
                keys.destroyed[row.pk.hex] = (row.destroyed_at, row.destroyed_because)
            else:
                keys.keep(row.pk.hex, _unwrap(row))
    keys.pending.clear()


def cipher_for(key_id: str, *, context: str = "") -> AESGCM:
    """The cipher of a data key, unwrapped once per request or task."""
    cipher = keys.ciphers.get(key_id)
    if cipher is not None:
        return cipher
    if key_id not in keys.destroyed:
        _fetch({key_id} | keys.pending)
    cipher = keys.ciphers.get(key_id)
    if cipher is not None:
        return cipher
    where = f" {context}" if context else ""
    if key_id in keys.destroyed:
        destroyed_at, because = keys.destroyed[key_id]
        raise KeyDestroyedError(
            f"Cannot decrypt{where}: its data key was destroyed"
            f"{f' on {destroyed_at:%Y-%m-%d}' if destroyed_at else ''} ({because}).",
            destroyed_at=destroyed_at,
            because=because,
        )
    raise DecryptionError(
        f"Cannot decrypt{where}: its data key {key_id} is not in the key store (the `keys` database). "
        "Was the key store restored from a backup older than this value?"
    )


# --- Values -----------------------------------------------------------------------------------------


@sensitive_variables()
def seal(plaintext: bytes, aad: bytes, owner: str) -> str:
    """`plaintext` sealed with the owner's data key and a fresh nonce."""
    key_id, cipher = key_for_owner(owner)
    nonce = os.urandom(NONCE_BYTES)
    body = base64.urlsafe_b64encode(nonce + cipher.encrypt(nonce, plaintext, aad)).decode("ascii")
    return f"{TOKEN_PREFIX}{key_id}.{body}"


def token_key_id(token: str) -> str | None:
    """The data key a token names, or None for a value sealed with the ring."""
    if token.startswith(TOKEN_PREFIX) and len(token) > _ID_END and token[_ID_END] == ".":
        return token[len(TOKEN_PREFIX) : _ID_END]
    return None


@sensitive_variables()
def open_token(token: str, aad: bytes, *, context: str = "") -> bytes:
    """Open a data-key token sealed with the same `aad`."""
    key_id = token_key_id(token)
    where = f" {context}" if context else ""
    if key_id is None:
        raise DecryptionError(f"Cannot decrypt{where}: the stored value is not an encrypted token.")
    cipher = cipher_for(key_id, context=context)
    try:
        raw = base64.b64decode(token[_ID_END + 1 :], altchars=b"-_", validate=True)
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise ValueError("too short")
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionError(
            f"Cannot decrypt{where} with data key {key_id}: the value was altered, or copied from "
            "another row or field."
        ) from None


# --- Destroying and re-wrapping ----------------------------------------------------------------------


def destroy_keys(owners: Iterable[str], *, because: str, when: datetime.datetime | None = None) -> list[str]:
    """Destroy every key of these owners: what they sealed, here and in every backup, is gone.
    The owners that had a live key (an owner may have none: nothing of it was ever sealed)."""
    from livc.crypto.models import DataKey

    wanted = sorted(set(owners))
    when = when or timezone.now()  # one moment for every chunk
    destroyed: list[str] = []
    for start in range(0, len(wanted), FETCH_CHUNK):
        live = DataKey.objects.filter(owner__in=wanted[start : start + FETCH_CHUNK])
        destroyed += _destroy(live, because=because, when=when)
    return destroyed


def destroy_key_ids(key_ids: Iterable[str], *, because: str, when: datetime.datetime | None = None) -> None:
    """Destroy these keys (by id) and no other of their owners' (a rotation's old keys)."""
    from livc.crypto.models import DataKey

    _destroy(
        DataKey.objects.filter(pk__in=[uuid.UUID(hex=key_id) for key_id in key_ids]),
        because=because,
        when=when,
    )


def _destroy(rows: Any, *, because: str, when: datetime.datetime | None) -> list[str]:
    """Destroy the live keys among `rows`; the owners that had one."""
    live = rows.filter(destroyed_at__isnull=True)
    owners = list(live.values_list("owner", flat=True).distinct())
    live.update(wrapped=None, destroyed_at=when or timezone.now(), destroyed_because=because)
    keys.clear()  # nothing this process unwrapped may outlive its destruction
    return owners


def rewrap_keys(*, batch_size: int = 1000, dry_run: bool = False) -> tuple[int, int]:
    """Wrap every live data key still wrapped with an older ring version with the newest one.
    Work is one small row per key, whatever the number of values it seals. Returns (keys
    looked at, keys re-wrapped); a key that does not unwrap raises `DecryptionError`."""
    from livc.crypto.models import DataKey

    newest = newest_key_version()
    seen = rewrapped = 0
    last = None
    while True:
        rows = DataKey.objects.filter(destroyed_at__isnull=True).order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows[:batch_size])
        changed = []
        for row in batch:
            assert row.wrapped is not None  # a live key is wrapped (a check constraint says so)
            if token_key_version(row.wrapped) == newest:
                continue
            raw = decrypt(row.wrapped, _wrapping_aad(row.pk.hex, row.owner), context=f"data key {row.pk.hex}")
            row.wrapped = _wrap(raw, row.pk.hex, row.owner)
            changed.append(row)
        if changed and not dry_run:
            DataKey.objects.bulk_update(changed, ["wrapped"], batch_size=batch_size)
        seen, rewrapped = seen + len(batch), rewrapped + len(changed)
        if len(batch) < batch_size:
            return seen, rewrapped
        last = batch[-1].pk
