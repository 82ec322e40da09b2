"""The purge (DESIGN.md rule 15): what expired goes, with everything that hangs off it.

One case is purged in one transaction, so a crash leaves it whole or gone, never half:

1. its agenda items keep their place in the minutes, their text and that of their corrections
   (addenda) erased, marked "removed under the retention rule" with today's date;
2. the minutes PDFs of those meetings are deleted (they are made again on request);
3. the case goes, and with it (CASCADE) seats and their object permissions, information items,
   relations, the informing register, decisions and agreements, actions, case invitations;
   then its referral, then its subject (and the subject's identity requests);
4. the earlier audit entries of every one of those objects are scrubbed (their content
   blanked, `livc.audit.services.scrub_entries_for_object`); the deletes themselves are
   written with audit logging off;
5. one `PurgeRecord` (nothing personal) and one audit event `purge` pointing at it are written.

A not-retained or redirected referral goes the same way: referral, subject, identity requests.

A run (`purge_expired`) holds a PostgreSQL advisory lock from start to end, so that two runs
(the nightly task and a hand-started command, say) never work at the same time: the second
one finds the lock taken and stops at once. It walks the due cases in chunks by primary key
and re-checks each case under a row lock inside its transaction, so a rerun after a crash
simply finishes the job.
"""

import datetime
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from django.db import connection, models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from cases.models import Addendum, AgendaItem, Case, MinutesDocument, Referral, Subject
from livc.audit.events import EventKind, record_event
from livc.audit.services import scrub_entries_for_object
from livc.cells.models import Cell
from retention import selectors
from retention.models import PurgeKind, PurgeRecord, RetentionSettings
from retention.policy import Retention

logger = logging.getLogger(__name__)

# pg_try_advisory_lock key: "retention" in ASCII, fixed so that every process agrees.
ADVISORY_LOCK_KEY = 0x726574656E74696F


# --- One case, one referral ------------------------------------------------------------------


def case_purge(*, case_id: uuid.UUID, today: datetime.date) -> PurgeRecord | None:
    """Purge one case if it is (still) due; None if it is gone already or no longer due."""
    with disable_auditlog(), transaction.atomic():
        case = Case.objects.select_for_update().select_related("cell").filter(pk=case_id).first()
        if case is None:
            return None
        retention = selectors.case_retention_get(case=case)
        if not retention.expired(today):
            return None  # an extension was decided since the run started
        tally = Tally()
        touched = _erase_minutes(case, today, tally)
        touched += _delete([case], tally)
        if case.referral_id:
            touched += _delete(list(Referral.objects.filter(pk=case.referral_id)), tally)
        touched += _delete(list(Subject.objects.filter(pk=case.subject_id)), tally)
        return _finish(case.cell, PurgeKind.CASE, case.reference, retention, touched, tally)


def referral_purge(*, referral_id: uuid.UUID, today: datetime.date) -> PurgeRecord | None:
    """Purge one not-retained or redirected referral if it is (still) due."""
    with disable_auditlog(), transaction.atomic():
        referral = Referral.objects.select_for_update().select_related("cell").filter(pk=referral_id).first()
        if referral is None or referral.status not in selectors.PURGED_REFERRAL_STATUSES:
            return None
        keep_days = selectors.settings_get(cell=referral.cell).not_retained_days
        retention = selectors.referral_retention_get(referral=referral, keep_days=keep_days)
        if retention is None or not retention.expired(today):
            return None
        tally = Tally()
        touched = _delete([referral], tally)
        touched += _delete(list(Subject.objects.filter(pk=referral.subject_id)), tally)
        return _finish(referral.cell, PurgeKind.REFERRAL, "", retention, touched, tally)


@dataclass
class Tally:
    """Rows removed per model label, rows erased per model label, audit entries scrubbed."""

    deleted: Counter[str] = field(default_factory=Counter)
    erased: Counter[str] = field(default_factory=Counter)
    scrubbed: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "deleted": dict(sorted(self.deleted.items())),
            "erased": dict(sorted(self.erased.items())),
            "audit_entries_scrubbed": self.scrubbed,
        }


ObjectKey = tuple[type[models.Model], Any]  # (model, primary key): what the scrub needs


def _erase_minutes(case: Case, today: datetime.date, tally: Tally) -> list[ObjectKey]:
    """The case's agenda items keep their place; their text goes and they say when it went.
    The minutes PDFs of those meetings held that text: they go."""
    items = list(AgendaItem.objects.filter(case=case))
    for item in items:
        item.signals = item.assessment = item.agreements = ""
        item.removed_on = today
        item.save(update_fields=["signals", "assessment", "agreements", "removed_on"])
    addenda = list(Addendum.objects.filter(item__in=items))
    for addendum in addenda:
        addendum.text = ""
        addendum.save(update_fields=["text"])
    tally.erased.update({AgendaItem._meta.label: len(items), Addendum._meta.label: len(addenda)})
    documents = list(MinutesDocument.objects.filter(meeting_id__in={item.meeting_id for item in items}))
    erased = [(type(obj), obj.pk) for obj in [*items, *addenda]]
    return erased + _delete(documents, tally)


