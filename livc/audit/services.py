"""Writes of the audit app: the retention purge's scrub of earlier entries, and a DPO's request for
a full verification of the cell's chain (the breach register and the signal thresholds are the
DPO's: `dpo/services.py`)."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from livc.accounts.models import User
from livc.audit.events import EventKind, record_events
from livc.audit.models import (
    SCRUBBABLE_FIELDS,
    ChainVerification,
    LogEntry,
    VerificationKind,
)
from livc.cells.models import Cell
from livc.outbox.services import enqueue


def scrub_entries_for_object(
    *, model: type[models.Model] | str, object_pk: Any, actor: User | None = None
) -> int:
    """Blank the content of every audit entry about one object (see `scrub_entries_for_objects`)."""
    return sum(scrub_entries_for_objects([(model, object_pk)], actor=actor).values())


def scrub_entries_for_objects(
    objects: Iterable[tuple[type[models.Model] | str, Any]], *, actor: User | None = None
) -> Counter[tuple[str, str]]:
    """Blank the content of every audit entry about these objects; for the retention purge.

    `objects` are (model or "app_label.model", primary key) pairs. The entries stay (who did
    what to which object, when), but `object_repr`, `changes_text`, `changes`, `serialized_data`
    and `additional_data` are emptied and `scrubbed_at` is set. On PostgreSQL the append-only
    trigger allows exactly this, and only inside this function's transaction. The hash chain
    stays verifiable (see `livc.audit.chain`).

    One UPDATE per object type (per `SCRUB_CHUNK` objects), however many objects: the purge hands over
    the thousands of rows of a batch of cases at once. The scrub itself is logged as one event
    in each cell concerned, with the number of objects and entries. Returns the number of
    entries scrubbed per ("app_label.model", primary key); a second call finds none left.
    """
    by_type: dict[ContentType, set[str]] = defaultdict(set)
    for model, object_pk in objects:
        by_type[_content_type(model)].add(str(object_pk))
    return _scrub(by_type, actor=actor)


def _content_type(model: type[models.Model] | str) -> ContentType:
    if isinstance(model, str):
        return ContentType.objects.get_by_natural_key(*model.lower().split("."))
    return ContentType.objects.get_for_model(model)


SCRUB_CHUNK = 1000


@transaction.atomic
def _scrub(by_type: dict[ContentType, set[str]], *, actor: User | None) -> Counter[tuple[str, str]]:
    scrubbed: Counter[tuple[str, str]] = Counter()
    per_cell: dict[int | None, Counter[str]] = defaultdict(Counter)
    now = timezone.now()
    for content_type, object_pks in by_type.items():
        label = f"{content_type.app_label}.{content_type.model}"
        ordered = sorted(object_pks)
        for start in range(0, len(ordered), SCRUB_CHUNK):
            for (cell_id, object_pk), number in _scrub_chunk(
                content_type, ordered[start : start + SCRUB_CHUNK], now
            ):
                scrubbed[(label, object_pk)] += number
                per_cell[cell_id]["entries"] += number
                per_cell[cell_id]["objects"] += 1
    cells = Cell.objects.in_bulk([cell_id for cell_id in per_cell if cell_id is not None])
    record_events(
        {
            "kind": EventKind.ENTRIES_SCRUBBED,
            "cell": cells.get(cell_id) if cell_id is not None else None,
            "actor": actor,
            "data": dict(numbers),
        }
        for cell_id, numbers in sorted(per_cell.items(), key=lambda item: item[0] or 0)
    )
    return scrubbed


# What each scrubbable column becomes: text columns empty, JSON columns SQL NULL.
BLANK = {
    "object_repr": "''",
    "changes_text": "''",
    "changes": "NULL",
    "serialized_data": "NULL",
    "additional_data": "NULL",
}


def _scrub_chunk(
    content_type: ContentType, object_pks: list[str], now: Any
) -> Iterable[tuple[tuple[Any, str], int]]:
    """Blank the entries about these objects of one type; returns ((cell, object), entries) pairs.

    On PostgreSQL through `livc_audit_scrub` (livc/database/setup.py), which runs as the tables'
    owner and refuses unless every object is gone (or erased): the application's role may not
    UPDATE the log. Elsewhere (SQLite, development) one UPDATE ... RETURNING.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT cell_id, object_pk FROM livc_audit_scrub(%s, %s, %s, %s)",
                [content_type.pk, object_pks, now, EventKind.ENTRIES_SCRUBBED],
            )
        else:
            cursor.execute(
                _scrub_statement(len(object_pks)),
                [LogEntry._meta.get_field("scrubbed_at").get_db_prep_value(now, connection), content_type.pk,
                 *object_pks, EventKind.ENTRIES_SCRUBBED],
            )  # fmt: skip
        return Counter(cursor.fetchall()).items()


def _scrub_statement(count: int) -> str:
    """Blank the entries about `count` objects of one type and return (cell, object) of each (SQLite)."""
    quote = connection.ops.quote_name
    blank = ", ".join(f"{quote(name)} = {BLANK[name]}" for name in SCRUBBABLE_FIELDS)
    placeholders = ", ".join(["%s"] * count)
    return (
        f"UPDATE {quote(LogEntry._meta.db_table)} SET {blank}, {quote('scrubbed_at')} = %s "  # noqa: S608
        f"WHERE {quote('content_type_id')} = %s AND {quote('object_pk')} IN ({placeholders}) "
        f"AND {quote('scrubbed_at')} IS NULL AND {quote('event')} <> %s "
        f"RETURNING {quote('cell_id')}, {quote('object_pk')}"
    )


def full_verification_request(*, chain_key: int, user: User | None) -> ChainVerification | None:
    """Ask for a full verification of one chain, run by a worker through the outbox.

    Returns the run now waiting, or None when one of this chain was already waiting (asked for
    from another tab, or by another DPO): the chain is verified once, not once per click."""
    from livc.audit.tasks import verify_chain_fully

    full = ChainVerification.objects.filter(key=chain_key, kind=VerificationKind.FULL)
    if full.filter(finished_at__isnull=True).exists():
        return None
    verification = ChainVerification.objects.create(
        key=chain_key, kind=VerificationKind.FULL, started_by=user
    )
    enqueue(verify_chain_fully, verification_id=verification.pk)
    return verification
