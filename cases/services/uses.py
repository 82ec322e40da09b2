"""The item-use ledger: an item goes beyond the table's discussion only with its owner's consent
to that use (docs/rules.md, rule 9; docs/adr/0013-item-use-ledger-and-access-requests.md).

A decision that passes feedback to the Local Taskforce, informs the person or shares information
with a partner lists the items it uses; recording it asks each item's owner (`uses_ask`). Only
the owner answers, for that use alone, and may change the answer until the use is carried out
(`use_answer`). What is carried out is only what has the owner's consent: the information
officer's pass-on and the informing register's "informed" carry out a decision's consented
uses (`uses_carry_out`); a share with a partner is recorded per use (`use_record_shared`). The
check constraint `item_use_carried_out_with_consent` refuses any other row, whatever writes it.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.decisions import decision_facts
from cases.models import Case, InformationItem, ItemUse, UseConsent, UseKind
from cases.models.informing import INFORMING_KEEPERS
from livc.accounts.models import User
from livc.cells.models import Membership, Role


def _carriers(kind: str) -> tuple[str, ...]:
    """Who carries out a decision's consented uses: the information officer passes feedback on to
    the Local Taskforce (rule 12); whoever informs the person keeps the informing register (rule 13)."""
    carriers: dict[str, tuple[str, ...]] = {
        UseKind.LTF_FEEDBACK: (Role.INFORMATION_OFFICER,),
        UseKind.INFORMING: INFORMING_KEEPERS,
    }
    return carriers.get(kind, ())


def _item_ids(items: Iterable[InformationItem | uuid.UUID | str]) -> set[uuid.UUID]:
    ids = set()
    for item in items:
        value = item.pk if isinstance(item, InformationItem) else item
        try:
            ids.add(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            raise ValidationError({"items": _("Choose among the information of this case.")}) from None
    return ids


@transaction.atomic
def uses_ask(
    *,
    member: Membership,
    case: Case,
    decision_id: uuid.UUID,
    kind: str,
    items: Iterable[InformationItem | uuid.UUID | str],
    partner: str = "",
) -> list[ItemUse]:
    """The decision `decision_id` uses these items of the case: each owner's consent is asked.

    Only information shared with the table can be used, and none that was withdrawn. Asking
    again for the same decision and item keeps the first use (the same decision sent twice)."""
    member.require_role(Role.COORDINATOR)
    if kind not in UseKind.values:
        raise ValidationError(_("Choose how the information is used."))
    partner = partner.strip() if kind == UseKind.PARTNER else ""
    if kind == UseKind.PARTNER and not partner:
        raise ValidationError({"partner": _("Name the partner the information is shared with.")})
    wanted = _item_ids(items)
    found = list(
        InformationItem.objects.filter(cell=member.cell, case=case, pk__in=wanted)
        .only("pk", "case", "consent", "withdrawn_at", "shared_on", "created_at")
        .order_by("shared_on", "created_at")
    )
    if len(found) != len(wanted):
        raise ValidationError({"items": _("Choose among the information of this case.")})
    if any(item.withdrawn_at is not None for item in found):
        raise ValidationError({"items": _("Information that was withdrawn cannot be used.")})
    if any(not item.consent for item in found):
        raise ValidationError(
            {"items": _("Only information shared with the table can be used: its owner keeps the rest.")}
        )
    asked = set(
        ItemUse.objects.filter(decision_id=decision_id, item__in=found).values_list("item_id", flat=True)
    )
    return [
        ItemUse.objects.create(
            item=item, kind=kind, decision_id=decision_id, partner=partner, asked_by=member.user
        )
        for item in found
        if item.pk not in asked
    ]


def _locked(member: Membership, use: ItemUse) -> ItemUse:
    """The use, locked, with its item and the item's owner (404-like for another cell's)."""
    return (
        ItemUse.objects.select_for_update(of=("self",))
        .select_related("item__owner")
        .get(pk=use.pk, item__cell=member.cell)
    )


def _is_owner(member: Membership, use: ItemUse) -> bool:
    return use.item.owner.membership_id == member.pk


@transaction.atomic
def use_answer(*, member: Membership, use: ItemUse, consent: bool) -> ItemUse:
    """The item's owner gives or refuses consent to this use; she may change her answer until the
    use is carried out. Nobody else answers for her, not even the coordinator (ADR 13)."""
    use = _locked(member, use)
    if not _is_owner(member, use):
        raise PermissionDenied(_("Only the participant who brought this information answers for it."))
    if use.item.withdrawn_at is not None:
        raise ValidationError(
            _("This information was withdrawn: it is used nowhere, so there is nothing to answer.")
        )
    if use.carried_out_at is not None:
        raise ValidationError(
            _("This use was carried out on %(date)s: the answer given then is final.")
            % {"date": date_format(timezone.localtime(use.carried_out_at), "DATE_FORMAT")}
        )
    facts = decision_facts([use.decision_id]).get(use.decision_id)
    if facts is not None and facts.over:
        raise ValidationError(
            _("%(why)s Nothing more of this decision is carried out: there is nothing to answer.")
            % {"why": facts.ended}
        )
    answer = UseConsent.GIVEN if consent else UseConsent.REFUSED
    if use.consent != answer:  # the same answer again changes nothing, not even its date
        use.consent, use.consent_at = answer, timezone.now()
        use.save(update_fields=["consent", "consent_at"])
    return use


@dataclass(frozen=True)
class CarriedOut:
    """What carrying out a decision's uses did: the uses carried out now, and those left."""

    done: list[ItemUse] = field(default_factory=list)  # carried out now
    earlier: list[ItemUse] = field(default_factory=list)  # carried out before
    awaiting: list[ItemUse] = field(default_factory=list)  # the owner has not answered
    refused: list[ItemUse] = field(default_factory=list)  # the owner refused
    withdrawn: list[ItemUse] = field(default_factory=list)  # the owner withdrew the item

    @property
    def left(self) -> int:
        return len(self.awaiting) + len(self.refused) + len(self.withdrawn)