def _delete(objects: Sequence[models.Model], tally: Tally) -> list[ObjectKey]:
    """Delete, cascading as the models say; return the keys of every object deleted (taken
    before the delete, which clears the instances' primary keys)."""
    if not objects:
        return []
    collector = Collector(using=connection.alias)
    collector.collect(objects)
    deleted = [(model, obj.pk) for model, instances in collector.data.items() for obj in instances]
    _count, per_model = collector.delete()
    tally.deleted.update({label: number for label, number in per_model.items() if number})
    return deleted


def _finish(
    cell: Cell,
    kind: str,
    reference: str,
    retention: Retention,
    touched: list[ObjectKey],
    tally: Tally,
) -> PurgeRecord:
    """Scrub the audit entries of everything deleted or erased; write the record and the event."""
    tally.scrubbed = sum(
        scrub_entries_for_object(model=model, object_pk=pk) for model, pk in dict.fromkeys(touched)
    )
    record = PurgeRecord.objects.create(
        cell=cell,
        kind=kind,
        reference=reference,
        basis=retention.basis,
        keep_until=retention.keep_until,
        extension_from=retention.decided_on if retention.is_extension else None,
        purged_at=timezone.now(),
        counts=tally.as_json(),
    )
    record_event(EventKind.PURGE, cell=cell, instance=record, data={"purge_record": record.pk, "kind": kind})
    return record


# --- A run -------------------------------------------------------------------------------------------


@dataclass
class PurgeRun:
    """What a run did, in counts (its memory must not grow with the number purged: whoever
    wants each record passes `progress`), what failed (ids only), whether it ran at all."""

    today: datetime.date
    locked_out: bool = False
    cases: int = 0
    referrals: int = 0
    failed: list[str] = field(default_factory=list)


class PurgeLocked(Exception):
    """Another run holds the lock."""


@contextmanager
def run_lock() -> Iterator[None]:
    """One run at a time: a session-level PostgreSQL advisory lock, held for the whole run and
    released at its end (or when the connection dies with a killed process).

    On SQLite there is no lock: it is the single-process development database, where nothing
    else runs a purge at the same time.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise PurgeLocked
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


def purge_expired(
    *,
    today: datetime.date | None = None,
    progress: Callable[[PurgeRecord], None] | None = None,
) -> PurgeRun:
    """Purge every case and referral whose retention ended before `today` (default: today).

    A case that fails is logged by id and left whole; the others go on. Returns what was done.
    """
    run = PurgeRun(today=today or timezone.localdate())
    try:
        with run_lock():
            _purge_all(run, progress)
    except PurgeLocked:
        run.locked_out = True
    return run


def _purge_all(run: PurgeRun, progress: Callable[[PurgeRecord], None] | None) -> None:
    steps: list[tuple[Iterator[selectors.Due], Callable[..., PurgeRecord | None], str]] = [
        (selectors.cases_due(before=run.today), _purge_case, "case"),
        (selectors.referrals_due(before=run.today), _purge_referral, "referral"),
    ]
    for due_items, purge, label in steps:
        for due in due_items:
            try:
                record = purge(due.pk, run.today)
            except Exception:
                logger.exception("Purging %s %s failed; it is left whole", label, due.pk)
                run.failed.append(f"{label} {due.pk}")
                continue
            if record is not None:
                run.cases += record.kind == PurgeKind.CASE
                run.referrals += record.kind == PurgeKind.REFERRAL
                if progress is not None:
                    progress(record)


def _purge_case(pk: uuid.UUID, today: datetime.date) -> PurgeRecord | None:
    return case_purge(case_id=pk, today=today)


def _purge_referral(pk: uuid.UUID, today: datetime.date) -> PurgeRecord | None:
    return referral_purge(referral_id=pk, today=today)


# --- Settings --------------------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, cell: Cell, not_retained_days: int, warning_days: int) -> RetentionSettings:
    """The coordinator sets the cell's periods (the view checks the role)."""
    current = RetentionSettings.objects.select_for_update().filter(cell=cell).first()
    current = current or RetentionSettings(cell=cell)
    current.not_retained_days, current.warning_days = not_retained_days, warning_days
    current.full_clean()
    current.save()
    return current
