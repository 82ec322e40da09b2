"""Tamper evidence: every audit entry is a link in a hash chain, one chain per cell. This
module is the store: it seals entries into their chains, verifies chains and keeps their
checkpoints; what a hash is made of is `livc.audit.hashing`.

Each sealed entry stores its position (`chain_seq`), the hash of the previous entry of its cell
(`prev_hash`) and its own hash (`entry_hash`). Entries without a cell (a platform
administrator's login, a key rotation) form a chain of their own, key 0.

What the hash covers. The retention purge must be able to blank an entry's content
(`object_repr`, `changes_text`, `changes`, `serialized_data`, `additional_data`) without
breaking the chain. So the link hash covers every column that is never scrubbed (cell,
position, previous hash, time, action, kind of access or event, object type and id, actor,
client address, correlation id) plus `content_digest`, a hash of the scrubbable content
computed when the entry is inserted. Verification recomputes the link hash of every entry,
checks that it points at its predecessor, and recomputes the content digest of entries that
were not scrubbed.

The trade-off: for a scrubbed entry (`scrubbed_at` set) the content can no longer be
recomputed, so verification accepts it as long as the content is really blank; an attacker
with write access could thus erase (never alter) the content of an entry and mark it
scrubbed, which the DPO still sees as a scrub, with its time. Everything else about the
entry (who, when, what object) stays covered. A hash chain without a secret key proves
that the log was not edited row by row; a rewrite of the whole chain from some point on
is caught only by comparing with an earlier copy of a head (`ChainHead`) or checkpoint.

Deferred sealing (ADR 8). A request never waits for its cell's other writers: an entry is
inserted unsealed (`chain_seq` NULL, no hashes) but with its content digest, without any lock
(`LogEntry._do_insert`; many at once: `insert_entries`). The sealer (`seal_pending`, run for
every chain by the `seal_audit_chains` beat task every few seconds) locks the cell's
`ChainHead`, gives the waiting entries, in id order, the next positions and their hashes, and
moves the head, in one short transaction per chunk: the chain order is the sealing order, so a
chain never has a gap or two entries at one position (a unique constraint on (cell, position)
backs this up). On PostgreSQL the append-only trigger lets exactly this update through: once,
from no position to one, changing nothing but position and hashes. Until it is sealed an
entry is "pending", not a break; one pending longer than `LIVC_AUDIT_SEAL_MAX_AGE_SECONDS`
means the sealer is not running (the DPO's overview says so, `/health/ready/` fails). A plain
`bulk_create` bypasses the digest: its rows are sealed like the others, and verification then
reports their content as changed.

Verification and checkpoints. `verify_chain` walks a chain from its first link and stops at
the first broken one. It is linear in the chain's length, so nothing walks it on a request:
`extend_verification` starts from the chain's last checkpoint (`ChainCheckpoint`: a position,
the hash of the entry there, when, and a seal linking it to the checkpoint before, so that the
checkpoints form a sealed chain of their own), checks that the entry there still has that hash,
walks only the entries after it, and writes a new checkpoint when they hold. A full
verification (`verify_full`: the DPO's "full verification" task and `verify_audit_chain`)
seals what is pending, walks from the first link, and also checks every checkpoint against the
entry at its position and against the seal of the checkpoint before it. Each run that checked
something or found a break is recorded (`ChainVerification`) for the DPO's overview.
"""

import datetime
import json
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livc.audit.hashing import GENESIS, NO_CELL, content_digest, link_hash
from livc.audit.models import (
    ChainCheckpoint,
    ChainHead,
    ChainVerification,
    LogEntry,
    VerificationKind,
    content_type_key,
)
from livc.database.tenancy import cell_scope

SEAL_CHUNK = 1000  # entries sealed per transaction (the head stays locked that long)
EXTEND_LIMIT = 200_000  # entries an incremental run of the beat task walks per chain at most


# --- Writing and sealing ---------------------------------------------------------------------


def insert_entries(entries: list[Any], using: str) -> None:
    """Insert many new entries, unsealed, in one statement: the sealer gives them their places.

    For writers of hundreds of entries in one transaction (the retention purge's events). The
    entries must be complete (no `pre_save` receiver runs: django-auditlog's request context,
    actor and address, is not applied here); each gets its content digest now.
    """
    for entry in entries:
        entry.unsealed()
    LogEntry.objects.using(using).bulk_create(entries)
    seal_after_commit({entry.cell_id or NO_CELL for entry in entries}, using)


