"""The audit log: django-auditlog's entry, extended with the cell, the kind of access, events and
a hash chain. (The DPO's own records, the breach register and the signal thresholds, are in `dpo`.)

Entries record who created, changed, deleted or accessed what, never the personal data
itself: models are registered with their non-personal fields only and their `__str__`
carries no name (see each app's `audit.py`).

The entry table is append-only for the application. On PostgreSQL a trigger refuses every
UPDATE and DELETE, with two exceptions:

- the retention purge's scrub (`services.scrub_entries_for_objects`), which may only blank the
  scrubbable columns and stamp `scrubbed_at`, after switching the exception on for its own
  transaction (`SET LOCAL livc.audit_scrub = 'on'`);
- the sealer (`livc.audit.chain.seal_pending`): an entry is inserted unsealed (no position, no
  hashes, but its content digest), and may be updated once to receive its position, the
  previous link's hash and its own hash, nothing else (ADR 8).

On top of the trigger, the application's database role may not UPDATE or DELETE the table at all
(livc/database/setup.py): both changes go through functions that run as the tables' owner,
`livc_audit_scrub` (only for objects that are gone) and `livc_audit_seal`.

The chain's checkpoints (`ChainCheckpoint`) are append-only without exception; the record of
verification runs (`ChainVerification`) is a plain table.
"""

from typing import Any

import pgtrigger
from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livc.audit.context import current_access
from livc.audit.hashing import checkpoint_seal, digest_of, hash_of


class AccessKind(models.TextChoices):
    VIEW = "view", _("viewed")
    DOWNLOAD = "download", _("downloaded")
    EXPORT = "export", _("exported")


class LogAction(models.IntegerChoices):
    """django-auditlog's four actions, plus events (logins, lockouts, key rotation, purges ...)."""

    CREATE = AbstractLogEntry.Action.CREATE, _("create")
    UPDATE = AbstractLogEntry.Action.UPDATE, _("update")
    DELETE = AbstractLogEntry.Action.DELETE, _("delete")
    ACCESS = AbstractLogEntry.Action.ACCESS, _("access")
    EVENT = 100, _("event")  # far from auditlog's values, should it add actions of its own


class CellLogEntryManager(LogEntryManager):
    def log_create(self, instance: models.Model, force_log: bool = False, **kwargs: Any) -> Any:
        """Add the cell the object belongs to and, for an access, what kind of access it was."""
        access = current_access()
        if access is not None and kwargs.get("action") == AbstractLogEntry.Action.ACCESS:
            kwargs.setdefault("cell", access.cell)
            kwargs.setdefault("access_kind", access.kind)
            kwargs.setdefault("additional_data", {"view": access.view_name, **access.details})
        if "cell" not in kwargs:  # not `setdefault`: it would read `instance.cell` (a query) for nothing
            kwargs["cell"] = cell_of(instance)
        # The entry and its cases in one commit, not two (no savepoint when a transaction is open).
        with transaction.atomic(savepoint=False):
            entry = super().log_create(instance, force_log=force_log, **kwargs)
            if entry is not None and access is not None and access.cases:
                AccessedCase.objects.bulk_create(
                    AccessedCase(entry=entry, cell_id=entry.cell_id, case_pk=pk) for pk in access.cases
                )
        return entry


def content_type_key(content_type_id: int) -> str:
    """The object type as the chain hashes it: `app_label.model`."""
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def cell_of(instance: models.Model) -> Any:
    """The cell an object belongs to: itself if it is a cell, else its `cell` attribute."""
    from livc.cells.models import Cell

    if isinstance(instance, Cell):
        return instance
    return getattr(instance, "cell", None)


