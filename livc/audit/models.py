"""The audit log: django-auditlog's entry, extended with the cell, the kind of access, events and
a hash chain; plus the DPO's own records (per-cell signal thresholds, the breach register).

Entries record who created, changed, deleted or accessed what, never the personal data
itself: models are registered with their non-personal fields only and their `__str__`
carries no name (see each app's `audit.py`).

The entry table is append-only for the application. On PostgreSQL a trigger refuses every
UPDATE and DELETE, except the retention purge's scrub (`services.scrub_entries_for_objects`),
which may only blank the scrubbable columns and stamp `scrubbed_at`, after switching the
exception on for its own transaction (`SET LOCAL livc.audit_scrub = 'on'`).
"""

import datetime
import uuid
from typing import Any

import pgtrigger
from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livc.audit.context import current_access
from livc.crypto.fields import EncryptedTextField


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
        kwargs.setdefault("cell", cell_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)


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

_APPEND_ONLY_FUNC = f"""
IF TG_OP = 'UPDATE'
   AND current_setting('{SCRUB_SETTING}', true) = 'on'
   AND OLD.scrubbed_at IS NULL AND NEW.scrubbed_at IS NOT NULL
   AND {" AND ".join(f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}" for column in _FIXED_COLUMNS)}
THEN
    RETURN NEW;
END IF;
RAISE EXCEPTION 'audit entries are append-only: % refused on %', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
"""


class LogEntry(AbstractLogEntry):
    # Indexes: every read of the log is scoped to a cell and served by the composite indexes in
    # Meta; django-auditlog's single-column indexes (action, content type, object id, time,
    # cell, and the LIKE twins of object_pk and cid) are left out. Each index costs every
    # insert and every scrub an index entry; the purge's scrub rewrites thousands of rows.
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
        ]
        constraints = [
            models.UniqueConstraint(fields=["cell", "chain_seq"], name="audit_chain_seq_per_cell"),
            models.UniqueConstraint(
                fields=["chain_seq"], condition=Q(cell__isnull=True), name="audit_chain_seq_no_cell"
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="audit_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                func=_APPEND_ONLY_FUNC,
            ),
        ]

    def __str__(self) -> str:
        return f"Audit entry {self.pk}"

    def _do_insert(self, manager: Any, using: Any, fields: Any, returning_fields: Any, raw: Any) -> Any:
        """Seal the entry into its cell's hash chain as it is inserted.

        Done here rather than in `save()` because django-auditlog fills in the actor and the
        client address in a `pre_save` receiver: only now are all hashed values final.
        """
        from livc.audit.chain import sealed_insert

        return sealed_insert(
            self,
            using,
            lambda: super(LogEntry, self)._do_insert(manager, using, fields, returning_fields, raw),
        )


class ChainHead(models.Model):
    """The newest link of one cell's chain (key 0: entries without a cell).

    Writers lock this row (`select_for_update`) so that two of them never extend the chain
    from the same link; verification also compares it with the last entry, so a deleted tail
    is noticed.
    """

    key = models.BigIntegerField(primary_key=True)  # the cell's id, or 0
    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"Audit chain {self.key}"


class AuditSettings(models.Model):
    """Per-cell thresholds of the unusual-access signals; a cell without a row uses the defaults."""

    cell = models.OneToOneField("cells.Cell", on_delete=models.PROTECT, related_name="+", primary_key=True)
    burst_objects = models.PositiveIntegerField(
        _("distinct objects"),
        default=20,
        help_text=_("Signal a user who opens more than this many different objects within the window."),
    )
    burst_minutes = models.PositiveIntegerField(_("window (minutes)"), default=10)
    office_hours_start = models.PositiveSmallIntegerField(_("office hours start (hour)"), default=7)
    office_hours_end = models.PositiveSmallIntegerField(_("office hours end (hour)"), default=19)
    weekends_are_off_hours = models.BooleanField(_("weekends count as outside office hours"), default=True)
    exports_per_day = models.PositiveIntegerField(
        _("exports and downloads per day"),
        default=10,
        help_text=_("Signal a user who exports or downloads more than this many times in one day."),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("audit settings")
        verbose_name_plural = _("audit settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(office_hours_start__lt=models.F("office_hours_end"), office_hours_end__lte=24),
                name="audit_settings_office_hours_in_order",
            ),
            models.CheckConstraint(condition=Q(burst_minutes__gte=1), name="audit_settings_window_positive"),
        ]

    def __str__(self) -> str:
        return f"Audit settings {self.pk}"


