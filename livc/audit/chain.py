"""Tamper evidence: every audit entry is a link in a hash chain, one chain per cell.

Each entry stores its position (`chain_seq`), the hash of the previous entry of its cell
(`prev_hash`) and its own hash (`entry_hash`). Entries without a cell (a platform
administrator's login, a key rotation) form a chain of their own, key 0.

What the hash covers. The retention purge must be able to blank an entry's content
(`object_repr`, `changes_text`, `changes`, `serialized_data`, `additional_data`) without
breaking the chain. So the link hash covers every column that is never scrubbed (cell,
position, previous hash, time, action, kind of access or event, object type and id, actor,
client address, correlation id) plus `content_digest`, a hash of the scrubbable content
computed when the entry is written. Verification recomputes the link hash of every entry,
checks that it points at its predecessor, and recomputes the content digest of entries that
were not scrubbed.

The trade-off: for a scrubbed entry (`scrubbed_at` set) the content can no longer be
recomputed, so verification accepts it as long as the content is really blank; an attacker
with write access could thus erase (never alter) the content of an entry and mark it
scrubbed, which the DPO still sees as a scrub, with its time. Everything else about the
entry (who, when, what object) stays covered. A hash chain without a secret key proves
that the log was not edited row by row; a rewrite of the whole chain from some point on
is caught only by comparing with an earlier copy of a head (`ChainHead`), which the DPO
may note down from the console.

Concurrency. Writers of one cell take a row lock on the cell's `ChainHead`
(`select_for_update`) for the rest of their transaction, so two requests never extend the
chain from the same link, and a unique constraint on (cell, position) backs this up.
Keep transactions that write audit entries short: the lock serialises the cell's writers.
Entries are written with `save()`/`create()`, or many at once with `sealed_bulk_insert`
(`livc.audit.events.record_events`); a plain `bulk_create` bypasses the chain, and
verification reports such rows as breaks.
"""

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64
HASH_VERSION = 1
NO_CELL = 0  # chain key of entries without a cell

T = TypeVar("T")


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


def _content_type_key(content_type_id: int) -> str:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


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


def _locked_head(key: int, using: str) -> Any:
    """The chain's head row, locked for the rest of the transaction (created if new)."""
    from livc.audit.models import ChainHead

    heads = ChainHead.objects.using(using).select_for_update()
    head = heads.filter(key=key).first()
    if head is None:
        ChainHead.objects.using(using).bulk_create([ChainHead(key=key)], ignore_conflicts=True)
        head = heads.get(key=key)
    return head


def _seal(entry: Any, seq: int, prev_hash: str) -> None:
    entry.chain_seq = seq
    entry.prev_hash = prev_hash
    entry.content_digest = digest_of(entry)
    entry.entry_hash = hash_of(entry, content_type=_content_type_key(entry.content_type_id))


def sealed_insert(entry: Any, using: str, insert: Callable[[], T]) -> T:
    """Give `entry` the next position in its cell's chain and insert it, under the head's lock."""
    from livc.audit.models import ChainHead

    key = entry.cell_id or NO_CELL
    with transaction.atomic(using=using):
        head = _locked_head(key, using)
        _seal(entry, head.seq + 1, head.entry_hash or GENESIS)
        result = insert()
        ChainHead.objects.using(using).filter(key=key).update(
            seq=entry.chain_seq, entry_hash=entry.entry_hash
        )
    return result


def sealed_bulk_insert(entries: list[Any], using: str) -> None:
    """Seal many new entries into their cells' chains and insert them with one statement per
    chain: each head is locked and moved once, not once per entry.

    For writers of hundreds of entries in one transaction (the retention purge's events):
    moving a head row hundreds of times in one transaction leaves a row version per move that
    every next lock must step over. The entries must be complete (no `pre_save` receiver
    runs: django-auditlog's request context, actor and address, is not applied here).
    """
    from livc.audit.models import ChainHead, LogEntry

    chains: dict[int, list[Any]] = {}
    for entry in entries:
        chains.setdefault(entry.cell_id or NO_CELL, []).append(entry)
    with transaction.atomic(using=using):
        for key in sorted(chains):  # always in the same order: two writers cannot deadlock
            head = _locked_head(key, using)
            seq, prev_hash = head.seq, head.entry_hash or GENESIS
            for entry in chains[key]:
                seq += 1
                _seal(entry, seq, prev_hash)
                prev_hash = entry.entry_hash
            LogEntry.objects.using(using).bulk_create(chains[key])
            ChainHead.objects.using(using).filter(key=key).update(seq=seq, entry_hash=prev_hash)


@dataclass(frozen=True)
class ChainStatus:
    """The outcome of verifying one chain: ok, or the first broken link and why."""

    chain_key: int
    checked: int
    scrubbed: int
    broken_entry_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason

    @property
    def cell_id(self) -> int | None:
        return self.chain_key or None


_VERIFY_FIELDS = (
    "id",
    "cell_id",
    "chain_seq",
    "prev_hash",
    "entry_hash",
    "content_digest",
    "timestamp",
    "action",
    "access_kind",
    "event",
    "content_type_id",
    "object_pk",
    "actor_id",
    "actor_email",
    "remote_addr",
    "remote_port",
    "cid",
    "scrubbed_at",
    "object_repr",
    "changes_text",
    "changes",
    "serialized_data",
    "additional_data",
)


