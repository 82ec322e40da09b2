"""Tamper evidence: every audit entry is a link in a hash chain, one chain per cell. This
module is the store: it seals many entries at once and verifies chains; what a hash is made of
is `livc.audit.hashing`, and a single entry seals itself as it is inserted (`LogEntry`).

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from livc.audit.hashing import GENESIS, NO_CELL, digest_of, hash_of
from livc.audit.models import ChainHead, LogEntry, content_type_key


def sealed_bulk_insert(entries: list[Any], using: str) -> None:
    """Seal many new entries into their cells' chains and insert them with one statement per
    chain: each head is locked and moved once, not once per entry.

    For writers of hundreds of entries in one transaction (the retention purge's events):
    moving a head row hundreds of times in one transaction leaves a row version per move that
    every next lock must step over. The entries must be complete (no `pre_save` receiver
    runs: django-auditlog's request context, actor and address, is not applied here).
    """
    chains: dict[int, list[Any]] = {}
    for entry in entries:
        chains.setdefault(entry.cell_id or NO_CELL, []).append(entry)
    with transaction.atomic(using=using):
        for key in sorted(chains):  # always in the same order: two writers cannot deadlock
            head = ChainHead.locked(key, using)
            seq, prev_hash = head.seq, head.entry_hash or GENESIS
            for entry in chains[key]:
                seq += 1
                entry.seal(seq, prev_hash)
                prev_hash = entry.entry_hash
            LogEntry.objects.using(using).bulk_create(chains[key])
            ChainHead.advance(key, using, seq=seq, entry_hash=prev_hash)


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
    if hash_of(row, content_type=content_type_key(row.content_type_id)) != row.entry_hash:
        return "hash"
    if row.scrubbed_at is None:
        if digest_of(row) != row.content_digest:
            return "content"
    elif not _is_blank(row):
        return "scrub"
    return ""


def verify_chain(chain_key: int, *, chunk_size: int = 2000) -> ChainStatus:
    """Walk one chain from its first link; stop at the first broken one."""
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
