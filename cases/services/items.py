"""Information items: brought by one participant, theirs to withdraw (docs/rules.md, rules 9 and 10)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.categories import categories_offered
from cases.models import Case, InformationItem
from livc.cells.models import Membership
from livc.crypto.datakeys import destroy_keys, owner_name
from livc.crypto.models import DestroyedBecause
from livc.legal import DataCategory
from participants.models import Participant


@transaction.atomic
def item_add(
    *,
    member: Membership,
    case: Case,
    text: str,
    category: str,
    shared_on: datetime.date,
    consent: bool,
    justification: str = "",
) -> InformationItem:
    """The caller has checked the member may see the case; the item is owned by their seat profile.
    `category` is the key of one of the categories the cell offers (`cases/categories.py`); the item
    keeps the name a cell's own category had, and whether it was special, as they were when shared."""
    owner = Participant.objects.filter(membership=member).select_related("organisation").first()
    if owner is None:
        raise PermissionDenied(_("Only someone seated at the table for an organisation can add information."))
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the information you bring to the table.")
    chosen = next((offered for offered in categories_offered(case.cell) if offered.key == category), None)
    if chosen is None:
        errors["category"] = _("Choose one of the data categories this cell uses.")
    elif chosen.needs_justification and not justification.strip():
        errors["justification"] = _("For “other data”, say why the purpose of the table needs it.")
    if shared_on > timezone.localdate():
        errors["shared_on"] = _("The date cannot lie in the future.")
    if errors or chosen is None:
        raise ValidationError(errors)
    return InformationItem.objects.create(
        cell=member.cell,
        case=case,
        owner=owner,
        organisation=owner.organisation,
        shared_on=shared_on,
        category=chosen.key,
        # The decree's names are translated when shown; a cell's own keeps the rules' wording.
        category_name="" if chosen.key in DataCategory.values else str(chosen.name),
        category_special=chosen.special,
        text=text.strip(),
        justification=justification.strip(),
        consent=consent,
        created_by=member.user,
    )


@transaction.atomic
def item_withdraw(*, member: Membership, item: InformationItem) -> InformationItem:
    """Only the owner withdraws; the item's data key is destroyed, so that what it said is
    unreadable at once, in every backup too (docs/adr/0010); its text is blanked (under a new key)
    and it disappears from every view."""
    item = InformationItem.objects.select_for_update().select_related("owner__membership").get(pk=item.pk)
    if item.owner.membership_id != member.pk:
        raise PermissionDenied(_("Only the participant who brought this information can withdraw it."))
    if item.withdrawn_at is None:
        item.withdrawn_at = timezone.now()
        destroy_keys(
            [owner_name(InformationItem, item.pk)], because=DestroyedBecause.WITHDRAWN, when=item.withdrawn_at
        )
        item.text, item.justification = "", ""
        item.save()
    return item
