"""The purge (docs/rules.md, rule 15): what expired goes, with everything that hangs off it.

Cases are purged in batches (`BATCH`, 500), each batch in one transaction, so a crash leaves
every case whole or gone, never half. Per batch:

1. the cases are locked and their date re-checked (an extension may have been decided since
   the run started): only those still due go;
1b. their data keys are destroyed (`livc.crypto.datakeys`, docs/adr/0010): the person's, and
   those of each item, relation and minutes PDF that goes with them. From here on what they
   sealed is unreadable, in the database and in every backup of it; the rows follow;
2. their agenda items keep their place in the minutes, their text and that of their
   corrections (addenda) erased, marked "removed under the retention rule" with today's date;
   the minutes PDFs of those meetings are deleted (they are made again on request);
3. the cases go, with everything their delete cascades to (seats and their object
   permissions, information items and the ledger of their uses, relations, the informing
   register, the "known to your service?" round, decisions and agreements, actions, case
   invitations), then their referrals, then their subjects (and the subjects' identity
   requests, and the details of any subject-access request about them: the request's
   register line stays, content-free), by set-based deletes (`retention.cascade`): no row is
   loaded and no audit entry is written for the deletes themselves;
4. the earlier audit entries of every one of those rows are scrubbed (their content blanked,
   `livc.audit.services.scrub_entries_for_objects`), one UPDATE per kind of row;
5. one `PurgeRecord` per case (nothing personal: counts of what went, data keys destroyed
   among them) and one audit event
   `purge` pointing at each record are written.

If a batch fails, it is rolled back whole and its cases are tried again one by one, each in
its own transaction: the case that fails is logged and left whole, the others go. A
not-retained or redirected referral goes the same way: referral, subject, identity requests.

Why batches and not one transaction per case: a per-case transaction costs some fifty
statements whatever the case's size, and 10,000 cases then take minutes instead of seconds
(the numbers are in the README's Retention section).

A run (`purge_expired`) holds a PostgreSQL advisory lock from start to end, so that two runs
(the nightly task and a hand-started command, say) never work at the same time: the second
one finds the lock taken and stops at once. It walks the due cases in chunks by primary key,
so a rerun after a crash simply finishes the job.
"""

import datetime
import itertools
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, Referral, Subject
from livc.audit.events import EventKind, record_events
from livc.audit.services import scrub_entries_for_objects
from livc.cells.models import Cell
from livc.cells.notices import figures_changed
from livc.crypto.datakeys import destroy_keys, owner_name, owner_path
from livc.crypto.fields import update_per_row
from livc.crypto.models import DestroyedBecause
from meetings.models import Addendum, AgendaItem, MinutesDocument
from retention import cascade, selectors
from retention.models import PurgeKind, PurgeRecord, RetentionSettings
from retention.policy import Retention

logger = logging.getLogger(__name__)

# pg_try_advisory_lock key: "retention" in ASCII, fixed so that every process agrees.
ADVISORY_LOCK_KEY = 0x726574656E74696F
BATCH = 500  # cases (or referrals) per transaction
ERASED_ITEM_FIELDS = ("signals", "assessment", "agreements")  # what an agenda item said about the case


# --- A batch of cases, a batch of referrals ----------------------------------------------------


@dataclass(frozen=True)
class Expired:
    """One case or referral that goes in this batch."""

    pk: uuid.UUID
    cell: Cell
    kind: str
    reference: str
    retention: Retention


def cases_purge(*, case_ids: Sequence[uuid.UUID], today: datetime.date) -> list[PurgeRecord]:
    """Purge those of these cases that are (still) due, in one transaction; their records."""
    with disable_auditlog(), transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).select_related("cell")
        cases = list(locked.filter(pk__in=case_ids).order_by("pk"))
        extensions = selectors.extensions_by_case(case.pk for case in cases)
        due: dict[uuid.UUID, Expired] = {}
        for case in cases:
            retention = selectors.retention_of_case(
                opened_at=case.opened_at,
                last_discussed_on=case.last_discussed_on,
                extensions=extensions.get(case.pk, []),
            )
            if retention.expired(today):  # not, if an extension was decided since the run started
                due[case.pk] = Expired(case.pk, case.cell, PurgeKind.CASE, case.reference, retention)
        if not due:
            return []
        cases = [case for case in cases if case.pk in due]
        removed = cascade.Removed()
        subjects = {case.subject_id: case.pk for case in cases}
        _destroy_keys(Case, due, subjects, removed, minutes=True)
        _erase_minutes(list(due), today, removed)
        cascade.delete_cascading(Case, {pk: pk for pk in due}, removed)
        referrals = {case.referral_id: case.pk for case in cases if case.referral_id}
        cascade.delete_cascading(Referral, referrals, removed)
        cascade.delete_cascading(Subject, {case.subject_id: case.pk for case in cases}, removed)
        return _finish(due, removed)


