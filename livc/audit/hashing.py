"""The pure part of the audit chain: what each link's hash and content digest are made of.

No model and no database here: the store that seals entries and verifies chains is
`livc.audit.chain` (an entry's content digest is taken as it is inserted, `LogEntry._do_insert`;
its link hash when the sealer gives it its place, `livc.audit.chain.seal_pending`). A link hash covers every
column that is never scrubbed, the object type as its label (`app_label.model`: moving a
model between apps changes it, so existing chains would stop verifying), and the digest of
the scrubbable content taken when the entry was written.
"""

import datetime
import functools
import hashlib
import ipaddress
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64
HASH_VERSION = 1
NO_CELL = 0  # chain key of entries without a cell


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> bool:
    """Whether `value` is what a JSON column reads back as: dicts with string keys, lists, strings,
    numbers, booleans and None, nothing else (no tuple, no subclass, no date, no lazy string)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _SCALARS:
            continue
        if kind is dict:
            if not all(type(key) is str for key in item):
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        else:
            return False
    return True


def canonical_json(value: Any, *, decoded: bool = False) -> str:
    """JSON that reads the same after a round trip through the database (sorted keys).

    A plain value (what a JSON column reads back as, hence every value verification meets) is
    dumped directly; anything else (dates, decimals, tuples, keys that are not strings ...) goes
    through the round trip first, as the value stored in the column did. Both give the same text
    for a plain value (`tests/audit/test_hashing.py`). `decoded`: the value was just decoded from
    JSON text (`json.loads` gives plain values only), so the check is skipped."""
    if not decoded and not _plain(value):
        return _round_trip_json(value)
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return _round_trip_json(value)


def _round_trip_json(value: Any) -> str:
    """The reference form: encode as the JSON column does, decode, then dump canonically."""
    normalised = json.loads(json.dumps(value, cls=DjangoJSONEncoder)) if value is not None else None
    return json.dumps(normalised, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_digest(
    *,
    object_repr: str,
    changes_text: str,
    changes: Any,
    serialized_data: Any,
    additional_data: Any,
    decoded: bool = False,
) -> str:
    """The digest of an entry's scrubbable content; `decoded`: the JSON values were just read back
    from their columns (verification), see `canonical_json`."""
    material = canonical_json(
        [object_repr or "", changes_text or "", changes, serialized_data, additional_data], decoded=decoded
    )
    return hashlib.sha256(material.encode()).hexdigest()


def _timestamp(value: datetime.datetime | str) -> str:
    """The time in UTC to the microsecond; a string is taken as already in that form (PostgreSQL
    can write it so, `livc.audit.chain.UTC_TIMESTAMP_SQL`: verification reads it that way)."""
    if isinstance(value, str):
        return value
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


@functools.lru_cache(maxsize=4096)
def _address(value: str | None) -> str:
    """The client address in its normal form; memoised, as a chain holds few distinct addresses."""
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return str(value)


def link_hash(
    *,
    chain_key: int,
    seq: int,
    prev_hash: str,
    timestamp: datetime.datetime | str,
    action: int,
    access_kind: str,
    event: str,
    content_type: str,
    object_pk: str,
    actor_id: int | None,
    actor_email: str | None,
    remote_addr: str | None,
    remote_port: int | None,
    cid: str | None,
    content_digest: str,
) -> str:
    """The hash of one link: the never-scrubbed columns, the content digest, the previous hash."""
    material = json.dumps(  # plain values only: the same text as canonical_json, without its round trip
        [
            HASH_VERSION,
            chain_key,
            seq,
            prev_hash,
            _timestamp(timestamp),
            action,
            access_kind or "",
            event or "",
            content_type,
            str(object_pk),
            actor_id,
            actor_email or "",
            _address(remote_addr),
            remote_port,
            cid or "",
            content_digest,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def digest_of(entry: Any) -> str:
    return content_digest(
        object_repr=entry.object_repr,
        changes_text=entry.changes_text,
        changes=entry.changes,
        serialized_data=entry.serialized_data,
        additional_data=entry.additional_data,
    )


def hash_of(entry: Any, *, content_type: str) -> str:
    return link_hash(
        chain_key=entry.cell_id or NO_CELL,
        seq=entry.chain_seq,
        prev_hash=entry.prev_hash,
        timestamp=entry.timestamp,
        action=entry.action,
        access_kind=entry.access_kind,
        event=entry.event,
        content_type=content_type,
        object_pk=entry.object_pk,
        actor_id=entry.actor_id,
        actor_email=entry.actor_email,
        remote_addr=entry.remote_addr,
        remote_port=entry.remote_port,
        cid=entry.cid,
        content_digest=entry.content_digest,
    )


def checkpoint_seal(
    *, chain_key: int, seq: int, entry_hash: str, verified_at: datetime.datetime, previous_seal: str
) -> str:
    """The seal of a checkpoint: chain, position, the entry's hash, when, the previous seal."""
    material = json.dumps(
        [HASH_VERSION, "checkpoint", chain_key, seq, entry_hash, _timestamp(verified_at), previous_seal],
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode()).hexdigest()