def _carry_out(use: ItemUse, user: User) -> None:
    use.carried_out_at, use.carried_out_by = timezone.now(), user
    use.save(update_fields=["carried_out_at", "carried_out_by"])


@transaction.atomic
def uses_carry_out(*, member: Membership, decision_id: uuid.UUID, kind: str) -> CarriedOut:
    """Carry out the uses of a decision whose owners consented, in `member`'s name: the feedback
    passed on to the Local Taskforce (the information officer), the person informed (whoever
    informed them). The others are left, and may be carried out by calling again once their
    owner consents; an item without its owner's consent is never carried out."""
    carriers = _carriers(kind)
    if not carriers:
        raise ValidationError(_("A share with a partner is recorded use by use."))
    member.require_role(*carriers)
    uses = (
        ItemUse.objects.select_for_update(of=("self",))
        .filter(decision_id=decision_id, kind=kind, item__cell=member.cell)
        .annotate(item_withdrawn_at=F("item__withdrawn_at"))
        .order_by("asked_at", "pk")
    )
    result = CarriedOut()
    for use in uses:
        if use.carried_out_at is not None:
            result.earlier.append(use)
        elif use.item_withdrawn_at is not None:  # annotated above
            result.withdrawn.append(use)
        elif use.consent == UseConsent.REFUSED:
            result.refused.append(use)
        elif use.consent == UseConsent.ASKED:
            result.awaiting.append(use)
        else:
            _carry_out(use, member.user)
            result.done.append(use)
    return result


@transaction.atomic
def use_record_shared(*, member: Membership, use: ItemUse) -> ItemUse:
    """The coordinator or the item's owner records that the item was shared with the partner the
    decision names: only once its owner consented. Recording it again changes nothing."""
    use = _locked(member, use)
    if not (member.role == Role.COORDINATOR or _is_owner(member, use)):
        raise PermissionDenied(
            _("The coordinator or the participant who brought the information records it.")
        )
    if use.kind != UseKind.PARTNER:
        raise ValidationError(_("Only a share with a partner is recorded here."))
    if use.carried_out_at is not None:
        return use
    if use.item.withdrawn_at is not None:
        raise ValidationError(_("This information was withdrawn: it may not be shared."))
    if use.consent != UseConsent.GIVEN:
        raise ValidationError(_("Its owner has not consented: the information may not be shared."))
    _carry_out(use, member.user)
    return use