def seal_after_commit(chain_keys: set[int], using: str = DEFAULT_DB_ALIAS) -> None:
    """Where no beat task seals (`LIVC_AUDIT_SEAL_AFTER_COMMIT`: no broker, the embedded default),
    seal these chains once the writing transaction has committed, skipping a chain another sealer
    holds. Single entries come here through `receivers.seal_new_entry`."""
    if not settings.LIVC_AUDIT_SEAL_AFTER_COMMIT:
        return
    for key in sorted(chain_keys):
        transaction.on_commit(partial(seal_pending, key, using=using, wait=False), using=using)


def _of_chain(chain_key: int, using: str = DEFAULT_DB_ALIAS) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.using(using)
    return entries.filter(cell_id=chain_key) if chain_key else entries.filter(cell__isnull=True)


def _unsealed(chain_key: int, using: str = DEFAULT_DB_ALIAS) -> QuerySet[LogEntry]:
    return _of_chain(chain_key, using).filter(chain_seq__isnull=True)


_LINK_FIELDS = (
    "id",
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
    "content_digest",
)


def seal_pending(
    chain_key: int, *, using: str = DEFAULT_DB_ALIAS, wait: bool = True, limit: int | None = None
) -> int:
    """Seal the chain's waiting entries, in id order, chunk by chunk; returns how many.

    Each chunk is one transaction: lock the head, read the next waiting entries, give each the
    next position, the previous link's hash and its own hash (one UPDATE), move the head. With
    `wait=False` a chain whose head another transaction holds is left for the next run (that
    transaction is a sealer, or a full verification that seals first). `limit` bounds the work.
    """
    sealed = 0
    while limit is None or sealed < limit:
        size = SEAL_CHUNK if limit is None else min(SEAL_CHUNK, limit - sealed)
        with _chain_scope(chain_key, using):
            head = ChainHead.locked(chain_key, using, skip_locked=not wait)
            if head is None:
                break
            rows = list(_unsealed(chain_key, using).order_by("id").values_list(*_LINK_FIELDS)[:size])
            if not rows:
                break
            seq, prev_hash = head.seq, head.entry_hash or GENESIS
            labels: dict[int, str] = {}
            links = []
            for row in rows:
                seq += 1
                entry_hash = _link_hash(chain_key, seq, prev_hash, row, labels)
                links.append(LogEntry(id=row[0], chain_seq=seq, prev_hash=prev_hash, entry_hash=entry_hash))
                prev_hash = entry_hash
            updated = _seal_rows(chain_key, links, using)
            if updated != len(links):  # cannot happen under the head lock; never seal half a chunk
                raise RuntimeError(f"Audit chain {chain_key}: {updated} of {len(links)} entries sealed.")
            ChainHead.advance(chain_key, using, seq=seq, entry_hash=prev_hash)
        sealed += len(rows)
        if len(rows) < size:
            break
    return sealed


def _chain_scope(chain_key: int, using: str) -> Any:
    """The transaction of one sealing step: in the chain's cell (row-level security, docs/adr/0011)."""
    if using != DEFAULT_DB_ALIAS:
        return transaction.atomic(using=using)
    return cell_scope(chain_key or None)