# Columns the purge may blank (they can echo an object's content); everything else is fixed.
SCRUBBABLE_FIELDS = ("object_repr", "changes_text", "changes", "serialized_data", "additional_data")
# Columns the scrub may set besides those; the trigger refuses a change to any other column.
_SCRUB_MAY_SET = (*SCRUBBABLE_FIELDS, "scrubbed_at")
_FIXED_COLUMNS = (
    "id",
    "content_type_id",
    "object_pk",
    "object_id",
    "action",
    "actor_id",
    "actor_email",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "cell_id",
    "access_kind",
    "event",
    "chain_seq",
    "prev_hash",
    "entry_hash",
    "content_digest",
)
SCRUB_SETTING = "livc.audit_scrub"
# What sealing gives an unsealed entry; the trigger refuses a change to any other column then.
_SEALING_SETS = ("chain_seq", "prev_hash", "entry_hash")
_NOT_SEALING = tuple(column for column in (*_FIXED_COLUMNS, *_SCRUB_MAY_SET) if column not in _SEALING_SETS)


def _unchanged(columns: tuple[str, ...]) -> str:
    return " AND ".join(f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}" for column in columns)


_APPEND_ONLY_FUNC = f"""
IF TG_OP = 'UPDATE'
   AND current_setting('{SCRUB_SETTING}', true) = 'on'
   AND OLD.scrubbed_at IS NULL AND NEW.scrubbed_at IS NOT NULL
   AND {_unchanged(_FIXED_COLUMNS)}
THEN
    RETURN NEW;
END IF;
IF TG_OP = 'UPDATE'
   AND OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL
   AND NEW.prev_hash <> '' AND NEW.entry_hash <> ''
   AND {_unchanged(_NOT_SEALING)}
THEN
    RETURN NEW;
END IF;
RAISE EXCEPTION 'audit entries are append-only: % refused on %', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
"""
_REFUSE = "\n" + _APPEND_ONLY_FUNC[_APPEND_ONLY_FUNC.index("RAISE EXCEPTION") :]  # no exception at all


def append_only_trigger(name: str, func: str) -> pgtrigger.Trigger:
    """On PostgreSQL, refuse UPDATE and DELETE on the table (but what `func` lets through)."""
    return pgtrigger.Trigger(
        name=name, operation=pgtrigger.Update | pgtrigger.Delete, when=pgtrigger.Before, func=func
    )