def case_purge(*, case_id: uuid.UUID, today: datetime.date) -> PurgeRecord | None:
    """Purge one case if it is (still) due; None if it is gone already or no longer due."""
    records = cases_purge(case_ids=[case_id], today=today)
    return records[0] if records else None


def referrals_purge(*, referral_ids: Sequence[uuid.UUID], today: datetime.date) -> list[PurgeRecord]:
    """Purge those of these not-retained or redirected referrals that are (still) due."""
    with disable_auditlog(), transaction.atomic():
        locked = Referral.objects.select_for_update(of=("self",)).select_related("cell")
        referrals = list(
            locked.filter(pk__in=referral_ids, status__in=selectors.PURGED_REFERRAL_STATUSES).order_by("pk")
        )
        own, default = selectors.not_retained_days_by_cell({referral.cell_id for referral in referrals})
        due: dict[uuid.UUID, Expired] = {}
        for referral in referrals:
            retention = selectors.referral_retention_get(
                referral=referral, keep_days=own.get(referral.cell_id, default)
            )
            if retention is not None and retention.expired(today):
                due[referral.pk] = Expired(referral.pk, referral.cell, PurgeKind.REFERRAL, "", retention)
        if not due:
            return []
        removed = cascade.Removed()
        subjects = {referral.subject_id: referral.pk for referral in referrals if referral.pk in due}
        _destroy_keys(Referral, due, subjects, removed, minutes=False)
        cascade.delete_cascading(Referral, {pk: pk for pk in due}, removed)
        cascade.delete_cascading(Subject, subjects, removed)
        return _finish(due, removed)


def referral_purge(*, referral_id: uuid.UUID, today: datetime.date) -> PurgeRecord | None:
    """Purge one not-retained or redirected referral if it is (still) due."""
    records = referrals_purge(referral_ids=[referral_id], today=today)
    return records[0] if records else None


def _destroy_keys(
    root: type[Case] | type[Referral],
    due: dict[uuid.UUID, Expired],
    subjects: dict[uuid.UUID, uuid.UUID],
    removed: cascade.Removed,
    *,
    minutes: bool,
) -> None:
    """Destroy the data keys of what goes, before it goes: the persons' (`subjects`: subject ->
    purged case or referral), and those of every row with a key of its own that the roots' or
    the subjects' delete takes along (items, relations, subject-access request details) or that
    the erasure of the minutes deletes (the minutes PDFs). Counted per case or referral, for its
    record."""
    owners = {owner_name(Subject, pk): root_pk for pk, root_pk in subjects.items()}
    # What the roots' delete takes along, then what the subjects' does (the details of a
    # subject-access request about the person): root -> purged case or referral for both.
    for plan_root, roots in ((root, {pk: pk for pk in due}), (Subject, subjects)):
        for step in cascade.plan(plan_root).deletes:
            if owner_path(step.model) != "pk":
                continue
            for chunk in cascade.chunks(list(roots)):
                rows = step.model._base_manager.filter(**{f"{step.path}__in": chunk})
                for pk, root_pk in rows.values_list("pk", step.path):
                    owners[owner_name(step.model, pk)] = roots[root_pk]
    if minutes:
        items = AgendaItem.objects.filter(case__in=list(due)).values_list("meeting_id", "case_id")
        case_of_meeting = dict(items)
        documents = MinutesDocument.objects.filter(meeting__in=list(case_of_meeting))
        for pk, meeting in documents.values_list("pk", "meeting_id"):
            owners[owner_name(MinutesDocument, pk)] = case_of_meeting[meeting]
    for owner in destroy_keys(owners, because=DestroyedBecause.RETENTION):
        removed.keys_destroyed[owners[owner]] += 1


def _erase_minutes(case_ids: list[uuid.UUID], today: datetime.date, removed: cascade.Removed) -> None:
    """The cases' agenda items keep their place; their text goes and they say when it went.
    The minutes PDFs of those meetings held that text: they go."""
    items = list(AgendaItem.objects.filter(case__in=case_ids).values_list("pk", "case_id", "meeting_id"))
    addenda = Addendum.objects.filter(item__in=[pk for pk, _case, _meeting in items])
    item_pks = removed.add(AgendaItem, [(pk, case) for pk, case, _meeting in items], erased=True)
    addendum_pks = removed.add(Addendum, addenda.values_list("pk", "item__case_id"), erased=True)
    update_per_row(AgendaItem, item_pks, **dict.fromkeys(ERASED_ITEM_FIELDS, ""), removed_on=today)
    update_per_row(Addendum, addendum_pks, text="")
    case_of_meeting = {meeting: case for _pk, case, meeting in items}
    documents = MinutesDocument.objects.filter(meeting__in=list(case_of_meeting))
    rows = [(pk, case_of_meeting[meeting]) for pk, meeting in documents.values_list("pk", "meeting_id")]
    cascade.delete_rows(MinutesDocument, removed.add(MinutesDocument, rows))


