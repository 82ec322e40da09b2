"""The pure part of the audit chain: what each link's hash and content digest are made of.

No model and no database here: the store that seals entries and verifies chains is
`livc.audit.chain` (and `LogEntry._do_insert` for single entries). A link hash covers every
column that is never scrubbed, the object type as its label (`app_label.model`: moving a
model between apps changes it, so existing chains would stop verifying), and the digest of
the scrubbable content taken when the entry was written.
"""

import datetime
import hashlib
import ipaddress
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64
HASH_VERSION = 1
NO_CELL = 0  # chain key of entries without a cell


def canonical_json(value: Any) -> str:
    """JSON that reads the same after a round trip through the database (sorted keys)."""
    normalised = json.loads(json.dumps(value, cls=DjangoJSONEncoder)) if value is not None else None
    return json.dumps(normalised, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_digest(
    *, object_repr: str, changes_text: str, changes: Any, serialized_data: Any, additional_data: Any
) -> str:
    material = canonical_json(
        [object_repr or "", changes_text or "", changes, serialized_data, additional_data]
    )
    return hashlib.sha256(material.encode()).hexdigest()


def _timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _address(value: str | None) -> str:
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
    timestamp: datetime.datetime,
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