class LogEntry(AbstractLogEntry):
    # Indexes: every read of the log is scoped to a cell and served by the composite indexes in
    # Meta; django-auditlog's single-column indexes (action, content type, object id, time,
    # cell, and the LIKE twins of object_pk and cid) are left out. Each index costs every
    # insert and every scrub an index entry; the purge's scrub rewrites thousands of rows.
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    rows_without_cell = True  # logins and platform events belong to no cell
    action = models.PositiveSmallIntegerField(_("action"), choices=LogAction.choices)
    content_type = models.ForeignKey(
        to="contenttypes.ContentType",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("content type"),
        db_index=False,
    )
    object_pk = models.CharField(_("object pk"), max_length=255)
    object_id = models.BigIntegerField(_("object id"), blank=True, null=True)
    cid = models.CharField(_("Correlation ID"), max_length=255, blank=True, null=True)
    timestamp = models.DateTimeField(_("timestamp"), default=timezone.now)
    cell = models.ForeignKey(
        "cells.Cell",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cell"),
        db_index=False,
    )
    access_kind = models.CharField(_("access"), max_length=10, choices=AccessKind.choices, blank=True)
    # For action EVENT: which event (see `livc.audit.events`; apps may register more kinds).
    event = models.CharField(_("event"), max_length=40, blank=True)
    # The hash chain of the entry's cell (see `livc.audit.chain`).
    chain_seq = models.PositiveBigIntegerField(_("position in the chain"), null=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)
    content_digest = models.CharField(_("content digest"), max_length=64, blank=True, editable=False)
    scrubbed_at = models.DateTimeField(_("scrubbed"), null=True, blank=True, editable=False)

    objects = CellLogEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["cell", "-timestamp", "-id"], name="audit_cell_time_id"),
            models.Index(fields=["cell", "actor", "-timestamp"], name="audit_cell_actor_time"),
            models.Index(
                fields=["cell", "content_type", "object_pk", "-timestamp"], name="audit_cell_obj_time"
            ),
            models.Index(fields=["object_pk"], name="audit_object_pk"),  # the purge's scrub
            models.Index(fields=["cid"], name="audit_cid"),  # one request's entries
            # The entries waiting for the sealer: few at any time, found without reading the rest.
            models.Index(fields=["cell", "id"], condition=Q(chain_seq__isnull=True), name="audit_unsealed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["cell", "chain_seq"], name="audit_chain_seq_per_cell"),
            models.UniqueConstraint(
                fields=["chain_seq"], condition=Q(cell__isnull=True), name="audit_chain_seq_no_cell"
            ),
        ]
        triggers = [append_only_trigger("audit_append_only", _APPEND_ONLY_FUNC)]

    def __str__(self) -> str:
        return f"Audit entry {self.pk}"

    def _do_insert(self, manager: Any, using: Any, fields: Any, returning_fields: Any, raw: Any) -> Any:
        """Insert the entry unsealed, with the digest of its content taken now.

        No lock: the sealer (`livc.audit.chain.seal_pending`) gives it its place in the cell's
        chain within seconds. Done here rather than in `save()` because django-auditlog fills in
        the actor and the client address in a `pre_save` receiver: only now are all values final.
        """
        self.unsealed()
        return super()._do_insert(manager, using, fields, returning_fields, raw)

    def unsealed(self) -> None:
        """Make this new entry one waiting for the sealer: its content digest, no place yet."""
        self.chain_seq = None
        self.prev_hash = ""
        self.entry_hash = ""
        self.content_digest = digest_of(self)

    def seal(self, seq: int, prev_hash: str) -> None:
        """Make this entry link `seq` of its chain, after the link whose hash is `prev_hash`
        (in memory: the sealer does the same for rows, `livc.audit.chain.seal_pending`)."""
        self.chain_seq = seq
        self.prev_hash = prev_hash
        self.content_digest = self.content_digest or digest_of(self)
        self.entry_hash = hash_of(self, content_type=content_type_key(self.content_type_id))


class ChainHead(models.Model):
    """The newest link of one cell's chain (key 0: entries without a cell).

    The sealer locks this row (`select_for_update`) so that two sealers never extend the chain
    from the same link; requests that write entries never take it. Verification also compares
    it with the last entry, so a deleted tail is noticed, and reads the unverified tail from it.
    """

    key = models.BigIntegerField(primary_key=True)  # the cell's id, or 0
    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"Audit chain {self.key}"

    @staticmethod
    def locked(key: int, using: str, *, skip_locked: bool = False) -> "ChainHead | None":
        """The chain's head row, locked for the rest of the transaction (created if new); with
        `skip_locked`, None when another transaction holds it."""
        heads = ChainHead.objects.using(using).select_for_update(skip_locked=skip_locked)
        head = heads.filter(key=key).first()
        if head is None:
            ChainHead.objects.using(using).bulk_create([ChainHead(key=key)], ignore_conflicts=True)
            head = heads.filter(key=key).first()
        return head

    @staticmethod
    def advance(key: int, using: str, *, seq: int, entry_hash: str) -> None:
        """Move the (locked) head to the chain's new last link."""
        ChainHead.objects.using(using).filter(key=key).update(seq=seq, entry_hash=entry_hash)


class AccessedCase(models.Model):
    """One case whose content an access entry's response showed (docs/rules.md, rule 16).

    A page about one case logs its entry against that case; a list, the minutes, the chairing
    screen, a PDF or the action list show several, and each gets a row here, so that the DPO's
    "who saw case X" finds every reader (`dpo/lookups.py::entries_about_case`). Ids only: the
    row outlives the case's purge as the entry does, and is append-only like it.
    """

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    entry = models.ForeignKey(
        LogEntry, on_delete=models.PROTECT, related_name="accessed_cases", db_index=False
    )
    cell = models.ForeignKey("cells.Cell", on_delete=models.PROTECT, related_name="+", db_index=False)
    case_pk = models.CharField(_("case id"), max_length=255)

    class Meta:
        verbose_name = _("case shown by an access")
        verbose_name_plural = _("cases shown by accesses")
        indexes = [models.Index(fields=["cell", "case_pk"], name="audit_accessed_case")]
        constraints = [
            # also the index behind `entry`
            models.UniqueConstraint(fields=["entry", "case_pk"], name="audit_accessed_case_once")
        ]
        triggers = [append_only_trigger("accessed_case_append_only", _REFUSE)]

    def __str__(self) -> str:
        return f"Case shown by audit entry {self.entry_id}"


