"""Writes of the DPO console: the breach register and the cell's unusual-access thresholds."""

from typing import Any

from django.db import transaction
from django.db.models import Max

from dpo.models import AuditSettings, Breach
from dpo.selectors import assert_dpo
from livc.accounts.models import User
from livc.cells.models import Cell


@transaction.atomic
def breach_create(*, cell: Cell, recorded_by: User, data: dict[str, Any]) -> Breach:
    """Record an incident with the next number of the cell's register."""
    assert_dpo(cell=cell, user=recorded_by)
    Cell.objects.select_for_update().filter(pk=cell.pk).first()  # numbers are handed out one at a time
    number = (Breach.objects.filter(cell=cell).aggregate(top=Max("number"))["top"] or 0) + 1
    breach = Breach(cell=cell, number=number, recorded_by=recorded_by)
    for name in Breach.RECORDED_FIELDS:
        setattr(breach, name, data.get(name, getattr(breach, name)))
    breach.full_clean()
    breach.save()
    return breach


@transaction.atomic
def breach_update(*, breach: Breach, user: User, data: dict[str, Any]) -> Breach:
    """Change an incident; the audit log records who changed which fields (not their content)."""
    assert_dpo(cell=breach.cell, user=user)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    changed = [
        name for name in Breach.RECORDED_FIELDS if name in data and data[name] != getattr(breach, name)
    ]
    if not changed:
        return breach
    for name in changed:
        setattr(breach, name, data[name])
    breach.version += 1
    breach.full_clean()
    breach._changed_fields = changed  # type: ignore[attr-defined]  # read by get_additional_data
    breach.save()
    return breach


@transaction.atomic
def audit_settings_update(*, cell: Cell, user: User, data: dict[str, Any]) -> AuditSettings:
    assert_dpo(cell=cell, user=user)
    rules = AuditSettings.objects.select_for_update().filter(cell=cell).first() or AuditSettings(cell=cell)
    for name in AuditSettings.THRESHOLD_FIELDS:
        if name in data:
            setattr(rules, name, data[name])
    rules.full_clean()
    rules.save()
    return rules