def _seal_rows(chain_key: int, links: list[LogEntry], using: str) -> int:
    """Give these unsealed entries their positions and hashes; returns how many rows changed.

    On PostgreSQL one UPDATE ... FROM unnest(...), in `livc_audit_seal` (livc/database/setup.py);
    elsewhere `bulk_update`, whose CASE per column costs a comparison per row and entry (a
    thousand entries sealed 20 times slower)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return _unsealed(chain_key, using).bulk_update(links, ["chain_seq", "prev_hash", "entry_hash"])
    with connection.cursor() as cursor:  # as the owner: the application's role may not UPDATE the log
        cursor.execute(
            "SELECT livc_audit_seal(%s::bigint[], %s::bigint[], %s::text[], %s::text[])",
            [
                [link.pk for link in links],
                [link.chain_seq for link in links],
                [link.prev_hash for link in links],
                [link.entry_hash for link in links],
            ],
        )
        return int(cursor.fetchone()[0])


def seal_all_pending(*, using: str = DEFAULT_DB_ALIAS, wait: bool = False) -> int:
    """Seal the waiting entries of every chain (the `seal_audit_chains` beat task)."""
    keys = (
        LogEntry.objects.using(using)
        .filter(chain_seq__isnull=True)
        .values_list("cell_id", flat=True)
        .distinct()
    )
    return sum(
        seal_pending(key or NO_CELL, using=using, wait=wait) for key in sorted(keys, key=lambda k: k or 0)
    )


def _link_hash(chain_key: int, seq: int, prev_hash: str, row: tuple[Any, ...], labels: dict[int, str]) -> str:
    """The link hash of one row (the columns of `_LINK_FIELDS`) at position `seq`: the sealer's and
    the verifier's one way to compute it; `labels` caches the object types' labels across rows."""
    (_id, timestamp, action, access_kind, event, content_type_id, object_pk, actor_id, actor_email,
     remote_addr, remote_port, cid, digest) = row  # fmt: skip
    label = labels.get(content_type_id)
    if label is None:
        label = labels[content_type_id] = content_type_key(content_type_id)
    return link_hash(
        chain_key=chain_key,
        seq=seq,
        prev_hash=prev_hash,
        timestamp=timestamp,
        action=action,
        access_kind=access_kind,
        event=event,
        content_type=label,
        object_pk=object_pk,
        actor_id=actor_id,
        actor_email=actor_email,
        remote_addr=remote_addr,
        remote_port=remote_port,
        cid=cid,
        content_digest=digest,
    )


@dataclass(frozen=True)
class SealingStatus:
    pending: int  # entries waiting for the sealer
    oldest: datetime.datetime | None  # the time of the oldest of them

    def late(self, now: datetime.datetime | None = None) -> bool:
        """Whether an entry has waited longer than the sealer ever should."""
        if self.oldest is None:
            return False
        limit = datetime.timedelta(seconds=settings.LIVC_AUDIT_SEAL_MAX_AGE_SECONDS)
        return (now or timezone.now()) - self.oldest > limit


def sealing_status(chain_key: int | None = None) -> SealingStatus:
    """The entries waiting to be sealed, of one chain or of all (read from the partial index).

    All chains' backlog on PostgreSQL comes from `livc_audit_unsealed`, which sees every cell's
    entries: the health check asks it from a request that is in no cell."""
    if chain_key is None and connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pending, oldest FROM livc_audit_unsealed()")
            pending, oldest = cursor.fetchone()
        return SealingStatus(pending=pending, oldest=oldest)
    waiting = LogEntry.objects.filter(chain_seq__isnull=True) if chain_key is None else _unsealed(chain_key)
    summary = waiting.aggregate(pending=Count("id"), oldest=Min("timestamp"))
    return SealingStatus(pending=summary["pending"], oldest=summary["oldest"])


# --- Verifying -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainStatus:
    """The outcome of verifying (part of) one chain: ok, or the first broken link and why."""

    chain_key: int
    checked: int
    scrubbed: int
    broken_entry_id: int | None = None
    reason: str = ""
    pending: int = 0  # entries not sealed yet: not a break
    up_to_seq: int = 0  # the last position found intact
    up_to_hash: str = GENESIS
    remaining: int = 0  # sealed entries after `up_to_seq` left for a next run (a bounded run)
    broken_checkpoint_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.reason

    @property
    def cell_id(self) -> int | None:
        return self.chain_key or None


# What the verifier reads of each entry: its place in the chain, the link's own columns (the
# sealer's `_LINK_FIELDS`, in the same order, so that one slice is the link), then the content.
_PLACE_FIELDS = ("chain_seq", "prev_hash", "entry_hash")
_CONTENT_FIELDS = (
    "scrubbed_at", "object_repr", "changes_text", "changes", "serialized_data", "additional_data",
)  # fmt: skip
_VERIFY_FIELDS = (*_PLACE_FIELDS, *_LINK_FIELDS, *_CONTENT_FIELDS)
_LINK = slice(len(_PLACE_FIELDS), len(_PLACE_FIELDS) + len(_LINK_FIELDS))


# The entry's time as `hashing.link_hash` writes it (`datetime.isoformat` in UTC to the microsecond),
# written by PostgreSQL: parsing it into a datetime and formatting it again costs a tenth of a walk.
UTC_TIMESTAMP_SQL = """to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
_JSON_FIELDS = ("changes", "serialized_data", "additional_data")


