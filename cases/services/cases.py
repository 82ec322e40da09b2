"""A case's life: opened from a referral, followed up, closed with a reason, reopened."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import workflow
from cases.models import Case, CaseSequence, CaseStatus, Referral, Relation
from cases.services.statistics import stat_case_closed, stat_of_case
from livc.cells.models import Cell, Membership, Role
from livc.crypto.datakeys import destroy_keys, owner_name
from livc.crypto.models import DestroyedBecause
from livc.statistics.models import StatKind


def next_reference(cell: Cell, *, year: int | None = None) -> str:
    """The cell's next reference for this year, e.g. 2026-0007 (call inside a transaction)."""
    year = year or timezone.localdate().year
    sequence, _ = CaseSequence.objects.select_for_update().get_or_create(cell=cell, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{year}-{sequence.last:04d}"


def case_open(*, member: Membership, referral: Referral, aim_signals: str) -> Case:
    case = Case.objects.create(
        cell=member.cell,
        reference=next_reference(member.cell),
        subject=referral.subject,
        referral=referral,
        aim_signals=aim_signals.strip(),
        created_by=member.user,
    )
    stat_of_case(case, StatKind.CASE_OPENED)
    refresh_involves_minor(case)
    return case


def refresh_involves_minor(case: Case) -> None:
    """A case is marked when its subject is a minor, the referral said minors are involved, or a
    relation is a minor (docs/rules.md, rule 11). A case that comes to involve a minor (on
    opening or later) is counted then in the statistics, not again while it stays so."""
    involves = (
        case.subject.is_minor
        or (case.referral is not None and case.referral.minors_involved)
        or case.relations.filter(is_minor=True).exists()
    )
    if involves != case.involves_minor:
        case.involves_minor = involves
        case.save(update_fields=["involves_minor"])
        if involves:
            stat_of_case(case, StatKind.MINOR_INVOLVED)


@transaction.atomic
def case_change_status(*, member: Membership, case: Case, status: str, reason: str = "") -> Case:
    member.require_role(Role.COORDINATOR)
    case = Case.objects.select_for_update().get(pk=case.pk, cell=member.cell)
    workflow.assert_transition(case.status, status)
    if status in workflow.NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the case.")})
    case.status = status
    if status == CaseStatus.CLOSED:
        case.closed_at, case.close_reason = timezone.now(), reason.strip()
    elif case.closed_at is not None:  # reopened
        case.closed_at = None
    case.save()
    if status == CaseStatus.CLOSED:
        stat_case_closed(case)
    return case


@transaction.atomic
def case_set_review(*, member: Membership, case: Case, review_on: datetime.date | None) -> Case:
    member.require_role(Role.COORDINATOR)
    Case.objects.filter(pk=case.pk, cell=member.cell).update(review_on=review_on)
    case.review_on = review_on
    return case


@transaction.atomic
def relation_add(
    *,
    member: Membership,
    case: Case,
    kind: str,
    name: str,
    birth_date: datetime.date | None,
    notes: str,
    is_minor: bool,
) -> Relation:
    from cases.identity import is_minor_on

    member.require_role(Role.COORDINATOR)
    if birth_date and birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("A date of birth cannot lie in the future.")})
    relation = Relation.objects.create(
        cell=member.cell,
        case=case,
        kind=kind,
        name=name.strip(),
        birth_date=birth_date,
        notes=notes.strip(),
        is_minor=is_minor or is_minor_on(birth_date),
        created_by=member.user,
    )
    refresh_involves_minor(case)
    return relation


@transaction.atomic
def relation_remove(*, member: Membership, relation: Relation) -> None:
    member.require_role(Role.COORDINATOR)
    case = relation.case
    # What it said (a minor's name, say) becomes unreadable at once, in every backup too.
    destroy_keys([owner_name(Relation, relation.pk)], because=DestroyedBecause.ERASED)
    relation.delete()
    refresh_involves_minor(case)
