"""What the cases app counts for the cell's statistics (`livc/statistics`, anonymous events).

A referral's events, and those of the case it became, carry the referral's municipality; a
referral received carries the referrer's organisation type (or `NO_ORGANISATION`), a qualified
one its outcome. Each is recorded by the service that makes the change, in its transaction.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Referral, ReferralStatus
from livc.statistics import categories
from livc.statistics.models import StatEvent, StatKind
from livc.statistics.services import stat_record, whole_months
from participants.models import OrganisationType

# A referral made by a member who sits for no organisation (the coordinator, the mayor...).
NO_ORGANISATION = "none"
QUALIFICATION_OUTCOMES = (ReferralStatus.RETAINED, ReferralStatus.NOT_RETAINED, ReferralStatus.REDIRECTED)


def register_categories() -> None:
    """The closed lists of the referral's categories (called from the app's `ready()`)."""
    categories.register(
        StatKind.REFERRAL_RECEIVED, [*OrganisationType.choices, (NO_ORGANISATION, _("No organisation"))]
    )
    categories.register(
        StatKind.REFERRAL_QUALIFIED, [(outcome.value, outcome.label) for outcome in QUALIFICATION_OUTCOMES]
    )


def stat_of_referral(referral: Referral, kind: str, *, detail: str = "") -> StatEvent:
    """Count something that happened to a referral today, for its municipality."""
    return stat_record(
        cell=referral.cell,
        kind=kind,
        on=timezone.localdate(),
        municipality=referral.municipality,
        detail=detail,
    )


def stat_of_case(
    case: Case, kind: str, *, on: datetime.date | None = None, months: int | None = None
) -> StatEvent:
    """Count something that happened to a case (today unless `on`), for its referral's municipality."""
    referral = case.referral
    return stat_record(
        cell=case.cell,
        kind=kind,
        on=on or timezone.localdate(),
        municipality=referral.municipality if referral is not None else None,
        months=months,
    )


def stat_case_closed(case: Case) -> StatEvent:
    """A case closed, with the whole months since it was opened."""
    assert case.closed_at is not None
    closed_on = timezone.localdate(case.closed_at)
    months = whole_months(timezone.localdate(case.opened_at), closed_on)
    return stat_of_case(case, StatKind.CASE_CLOSED, on=closed_on, months=months)