@dataclass
class _Row:
    id: int
    cell_id: int | None
    chain_seq: int | None
    prev_hash: str
    entry_hash: str
    content_digest: str
    timestamp: datetime.datetime
    action: int
    access_kind: str
    event: str
    content_type_id: int
    object_pk: str
    actor_id: int | None
    actor_email: str | None
    remote_addr: str | None
    remote_port: int | None
    cid: str | None
    scrubbed_at: datetime.datetime | None
    object_repr: str
    changes_text: str
    changes: Any
    serialized_data: Any
    additional_data: Any


def _is_blank(row: _Row) -> bool:
    return (
        not row.object_repr
        and not row.changes_text
        and not any((row.changes, row.serialized_data, row.additional_data))
    )


def _check(row: _Row, expected_seq: int, prev_hash: str) -> str:
    """Why this link is broken, or "" if it holds."""
    if row.chain_seq is None:
        return "unsealed"
    if row.chain_seq != expected_seq:
        return "gap"
    if row.prev_hash != prev_hash:
        return "link"
    if hash_of(row, content_type=_content_type_key(row.content_type_id)) != row.entry_hash:
        return "hash"
    if row.scrubbed_at is None:
        if digest_of(row) != row.content_digest:
            return "content"
    elif not _is_blank(row):
        return "scrub"
    return ""


def verify_chain(chain_key: int, *, chunk_size: int = 2000) -> ChainStatus:
    """Walk one chain from its first link; stop at the first broken one."""
    from livc.audit.models import ChainHead, LogEntry

    entries = LogEntry.objects.filter(**({"cell_id": chain_key} if chain_key else {"cell__isnull": True}))
    unsealed = entries.filter(chain_seq__isnull=True).order_by("id").values_list("id", flat=True).first()
    if unsealed is not None:
        return ChainStatus(chain_key, 0, 0, unsealed, "unsealed")
    checked = scrubbed = 0
    prev_hash, seq = GENESIS, 0
    rows = entries.order_by("chain_seq").values_list(*_VERIFY_FIELDS).iterator(chunk_size=chunk_size)
    for values in rows:
        row = _Row(*values)
        reason = _check(row, seq + 1, prev_hash)
        if reason:
            return ChainStatus(chain_key, checked, scrubbed, row.id, reason)
        checked += 1
        scrubbed += row.scrubbed_at is not None
        prev_hash, seq = row.entry_hash, row.chain_seq or 0
    head = ChainHead.objects.filter(key=chain_key).first()
    if head is not None and (head.seq, head.entry_hash or GENESIS) != (seq, prev_hash):
        return ChainStatus(chain_key, checked, scrubbed, None, "tail")
    return ChainStatus(chain_key, checked, scrubbed)


def chain_keys(cell_ids: Iterable[int] | None = None) -> Iterator[int]:
    """Every chain there is (or those of the given cells), the chain without a cell first."""
    from livc.audit.models import ChainHead, LogEntry

    if cell_ids is not None:
        yield from cell_ids
        return
    keys = set(ChainHead.objects.values_list("key", flat=True))
    keys |= {key or NO_CELL for key in LogEntry.objects.values_list("cell_id", flat=True).distinct()}
    yield from sorted(keys)


REASONS = {
    "unsealed": _("the entry is not part of the chain (written around it)"),
    "gap": _("an entry before it is missing (deleted)"),
    "link": _("it does not point at the entry before it"),
    "hash": _("its recorded fields were changed"),
    "content": _("its content was changed"),
    "scrub": _("it is marked as scrubbed but its content is not blank"),
    "tail": _("entries at the end of the chain are missing (deleted)"),
}


def seal_unsealed(entry_model: Any, head_model: Any) -> int:
    """Append entries that have no chain position yet to their chains, oldest first.

    For the migration that introduced the chain (with the historical models it is given),
    before the append-only trigger exists.
    """
    sealed = 0
    unsealed = entry_model.objects.filter(chain_seq__isnull=True)
    for cell_id in unsealed.values_list("cell_id", flat=True).distinct():
        key = cell_id or NO_CELL
        head, _ = head_model.objects.get_or_create(key=key)
        chain = unsealed.filter(**({"cell_id": cell_id} if cell_id else {"cell__isnull": True}))
        for entry in chain.order_by("timestamp", "id").iterator(chunk_size=2000):
            entry.chain_seq = head.seq + 1
            entry.prev_hash = head.entry_hash or GENESIS
            entry.content_digest = digest_of(entry)
            entry.entry_hash = hash_of(entry, content_type=_content_type_key(entry.content_type_id))
            entry_model.objects.filter(pk=entry.pk).update(
                chain_seq=entry.chain_seq,
                prev_hash=entry.prev_hash,
                content_digest=entry.content_digest,
                entry_hash=entry.entry_hash,
            )
            head.seq, head.entry_hash = entry.chain_seq, entry.entry_hash
            sealed += 1
        head.save()
    return sealed
