"""Writes of the audit app: the purge's scrub, the breach register, the signal thresholds."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from livc.accounts.models import User
from livc.audit.events import EventKind, record_event
from livc.audit.models import SCRUB_SETTING, AuditSettings, Breach, LogEntry
from livc.audit.selectors import assert_dpo
from livc.cells.models import Cell


def scrub_entries_for_object(
    *, model: type[models.Model] | str, object_pk: Any, actor: User | None = None
) -> int:
    """Blank the content of every audit entry about one object; for the retention purge (issue 7).

    The entries stay (who did what to which object, when), but `object_repr`, `changes_text`,
    `changes`, `serialized_data` and `additional_data` are emptied and `scrubbed_at` is set.
    On PostgreSQL the append-only trigger allows exactly this, and only inside this
    function's transaction. The hash chain stays verifiable (see `livc.audit.chain`).
    The scrub itself is logged as an event in each cell concerned. Returns the number of
    entries scrubbed; a second call finds none left.
    """
    content_type = (
        ContentType.objects.get_by_natural_key(*model.lower().split("."))
        if isinstance(model, str)
        else ContentType.objects.get_for_model(model)
    )
    entries = LogEntry.objects.filter(content_type=content_type, object_pk=str(object_pk)).exclude(
        event=EventKind.ENTRIES_SCRUBBED
    )
    return _scrub(entries, actor=actor)


@transaction.atomic
def _scrub(entries: QuerySet[LogEntry], *, actor: User | None) -> int:
    entries = entries.filter(scrubbed_at__isnull=True)
    cells = list(entries.order_by().values_list("cell_id", "content_type_id", "object_pk").distinct())
    _allow_scrub(True)
    count = entries.update(
        object_repr="",
        changes_text="",
        changes=None,
        serialized_data=None,
        additional_data=None,
        scrubbed_at=timezone.now(),
    )
    _allow_scrub(False)
    for cell_id, content_type_id, object_pk in cells:
        record_event(
            EventKind.ENTRIES_SCRUBBED,
            cell=Cell.objects.filter(pk=cell_id).first() if cell_id else None,
            actor=actor,
            data={"content_type": content_type_id, "object_pk": object_pk},
        )
    return count


def _allow_scrub(on: bool) -> None:
    """Switch the trigger's exception on or off for the current transaction (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [SCRUB_SETTING, "on" if on else "off"])


BREACH_FIELDS = (
    "discovered_at",
    "description",
    "data_concerned",
    "cases_concerned",
    "measures",
    "authority",
    "authority_informed_at",
    "authority_not_informed_reason",
    "subjects_informed_at",
    "subjects_not_informed_reason",
)


@transaction.atomic
def breach_create(*, cell: Cell, recorded_by: User, data: dict[str, Any]) -> Breach:
    """Record an incident with the next number of the cell's register."""
    assert_dpo(cell=cell, user=recorded_by)
    Cell.objects.select_for_update().filter(pk=cell.pk).first()  # numbers are handed out one at a time
    number = (Breach.objects.filter(cell=cell).aggregate(top=Max("number"))["top"] or 0) + 1
    breach = Breach(cell=cell, number=number, recorded_by=recorded_by)
    for name in BREACH_FIELDS:
        setattr(breach, name, data.get(name, getattr(breach, name)))
    breach.full_clean()
    breach.save()
    return breach


@transaction.atomic
def breach_update(*, breach: Breach, user: User, data: dict[str, Any]) -> Breach:
    """Change an incident; the audit log records who changed which fields (not their content)."""
    assert_dpo(cell=breach.cell, user=user)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    changed = [name for name in BREACH_FIELDS if name in data and data[name] != getattr(breach, name)]
    if not changed:
        return breach
    for name in changed:
        setattr(breach, name, data[name])
    breach.version += 1
    breach.full_clean()
    breach._changed_fields = changed  # type: ignore[attr-defined]  # read by get_additional_data
    breach.save()
    return breach


SETTINGS_FIELDS = (
    "burst_objects",
    "burst_minutes",
    "office_hours_start",
    "office_hours_end",
    "weekends_are_off_hours",
    "exports_per_day",
)


@transaction.atomic
def audit_settings_update(*, cell: Cell, user: User, data: dict[str, Any]) -> AuditSettings:
    assert_dpo(cell=cell, user=user)
    rules = AuditSettings.objects.select_for_update().filter(cell=cell).first() or AuditSettings(cell=cell)
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(rules, name, data[name])
    rules.full_clean()
    rules.save()
    return rules