class SupervisoryAuthority(models.TextChoices):
    GBA_APD = "gba_apd", _("Data Protection Authority (GBA/APD)")
    VTC = "vtc", _("Flemish Supervisory Commission (Vlaamse Toezichtcommissie)")


class Breach(models.Model):
    """An incident in the cell's breach register (GDPR art. 33-34; DESIGN.md rule 16).

    The authority must be informed within 72 hours of discovery, unless the breach is unlikely
    to result in a risk, which the register must then say and why. The free-text fields may
    describe people: they are never written to the audit log (only which fields changed).
    TODO(crypto): store the free-text fields with livc.crypto's encrypted fields once they exist
    (the UUID primary key is there for that).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey("cells.Cell", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    discovered_at = models.DateTimeField(_("discovered at"))
    description = EncryptedTextField(_("what happened"))
    data_concerned = EncryptedTextField(_("data concerned"))
    cases_concerned = EncryptedTextField(_("cases concerned"), blank=True)
    measures = EncryptedTextField(_("measures taken"), blank=True)
    authority = models.CharField(
        _("supervisory authority"), max_length=16, choices=SupervisoryAuthority.choices, blank=True
    )
    authority_informed_at = models.DateTimeField(_("authority informed at"), null=True, blank=True)
    authority_not_informed_reason = EncryptedTextField(_("why the authority is not informed"), blank=True)
    subjects_informed_at = models.DateTimeField(_("people concerned informed at"), null=True, blank=True)
    subjects_not_informed_reason = EncryptedTextField(
        _("why the people concerned are not informed"), blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    version = models.PositiveIntegerField(
        default=1, editable=False
    )  # every edit bumps it: one log entry each

    # GDPR art. 33: notify the supervisory authority within 72 hours of becoming aware.
    AUTHORITY_DEADLINE = datetime.timedelta(hours=72)

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-discovered_at"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "number"], name="breach_number_per_cell"),
        ]

    def __str__(self) -> str:
        return f"Breach {self.number}"

    def get_additional_data(self) -> dict[str, Any] | None:
        """Which fields an edit changed (names only): the history without the content."""
        changed = getattr(self, "_changed_fields", None)
        return {"changed_fields": changed} if changed else None

    def clean(self) -> None:
        now = timezone.now() + datetime.timedelta(minutes=5)  # some slack for clocks
        errors: dict[str, Any] = {}
        if self.discovered_at and self.discovered_at > now:
            errors["discovered_at"] = _("The discovery cannot lie in the future.")
        both = {
            "authority_not_informed_reason": _(
                "Give either when the authority was informed or why it is not, not both."
            ),
            "subjects_not_informed_reason": _(
                "Give either when the people concerned were informed or why they are not, not both."
            ),
        }
        for moment, reason in (
            ("authority_informed_at", "authority_not_informed_reason"),
            ("subjects_informed_at", "subjects_not_informed_reason"),
        ):
            value = getattr(self, moment)
            if value and getattr(self, reason).strip():
                errors[reason] = both[reason]
            if value and value > now:
                errors[moment] = _("This moment cannot lie in the future.")
            elif value and self.discovered_at and value < self.discovered_at:
                errors[moment] = _("This moment cannot lie before the discovery.")
        if self.authority_informed_at and not self.authority:
            errors["authority"] = _("Say which supervisory authority was informed.")
        if errors:
            raise ValidationError(errors)

    @property
    def authority_due_at(self) -> datetime.datetime:
        return self.discovered_at + self.AUTHORITY_DEADLINE

    def authority_overdue(self, now: datetime.datetime | None = None) -> bool:
        """The 72 hours have passed, the authority was not informed and no reason says why not."""
        if self.authority_informed_at or self.authority_not_informed_reason:
            return False
        return (now or timezone.now()) >= self.authority_due_at
