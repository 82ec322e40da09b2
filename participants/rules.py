"""Writes of the rules of procedure and of the acknowledgement of the secrecy of the table
(art. 458ter Sw.; docs/rules.md, rules 2 and 6): the coordinator drafts, a mayor puts a version
in force, and members acknowledge the secrecy under the version in force."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from livc import legal
from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Role
from participants.models import (
    ConfidentialityAcknowledgement,
    RulesOfProcedure,
    RulesStatus,
)


@transaction.atomic
def rules_draft_save(
    *, member: Membership, text: str, draft: RulesOfProcedure | None = None
) -> RulesOfProcedure:
    member.require_role(Role.COORDINATOR)
    if not text.strip():
        raise ValidationError({"text": _("The rules of procedure cannot be empty.")})
    Cell.objects.select_for_update().get(pk=member.cell_id)  # one draft at a time
    if draft is None:
        draft = RulesOfProcedure.objects.filter(cell=member.cell, status=RulesStatus.DRAFT).first()
    if draft is None:
        last = RulesOfProcedure.objects.filter(cell=member.cell).order_by("-version").first()
        draft = RulesOfProcedure(
            cell=member.cell, version=(last.version + 1) if last else 1, drafted_by=member.user
        )
    elif draft.cell_id != member.cell_id or draft.status != RulesStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed; an approved version stays as it was."))
    draft.text = text.strip()
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def rules_approve(*, member: Membership, rules: RulesOfProcedure) -> RulesOfProcedure:
    """A mayor puts a draft in force; the version in force until now is superseded."""
    member.require_role(Role.MAYOR)
    Cell.objects.select_for_update().get(pk=member.cell_id)
    rules = RulesOfProcedure.objects.get(pk=rules.pk, cell=member.cell)
    if rules.status != RulesStatus.DRAFT:
        raise ValidationError(_("This version is not a draft."))
    RulesOfProcedure.objects.filter(cell=member.cell, status=RulesStatus.IN_FORCE).update(
        status=RulesStatus.SUPERSEDED
    )
    rules.status, rules.approved_by, rules.approved_at = RulesStatus.IN_FORCE, member.user, timezone.now()
    rules.save()
    return rules


@transaction.atomic
def acknowledgement_record(*, cell: Cell, user: User) -> ConfidentialityAcknowledgement:
    rules = RulesOfProcedure.objects.filter(cell=cell, status=RulesStatus.IN_FORCE).first()
    return ConfidentialityAcknowledgement.objects.create(
        cell=cell, user=user, rules=rules, statement_version=legal.secrecy_statement(cell).version
    )
