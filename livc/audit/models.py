"""The audit log: django-auditlog's entry, extended with the cell and the kind of access.

Entries record who created, changed, deleted or accessed what, never the personal data
itself: models are registered with their non-personal fields only and their `__str__`
carries no name (see each app's `audit.py`).
"""

from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.audit.context import current_access


class AccessKind(models.TextChoices):
    VIEW = "view", _("viewed")
    DOWNLOAD = "download", _("downloaded")
    EXPORT = "export", _("exported")


class CellLogEntryManager(LogEntryManager):
    def log_create(self, instance: models.Model, force_log: bool = False, **kwargs: Any) -> Any:
        """Add the cell the object belongs to and, for an access, what kind of access it was."""
        access = current_access()
        if access is not None and kwargs.get("action") == AbstractLogEntry.Action.ACCESS:
            kwargs.setdefault("cell", access.cell)
            kwargs.setdefault("access_kind", access.kind)
            kwargs.setdefault("additional_data", {"view": access.view_name})
        kwargs.setdefault("cell", cell_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)


def cell_of(instance: models.Model) -> Any:
    """The cell an object belongs to: itself if it is a cell, else its `cell` attribute."""
    from livc.cells.models import Cell

    if isinstance(instance, Cell):
        return instance
    return getattr(instance, "cell", None)


class LogEntry(AbstractLogEntry):
    cell = models.ForeignKey(
        "cells.Cell",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cell"),
    )
    access_kind = models.CharField(_("access"), max_length=10, choices=AccessKind.choices, blank=True)

    objects = CellLogEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["cell", "-timestamp"], name="audit_cell_time")]