def _rows(chain_key: int, *, after_seq: int, up_to: int, chunk_size: int) -> Generator[tuple[Any, ...]]:
    """The chain's entries after `after_seq` up to `up_to`, in chain order, as `_VERIFY_FIELDS`.

    On PostgreSQL a server-side cursor read without the ORM's per-value converters (a third of
    the time of a walk); the JSON columns arrive as text and are decoded here, as the ORM does.
    """
    if connection.vendor != "postgresql":
        yield from (
            _of_chain(chain_key)
            .filter(chain_seq__gt=after_seq, chain_seq__lte=up_to)
            .order_by("chain_seq")
            .values_list(*_VERIFY_FIELDS)
            .iterator(chunk_size=chunk_size)
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(
        UTC_TIMESTAMP_SQL.format(column=quote("timestamp"))
        if name == "timestamp"
        else quote(LogEntry._meta.get_field(name.removesuffix("_id")).column)
        for name in _VERIFY_FIELDS
    )
    where = f"{quote('cell_id')} = %s" if chain_key else f"{quote('cell_id')} IS NULL"
    sql = (
        f"SELECT {columns} FROM {quote(LogEntry._meta.db_table)} "  # noqa: S608  names from the model
        f"WHERE {where} AND {quote('chain_seq')} > %s AND {quote('chain_seq')} <= %s "
        f"ORDER BY {quote('chain_seq')}"
    )
    params = [chain_key, after_seq, up_to] if chain_key else [after_seq, up_to]
    decode = json.loads
    first_json = _VERIFY_FIELDS.index(_JSON_FIELDS[0])
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk_size):
            for row in batch:
                changes, serialized, additional = row[first_json:]
                yield (
                    *row[:first_json],
                    decode(changes) if changes is not None else None,
                    decode(serialized) if serialized is not None else None,
                    decode(additional) if additional is not None else None,
                )


def _walk(
    chain_key: int,
    *,
    after_seq: int,
    prev_hash: str,
    up_to: int,
    checkpoints: dict[int, ChainCheckpoint] | None = None,
    chunk_size: int = 2000,
) -> ChainStatus:
    """Check the links after `after_seq` (whose hash is `prev_hash`) up to position `up_to`."""
    with closing(_rows(chain_key, after_seq=after_seq, up_to=up_to, chunk_size=chunk_size)) as rows:
        return _check_rows(chain_key, rows, after_seq=after_seq, prev_hash=prev_hash, up_to=up_to,
                           checkpoints=checkpoints)  # fmt: skip


def _check_rows(
    chain_key: int,
    rows: Iterator[tuple[Any, ...]],
    *,
    after_seq: int,
    prev_hash: str,
    up_to: int,
    checkpoints: dict[int, ChainCheckpoint] | None,
) -> ChainStatus:
    labels: dict[int, str] = {}
    checked = scrubbed = 0
    seq = after_seq
    status = ChainStatus(chain_key, 0, 0)
    for row in rows:
        chain_seq, prev, entry_hash = row[: _LINK.start]
        link = row[_LINK]
        entry_id, digest = link[0], link[-1]
        scrubbed_at, object_repr, changes_text, changes, serialized_data, additional_data = row[_LINK.stop :]
        reason = ""
        if chain_seq != seq + 1:
            reason = "gap"
        elif prev != prev_hash:
            reason = "link"
        else:
            recomputed = _link_hash(chain_key, chain_seq, prev, link, labels)
            if recomputed != entry_hash:
                reason = "hash"
            elif scrubbed_at is None:
                if digest != content_digest(
                    object_repr=object_repr,
                    changes_text=changes_text,
                    changes=changes,
                    serialized_data=serialized_data,
                    additional_data=additional_data,
                    decoded=True,
                ):
                    reason = "content"
            elif object_repr or changes_text or changes or serialized_data or additional_data:
                reason = "scrub"
        checkpoint = checkpoints.get(chain_seq) if checkpoints else None
        if not reason and checkpoint is not None and checkpoint.entry_hash != entry_hash:
            reason = "checkpoint"
        if reason:
            return replace(
                status, checked=checked, scrubbed=scrubbed, broken_entry_id=entry_id, reason=reason,
                up_to_seq=seq, up_to_hash=prev_hash,
            )  # fmt: skip
        checked += 1
        scrubbed += scrubbed_at is not None
        prev_hash, seq = entry_hash, chain_seq
    status = replace(status, checked=checked, scrubbed=scrubbed, up_to_seq=seq, up_to_hash=prev_hash)
    if seq < up_to:  # the entries up to the head's position must all be there
        following = _of_chain(chain_key).filter(chain_seq__gt=seq).order_by("chain_seq").first()
        if following is not None:
            return replace(status, broken_entry_id=following.pk, reason="gap")
        return replace(status, reason="tail")
    return status


