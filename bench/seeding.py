"""What the benchmarks share: the scratch-database guard, a logged-in client, the process's
memory, cases in bulk with their data keys made in bulk, values sealed with the key ring only,
and writing audit entries in bulk as the application would have written them. The scale tests
seed with the same helpers.

The benchmarks seed hundreds of thousands of rows, some of them audit entries that the
append-only trigger never lets go again, so each refuses a database whose name does not say
it is a scratch one.
"""

import datetime
import json
import resource
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError, CommandParser
from django.db import connection, models
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from cases.models import Case, Subject
from livc.accounts.models import User
from livc.audit import hashing
from livc.audit.models import ChainHead, LogAction, LogEntry
from livc.crypto import datakeys

SCRATCH_MARK = "bench"
JSON_COLUMNS = ("changes", "additional_data")
# The audit-entry columns `AuditWriter` fills, in its rows' order.
AUDIT_COLUMNS = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "actor_email",
    "remote_addr",
    "timestamp",
    "additional_data",
    "cell_id",
    "access_kind",
    "event",
    "chain_seq",
    "prev_hash",
    "entry_hash",
    "content_digest",
)


def add_scratch_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--yes-this-is-a-scratch-database",
        action="store_true",
        dest="scratch",
        help=f"run although the database name does not contain '{SCRATCH_MARK}'",
    )


def require_scratch_database(options: dict[str, Any], *, writes: str) -> str:
    """The database's name; stop unless it is named as a scratch one or the caller says it is."""
    name = str(connection.settings_dict["NAME"])
    if SCRATCH_MARK not in name and not options["scratch"]:
        raise CommandError(
            f"Refusing to seed {name!r}: the name does not contain '{SCRATCH_MARK}'. This command writes "
            f"{writes}; give --yes-this-is-a-scratch-database if it is a scratch one."
        )
    return name


def logged_in_client(user: User) -> Client:
    """A client logged in as if password and second factor had both been given."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


BULK_BATCH = 2000


def add_cases(
    cell: Any,
    count: int,
    *,
    created_by: User,
    reference: Callable[[int], str],
    pseudonym: Callable[[int], str] = lambda n: f"Persoon {n}",
    aim_signals: str = "Bench signals.",
) -> list[Case]:
    """`count` cases in `cell`, each with a person of its own, in bulk (no referral, no audit
    entry): the n-th (from 0) is `reference(n)`, its person `pseudonym(n)`. A batch at a time,
    the people's data keys are made in one insert first (`make_data_keys`), so that sealing a
    person's and a case's values costs no query to the key store."""
    cases: list[Case] = []
    for start in range(0, count, BULK_BATCH):
        numbers = range(start, min(count, start + BULK_BATCH))
        subjects = [Subject(cell=cell, pseudonym=pseudonym(n)) for n in numbers]
        make_data_keys(subjects)
        Subject.objects.bulk_create(subjects, batch_size=BULK_BATCH)
        cases += Case.objects.bulk_create(
            (
                Case(
                    cell=cell,
                    reference=reference(n),
                    subject=subject,
                    aim_signals=aim_signals,
                    created_by=created_by,
                )
                for n, subject in zip(numbers, subjects, strict=True)
            ),
            batch_size=BULK_BATCH,
        )
    return cases


def make_data_keys(rows: Iterable[models.Model]) -> int:
    """Make the data keys of these unsaved rows' owners (`livc.crypto.datakeys`) in one insert,
    before the rows are bulk-created; otherwise sealing each row's values looks its owner's key
    up, and makes it, a query or two per owner. The new keys stay in this process's key cache,
    which is emptied first and holds `datakeys.CACHE_LIMIT` keys: give a few thousand rows at a
    time. The number of keys made."""
    datakeys.keys.clear()
    return datakeys.make_keys(owner for row in rows if (owner := datakeys.owner_of(row)) is not None)


_ABSENT = object()


@contextmanager
def sealed_with_the_ring() -> Iterator[None]:
    """Within it, values are sealed with the key ring, as before data keys existed: every
    model's `encryption_owner` (`livc.crypto.datakeys`) is hidden, and put back on the way out.
    What is saved within is what `move_to_data_keys` moves, or the same rows as they would be
    without per-case keys (`bench_cases` compares the two). Benchmarks only: the models are
    shared by every thread of the process."""
    hidden = [
        (model, model.__dict__.get("encryption_owner", _ABSENT))
        for model in apps.get_models()
        if datakeys.owner_path(model) is not None
    ]
    for model, _path in hidden:
        setattr(model, "encryption_owner", None)  # noqa: B010  a model attribute mypy does not know
    try:
        yield
    finally:
        for model, path in hidden:
            if path is _ABSENT:
                delattr(model, "encryption_owner")  # inherited: the parent's shows again
            else:
                setattr(model, "encryption_owner", path)  # noqa: B010


def rss() -> int:
    """The process's resident memory now, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


