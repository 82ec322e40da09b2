"""The informing register: informed (when, by whom, what was said) or deferred (why, until when)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, InformingEntry, InformingKind
from livc.accounts.models import User
from livc.cells.models import Membership, Role


@transaction.atomic
def informing_record(
    *,
    member: Membership,
    case: Case,
    kind: str,
    informed_on: datetime.date | None = None,
    informed_by: User | None = None,
    message: str = "",
    deferral_reason: str = "",
    review_on: datetime.date | None = None,
) -> InformingEntry:
    member.require_role(Role.COORDINATOR, Role.INFORMATION_OFFICER)
    today = timezone.localdate()
    errors = {}
    if kind == InformingKind.INFORMED:
        if informed_on is None or informed_on > today:
            errors["informed_on"] = _("Give the date the person was informed (not in the future).")
        if informed_by is None:
            errors["informed_by"] = _("Say who informed the person.")
        if not message.strip():
            errors["message"] = _("Record what was said: no more than that the person was discussed.")
    elif kind == InformingKind.DEFERRED:
        if not deferral_reason.strip():
            errors["deferral_reason"] = _("Give the reason for deferring.")
        if review_on is None or review_on <= today:
            errors["review_on"] = _("Choose a review date after today.")
    else:
        errors["kind"] = _("Choose informed or deferred.")
    if errors:
        raise ValidationError(errors)
    return InformingEntry.objects.create(
        cell=member.cell,
        case=case,
        kind=kind,
        informed_on=informed_on if kind == InformingKind.INFORMED else None,
        informed_by=informed_by if kind == InformingKind.INFORMED else None,
        message=message.strip() if kind == InformingKind.INFORMED else "",
        deferral_reason=deferral_reason.strip() if kind == InformingKind.DEFERRED else "",
        review_on=review_on if kind == InformingKind.DEFERRED else None,
        recorded_by=member.user,
    )