def _head(chain_key: int) -> tuple[int, str]:
    head = ChainHead.objects.filter(key=chain_key).first()
    return (head.seq, head.entry_hash or GENESIS) if head is not None else (0, GENESIS)


def verify_chain(chain_key: int, *, chunk_size: int = 2000) -> ChainStatus:
    """Walk one chain from its first link and check its checkpoints; stop at the first break.

    Reads only. The head is read first: entries sealed while the walk runs are left for the
    next one (the sealer moves the head and seals its entries in one transaction, so every
    entry up to the head read is there to be walked). Pending entries are counted, not checked.
    """
    head_seq, head_hash = _head(chain_key)
    checkpoints = list(ChainCheckpoint.objects.filter(key=chain_key).order_by("seq", "id"))
    pending = _unsealed(chain_key).count()
    broken = _broken_checkpoint(checkpoints, head_seq)
    by_seq = {checkpoint.seq: checkpoint for checkpoint in checkpoints}
    status = _walk(
        chain_key, after_seq=0, prev_hash=GENESIS, up_to=head_seq, checkpoints=by_seq, chunk_size=chunk_size
    )
    status = replace(status, pending=pending)
    if status.ok and status.up_to_hash != head_hash:
        return replace(status, broken_entry_id=None, reason="tail")
    if status.ok and broken is not None:
        return replace(status, broken_checkpoint_id=broken.pk, reason="checkpoint_seal")
    if status.ok:
        beyond = _of_chain(chain_key).filter(chain_seq__gt=head_seq).order_by("chain_seq").first()
        if beyond is not None and (beyond.chain_seq or 0) > _head(chain_key)[0]:  # not sealed meanwhile
            return replace(status, broken_entry_id=beyond.pk, reason="beyond")
    return status


def _broken_checkpoint(checkpoints: list[ChainCheckpoint], head_seq: int) -> ChainCheckpoint | None:
    """The first checkpoint whose seal is wrong, that does not follow the one before, or that
    vouches for entries the chain no longer has."""
    previous = GENESIS
    for checkpoint in checkpoints:
        if checkpoint.previous_seal != previous or checkpoint.seal != checkpoint.expected_seal():
            return checkpoint
        if checkpoint.seq > head_seq:
            return checkpoint
        previous = checkpoint.seal
    return None


def last_checkpoint(chain_key: int) -> ChainCheckpoint | None:
    return ChainCheckpoint.objects.filter(key=chain_key).order_by("-seq", "-id").first()


