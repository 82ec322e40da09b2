"""Writes of the DPO console: the breach register and the cell's unusual-access thresholds;
and the one write open to every member of the cell, reporting a suspected breach."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from dpo.models import AuditSettings, Breach, BreachStatus
from dpo.selectors import assert_dpo, breach_report_recipients
from dpo.tasks import send_breach_report_notice
from livc import legal
from livc.accounts.models import User
from livc.audit.events import record_event
from livc.cells.models import Cell, Membership
from livc.outbox.services import enqueue

BREACH_REPORTED = "breach_reported"  # the event kind (registered in DpoConfig.ready)


def _next_number(cell: Cell) -> int:
    """The next number of the cell's register; call inside the transaction that saves it."""
    Cell.objects.select_for_update().filter(pk=cell.pk).first()  # numbers are handed out one at a time
    return (Breach.objects.filter(cell=cell).aggregate(top=Max("number"))["top"] or 0) + 1


def _check_authority(cell: Cell, authority: str) -> None:
    """Only an authority the cell's legal framework offers may be recorded (livc/legal.py): a cell
    under federal law alone has no Flemish supervisory commission."""
    if authority and authority not in dict(legal.supervisory_authorities(cell)):
        message = _("Choose one of the supervisory authorities of this cell's legal framework.")
        raise ValidationError({"authority": ValidationError(message, code="authority_not_offered")})


@transaction.atomic
def breach_create(*, cell: Cell, recorded_by: User, data: dict[str, Any]) -> Breach:
    """Record an incident with the next number of the cell's register; its supervisory authority is
    one the cell's legal framework offers."""
    assert_dpo(cell=cell, user=recorded_by)
    number = _next_number(cell)
    breach = Breach(cell=cell, number=number, recorded_by=recorded_by)
    for name in Breach.RECORDED_FIELDS:
        setattr(breach, name, data.get(name, getattr(breach, name)))
    _check_authority(cell, breach.authority)
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
    if "authority" in changed:  # one recorded before stays as it is, if nothing changes it
        _check_authority(breach.cell, data["authority"])
    for name in changed:
        setattr(breach, name, data[name])
    if breach.status == BreachStatus.REPORTED:  # the DPO has taken the member's report in hand
        breach.status = BreachStatus.RECORDED
        changed.append("status")
    breach.version += 1
    breach.full_clean()
    breach._changed_fields = changed  # type: ignore[attr-defined]  # read by get_additional_data
    breach.save()
    return breach


@dataclass(frozen=True)
class BreachReport:
    breach: Breach
    created: bool  # False: the same form was sent again, and nothing was done twice


@transaction.atomic
def breach_report(
    *,
    cell: Cell,
    reported_by: User,
    token: uuid.UUID,
    description: str,
    discovered_at: datetime.datetime,
    occurred_at: datetime.datetime | None = None,
) -> BreachReport:
    """Any member reports a suspected breach (docs/rules.md, rule 16): it opens an entry of the
    register, whose 72 hours run from `discovered_at`, the moment the member noticed it.

    The cell's DPOs (or, without one, its coordinators) are mailed once the transaction commits;
    the mail names neither the reporter nor what was reported. `token` is the report form's
    one-time token: the same form sent twice returns the first entry and mails nobody again.
    """
    if not Membership.objects.effective().filter(cell=cell, user=reported_by).exists():
        raise Http404("Not a member of this cell.")
    number = _next_number(cell)  # also serialises two submits of the same form
    existing = Breach.objects.filter(report_token=token).first()
    if existing is not None:
        if existing.cell_id != cell.pk or existing.reported_by_id != reported_by.pk:
            raise ValidationError(_("This form was already used. Reload the page and send it again."))
        return BreachReport(existing, created=False)
    breach = Breach(
        cell=cell,
        number=number,
        status=BreachStatus.REPORTED,
        recorded_by=reported_by,
        reported_by=reported_by,
        report_token=token,
        description=description,
        discovered_at=discovered_at,
        occurred_at=occurred_at,
    )
    breach.full_clean()
    breach.save()
    recipients = breach_report_recipients(cell=cell)
    record_event(
        BREACH_REPORTED,
        cell=cell,
        actor=reported_by,
        instance=breach,
        data={"number": breach.number, "notified_role": recipients.role, "notified": len(recipients.users)},
    )
    breach_id = str(breach.pk)
    enqueue(send_breach_report_notice, breach_id=breach_id)
    return BreachReport(breach, created=True)


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