class ChainCheckpoint(models.Model):
    """A point up to which a chain was verified: its own chain, sealed like the entries.

    Each checkpoint records the position and the hash of the entry it vouches for, when, how
    many entries the run checked, and the seal of the checkpoint before it; its own `seal`
    covers chain, position, entry hash, time and previous seal (`hashing.checkpoint_seal`).
    Incremental verification starts from the last checkpoint; full verification checks every
    checkpoint against the chain and their seals against each other (ADR 8).
    """

    key = models.BigIntegerField(_("chain"))  # the cell's id, or 0
    seq = models.PositiveBigIntegerField(_("position in the chain"))
    entry_hash = models.CharField(_("hash of the entry"), max_length=64)
    verified_at = models.DateTimeField(_("verified"))
    checked = models.PositiveBigIntegerField(_("entries checked"), default=0)
    previous_seal = models.CharField(_("seal of the previous checkpoint"), max_length=64)
    seal = models.CharField(_("seal"), max_length=64)

    class Meta:
        verbose_name = _("audit chain checkpoint")
        verbose_name_plural = _("audit chain checkpoints")
        constraints = [
            models.UniqueConstraint(fields=["key", "seq"], name="audit_checkpoint_seq"),
            # One successor per checkpoint: two runs extending from the same one cannot both write.
            models.UniqueConstraint(fields=["key", "previous_seal"], name="audit_checkpoint_linear"),
        ]
        triggers = [append_only_trigger("checkpoint_append_only", _REFUSE)]

    def __str__(self) -> str:
        return f"Audit chain {self.key} checkpoint at {self.seq}"

    def expected_seal(self) -> str:
        return checkpoint_seal(
            chain_key=self.key,
            seq=self.seq,
            entry_hash=self.entry_hash,
            verified_at=self.verified_at,
            previous_seal=self.previous_seal,
        )


class VerificationKind(models.TextChoices):
    INCREMENTAL = "incremental", _("new entries")
    FULL = "full", _("full")


class ChainVerification(models.Model):
    """One verification run of one chain and its outcome, for the DPO's overview.

    A full run asked for by the DPO is written first without `started_at` (waiting for its
    task); an incremental run is written when it ends, and only when it checked something or
    found a break (the beat task runs every five minutes).
    """

    key = models.BigIntegerField(_("chain"))
    kind = models.CharField(_("kind"), max_length=12, choices=VerificationKind.choices)
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked for by"),
        db_index=False,
    )
    checked = models.PositiveBigIntegerField(_("entries checked"), default=0)
    scrubbed = models.PositiveBigIntegerField(_("entries emptied by the purge"), default=0)
    up_to_seq = models.PositiveBigIntegerField(_("verified up to position"), default=0)
    pending = models.PositiveBigIntegerField(_("entries waiting to be sealed"), default=0)
    ok = models.BooleanField(_("intact"), null=True)
    broken_entry_id = models.BigIntegerField(_("first broken entry"), null=True, blank=True)
    broken_checkpoint_id = models.BigIntegerField(_("broken checkpoint"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("audit chain verification")
        verbose_name_plural = _("audit chain verifications")
        indexes = [models.Index(fields=["key", "kind", "-requested_at"], name="audit_verification_last")]

    def __str__(self) -> str:
        return f"Audit chain {self.key} verification ({self.kind})"

    @property
    def waiting(self) -> bool:
        return self.finished_at is None