def extend_verification(
    chain_key: int, *, limit: int | None = EXTEND_LIMIT, started_by: Any = None
) -> ChainStatus:
    """Verify the entries sealed since the chain's last checkpoint; write a checkpoint if they hold.

    First the checkpoint itself: its seal, and the entry at its position still having the hash
    it recorded. Then at most `limit` entries after it (`remaining` says how many are left).
    The run is recorded when it checked something, found a break, or a user asked for it.
    """
    started_at = timezone.now()
    checkpoint = last_checkpoint(chain_key)
    head_seq, head_hash = _head(chain_key)
    after_seq, prev_hash = (checkpoint.seq, checkpoint.entry_hash) if checkpoint else (0, GENESIS)
    status = _check_checkpoint(chain_key, checkpoint)
    if status is None:
        up_to = head_seq if limit is None else min(head_seq, after_seq + limit)
        status = _walk(chain_key, after_seq=after_seq, prev_hash=prev_hash, up_to=up_to)
        if status.ok and status.up_to_seq == head_seq and status.up_to_hash != head_hash:
            status = replace(status, reason="tail")
        status = replace(status, remaining=max(head_seq - status.up_to_seq, 0))
        if status.ok and status.checked:
            _write_checkpoint(chain_key, status, previous=checkpoint)
    status = replace(status, pending=_unsealed(chain_key).count())
    if started_by is not None or (
        (status.checked or not status.ok) and not _same_break_recorded(chain_key, status)
    ):
        _record(chain_key, VerificationKind.INCREMENTAL, status, started_at=started_at, started_by=started_by)
    return status


def _check_checkpoint(chain_key: int, checkpoint: ChainCheckpoint | None) -> ChainStatus | None:
    """A break at the checkpoint an incremental run starts from, or None if it holds: its seal,
    and the entry at its position, recomputed, still having the hash the checkpoint recorded."""
    if checkpoint is None:
        return None
    status = ChainStatus(chain_key, 0, 0)
    if checkpoint.seal != checkpoint.expected_seal():
        return replace(status, broken_checkpoint_id=checkpoint.pk, reason="checkpoint_seal")
    entry = _of_chain(chain_key).filter(chain_seq=checkpoint.seq).values_list("prev_hash", flat=True).first()
    if entry is None:
        following = _of_chain(chain_key).filter(chain_seq__gt=checkpoint.seq).values_list("id", flat=True)
        following_id = following.order_by("chain_seq").first()
        return replace(status, broken_entry_id=following_id, reason="gap" if following_id else "tail")
    status = _walk(
        chain_key,
        after_seq=checkpoint.seq - 1,
        prev_hash=entry,
        up_to=checkpoint.seq,
        checkpoints={checkpoint.seq: checkpoint},
    )
    return None if status.ok else replace(status, checked=0, scrubbed=0, up_to_seq=0)


def _write_checkpoint(chain_key: int, status: ChainStatus, *, previous: ChainCheckpoint | None) -> None:
    if previous is not None and previous.seq >= status.up_to_seq:
        return
    checkpoint = ChainCheckpoint(
        key=chain_key,
        seq=status.up_to_seq,
        entry_hash=status.up_to_hash,
        verified_at=timezone.now(),
        checked=status.checked,
        previous_seal=previous.seal if previous is not None else GENESIS,
    )
    checkpoint.seal = checkpoint.expected_seal()
    try:
        with transaction.atomic():
            checkpoint.save()
    except IntegrityError:
        pass  # another run extended from the same checkpoint meanwhile: its checkpoint stands


def verify_full(
    chain_key: int, *, verification: ChainVerification | None = None, started_by: Any = None
) -> ChainStatus:
    """Seal what is pending, then verify the whole chain and its checkpoints; record the run,
    and write a checkpoint at the head when it holds. `verification`: the run the DPO asked for."""
    started_at = timezone.now()
    seal_pending(chain_key)
    status = verify_chain(chain_key)
    if status.ok and status.up_to_seq:
        _write_checkpoint(chain_key, status, previous=last_checkpoint(chain_key))
    _record(
        chain_key,
        VerificationKind.FULL,
        status,
        started_at=started_at,
        started_by=started_by,
        verification=verification,
    )
    return status


def _record(
    chain_key: int,
    kind: str,
    status: ChainStatus,
    *,
    started_at: datetime.datetime,
    started_by: Any = None,
    verification: ChainVerification | None = None,
) -> ChainVerification:
    run = verification or ChainVerification(
        key=chain_key, kind=kind, requested_at=started_at, started_by=started_by
    )
    run.started_at = started_at
    run.finished_at = timezone.now()
    run.checked = status.checked
    run.scrubbed = status.scrubbed
    run.up_to_seq = status.up_to_seq
    run.pending = status.pending
    run.ok = status.ok
    run.broken_entry_id = status.broken_entry_id
    run.broken_checkpoint_id = status.broken_checkpoint_id
    run.reason = status.reason
    run.save()
    return run