class RssPeak:
    """The process's highest resident memory during a `with` block, sampled every `interval`
    seconds by a thread of its own (a reading before and after would miss a peak between):
    `growth` is that peak less the memory when the block began, in bytes."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.baseline = self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "RssPeak":
        self.baseline = self.peak = rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss())

    def _sample(self) -> None:
        while not self._done.wait(self.interval):
            self.peak = max(self.peak, rss())

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


def audit_entry_writer(columns: Sequence[str]) -> Callable[[list[tuple[Any, ...]]], None]:
    """Write rows of these audit-entry columns: COPY on PostgreSQL, batched inserts elsewhere
    (small runs only). JSON columns arrive as JSON text, as COPY wants them."""
    if connection.vendor == "postgresql":

        def copy(rows: list[tuple[Any, ...]]) -> None:
            with connection.cursor() as cursor:
                sql = f"COPY {LogEntry._meta.db_table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copier:
                    for row in rows:
                        copier.write_row(row)

        return copy

    def insert(rows: list[tuple[Any, ...]]) -> None:
        entries = []
        for row in rows:
            values = dict(zip(columns, row, strict=True))
            for key in JSON_COLUMNS:
                if key in values:
                    values[key] = json.loads(values[key]) if values[key] is not None else None
            entries.append(LogEntry(**values))
        LogEntry.objects.bulk_create(entries, batch_size=500)

    return insert


@dataclass
class AuditWriter:
    """Audit entries as django-auditlog and the access log write them, chained per cell, in bulk."""

    heads: dict[int, tuple[int, str]] = field(default_factory=dict)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    clock: datetime.datetime = field(default_factory=lambda: timezone.now() - datetime.timedelta(days=900))
    content_types: dict[type[models.Model], ContentType] = field(default_factory=dict)

    def add(
        self, obj: models.Model, cell_id: int, actor: User, action: int, changes: Any, **extra: Any
    ) -> None:
        model = type(obj)
        content_type = self.content_types.get(model) or ContentType.objects.get_for_model(model)
        self.content_types[model] = content_type
        if cell_id not in self.heads:
            head = ChainHead.objects.filter(key=cell_id).first()
            self.heads[cell_id] = (head.seq, head.entry_hash) if head else (0, hashing.GENESIS)
        seq, prev = self.heads[cell_id]
        seq += 1
        self.clock += datetime.timedelta(seconds=7)
        object_repr = str(obj) if action != LogAction.ACCESS else f"Case {getattr(obj, 'reference', '')}"
        changes_text = "" if changes is None else ", ".join(changes)
        additional = extra.get("additional_data")
        access_kind = extra.get("access_kind", "")
        digest = hashing.content_digest(
            object_repr=object_repr,
            changes_text=changes_text,
            changes=changes,
            serialized_data=None,
            additional_data=additional,
        )
        entry_hash = hashing.link_hash(
            chain_key=cell_id,
            seq=seq,
            prev_hash=prev,
            timestamp=self.clock,
            action=action,
            access_kind=access_kind,
            event="",
            content_type=f"{content_type.app_label}.{content_type.model}",
            object_pk=str(obj.pk),
            actor_id=actor.pk,
            actor_email=actor.email,
            remote_addr="10.0.0.7",
            remote_port=None,
            cid=None,
            content_digest=digest,
        )
        self.rows.append(
            (
                content_type.pk,
                str(obj.pk),
                obj.pk if isinstance(obj.pk, int) else None,
                object_repr,
                int(action),
                changes_text,
                json.dumps(changes) if changes is not None else None,
                actor.pk,
                actor.email,
                "10.0.0.7",
                self.clock,
                json.dumps(additional) if additional is not None else None,
                cell_id,
                access_kind,
                "",
                seq,
                prev,
                entry_hash,
                digest,
            )
        )
        self.heads[cell_id] = (seq, entry_hash)

    def flush(self) -> int:
        """Write the buffered entries (COPY on PostgreSQL, batched inserts elsewhere)."""
        rows, self.rows = self.rows, []
        audit_entry_writer(AUDIT_COLUMNS)(rows)
        return len(rows)

    def save_heads(self) -> None:
        for key, (seq, entry_hash) in self.heads.items():
            ChainHead.objects.update_or_create(key=key, defaults={"seq": seq, "entry_hash": entry_hash})