def _finish(due: dict[uuid.UUID, Expired], removed: cascade.Removed) -> list[PurgeRecord]:
    """Scrub the audit entries of everything deleted or erased; write the records and events."""
    scrubbed: Counter[Hashable] = Counter()
    for key, number in scrub_entries_for_objects(removed.objects).items():
        scrubbed[removed.owner_of[key]] += number
    now = timezone.now()
    records = [
        PurgeRecord(
            cell=item.cell,
            kind=item.kind,
            reference=item.reference,
            basis=item.retention.basis,
            keep_until=item.retention.keep_until,
            extension_from=item.retention.decided_on if item.retention.is_extension else None,
            purged_at=now,
            counts={
                "deleted": dict(sorted(removed.deleted[pk].items())),
                "erased": dict(sorted(removed.erased[pk].items())),
                "audit_entries_scrubbed": scrubbed[pk],
                "data_keys_destroyed": removed.keys_destroyed[pk],
            },
        )
        for pk, item in due.items()
    ]
    PurgeRecord.objects.bulk_create(records)
    figures_changed(record.cell.pk for record in records)  # what the purge notice counted is gone
    record_events(
        {
            "kind": EventKind.PURGE,
            "cell": record.cell,
            "instance": record,
            "data": {"purge_record": record.pk, "kind": record.kind},
        }
        for record in records
    )
    return records


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
    batch: int = BATCH,
) -> PurgeRun:
    """Purge every case and referral whose retention ended before `today` (default: today).

    A case that fails is logged by id and left whole; the others go on. Returns what was done.
    """
    run = PurgeRun(today=today or timezone.localdate())
    try:
        with run_lock():
            _purge_all(run, progress, batch)
    except PurgeLocked:
        run.locked_out = True
    return run


Purge = Callable[[Sequence[uuid.UUID], datetime.date], list[PurgeRecord]]


def _purge_all(run: PurgeRun, progress: Callable[[PurgeRecord], None] | None, batch: int) -> None:
    steps: list[tuple[Iterator[selectors.Due], Purge, str]] = [
        (selectors.cases_due(before=run.today), _purge_cases, "case"),
        (selectors.referrals_due(before=run.today), _purge_referrals, "referral"),
    ]
    for due_items, purge, label in steps:
        while chunk := list(itertools.islice(due_items, batch)):
            for record in _purge_batch([due.pk for due in chunk], purge, label, run):
                run.cases += record.kind == PurgeKind.CASE
                run.referrals += record.kind == PurgeKind.REFERRAL
                if progress is not None:
                    progress(record)


def _purge_batch(pks: list[uuid.UUID], purge: Purge, label: str, run: PurgeRun) -> list[PurgeRecord]:
    """The batch in one transaction; if that fails, each of its items in its own."""
    if len(pks) > 1:
        try:
            return purge(pks, run.today)
        except Exception:
            logger.warning("A batch of %d %ss failed; trying them one by one", len(pks), label, exc_info=True)
    records = []
    for pk in pks:
        try:
            records += purge([pk], run.today)
        except Exception:
            logger.exception("Purging %s %s failed; it is left whole", label, pk)
            run.failed.append(f"{label} {pk}")
    return records


def _purge_cases(pks: Sequence[uuid.UUID], today: datetime.date) -> list[PurgeRecord]:
    return cases_purge(case_ids=pks, today=today)


def _purge_referrals(pks: Sequence[uuid.UUID], today: datetime.date) -> list[PurgeRecord]:
    return referrals_purge(referral_ids=pks, today=today)


# --- Settings --------------------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, cell: Cell, not_retained_days: int, warning_days: int) -> RetentionSettings:
    """The coordinator sets the cell's periods (the view checks the role)."""
    current = RetentionSettings.objects.select_for_update().filter(cell=cell).first()
    current = current or RetentionSettings(cell=cell)
    current.not_retained_days, current.warning_days = not_retained_days, warning_days
    current.full_clean()
    current.save()
    figures_changed(cell.pk)  # another warning period or referral period: the notice counts afresh
    return current