def _same_break_recorded(chain_key: int, status: ChainStatus) -> bool:
    """Whether the last incremental run found this very break (the beat task finds it anew every
    five minutes until someone looks: one record is enough)."""
    if status.ok:
        return False
    last = last_run(chain_key, VerificationKind.INCREMENTAL)
    return (
        last is not None
        and last.ok is False
        and (last.reason, last.broken_entry_id, last.broken_checkpoint_id)
        == (status.reason, status.broken_entry_id, status.broken_checkpoint_id)
    )


def last_run(chain_key: int, kind: str) -> ChainVerification | None:
    return ChainVerification.objects.filter(key=chain_key, kind=kind).order_by("-requested_at", "-id").first()


@dataclass(frozen=True)
class ChainOverview:
    """What the DPO's overview says of a chain, read in constant time (nothing is verified)."""

    chain_key: int
    head_seq: int
    checkpoint: ChainCheckpoint | None
    sealing: SealingStatus
    last_full: ChainVerification | None  # the last full run that ended
    full_waiting: ChainVerification | None  # a full run asked for and not ended
    last_incremental: ChainVerification | None

    @property
    def verified_seq(self) -> int:
        return self.checkpoint.seq if self.checkpoint is not None else 0

    @property
    def unverified(self) -> int:
        """Sealed entries after the last checkpoint: not verified yet."""
        return max(self.head_seq - self.verified_seq, 0)

    @property
    def sealing_late(self) -> bool:
        return self.sealing.late()

    @property
    def broken_runs(self) -> list[ChainVerification]:
        """The last full run and the last incremental run, those of them that found a break."""
        return [run for run in (self.last_full, self.last_incremental) if run is not None and run.ok is False]


def chain_overview(chain_key: int) -> ChainOverview:
    runs = ChainVerification.objects.filter(key=chain_key).select_related("started_by")
    full = runs.filter(kind=VerificationKind.FULL)
    return ChainOverview(
        chain_key=chain_key,
        head_seq=_head(chain_key)[0],
        checkpoint=last_checkpoint(chain_key),
        sealing=sealing_status(chain_key),
        last_full=full.filter(finished_at__isnull=False).order_by("-requested_at", "-id").first(),
        full_waiting=full.filter(finished_at__isnull=True).order_by("-requested_at", "-id").first(),
        last_incremental=runs.filter(kind=VerificationKind.INCREMENTAL)
        .order_by("-requested_at", "-id")
        .first(),
    )


def extend_all_verifications(*, limit: int | None = EXTEND_LIMIT) -> list[ChainStatus]:
    """Extend the verification of every chain that has a head (the beat task)."""
    return [extend_verification(key, limit=limit) for key in chain_keys(thorough=False)]


def chain_keys(cell_ids: Iterable[int] | None = None, *, thorough: bool = True) -> Iterator[int]:
    """Every chain there is (or those of the given cells), the chain without a cell first.

    `thorough` also looks for cells that have entries but no head (rows written around the
    chain): a scan of the whole table, for the command; otherwise heads and pending entries."""
    if cell_ids is not None:
        yield from cell_ids
        return
    keys = set(ChainHead.objects.values_list("key", flat=True))
    entries = LogEntry.objects.all() if thorough else LogEntry.objects.filter(chain_seq__isnull=True)
    keys |= {key or NO_CELL for key in entries.values_list("cell_id", flat=True).distinct()}
    yield from sorted(keys)


REASONS = {
    "gap": _("an entry before it is missing (deleted)"),
    "link": _("it does not point at the entry before it"),
    "hash": _("its recorded fields were changed"),
    "content": _("its content was changed"),
    "scrub": _("it is marked as scrubbed but its content is not blank"),
    "tail": _("entries at the end of the chain are missing (deleted)"),
    "beyond": _("it lies beyond the end of the chain (written around it)"),
    "checkpoint": _(
        "it is no longer the entry an earlier verification vouched for (the chain was rewritten)"
    ),
    "checkpoint_seal": _("a checkpoint of an earlier verification was changed or removed"),
}
