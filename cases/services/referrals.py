"""Filing a referral and qualifying it: retained (a case), not retained, or redirected."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import notifications
from cases.models import Case, Referral, ReferralStatus, Subject
from cases.services.cases import case_open
from cases.services.identity import (
    Identity,
    apply_identity,
    identity_request,
    identity_withheld,
    refresh_minor,
)
from cases.services.seats import seat_participant
from cases.services.statistics import NO_ORGANISATION, stat_of_referral
from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Municipality, Role
from livc.cells.notices import figures_changed
from livc.statistics.models import StatKind
from participants.models import Participant

TEXT_LIMIT = 10_000


@dataclass(frozen=True)
class ReferralData:
    referred_on: datetime.date
    signals: str
    pseudonym: str
    discussed_internally: bool
    context: str = ""
    existing_support: str = ""
    urgency: str = "normal"
    minors_involved: bool = False
    subject_is_minor: bool = False
    identity: Identity = field(default_factory=Identity)
    identity_reason: str = ""
    # Asked when the cell covers several municipalities; else the only one is taken.
    municipality: Municipality | None = None


def _validate(data: ReferralData) -> None:
    errors: dict[str, str] = {}
    if not data.discussed_internally:
        errors["discussed_internally"] = _(
            "Discuss the signal within your own organisation first, then confirm it here."
        )
    if data.referred_on > timezone.localdate():
        errors["referred_on"] = _("The date of the signal cannot lie in the future.")
    if not data.signals.strip():
        errors["signals"] = _("Describe the signals and concerns: they are what the table assesses.")
    if not data.pseudonym.strip():
        errors["pseudonym"] = _("Give a pseudonym the table can use instead of the name.")
    if data.identity.birth_date and data.identity.birth_date > timezone.localdate():
        errors["birth_date"] = _("A date of birth cannot lie in the future.")
    if errors:
        raise ValidationError(errors)


def referral_municipality(cell: Cell, chosen: Municipality | None) -> Municipality | None:
    """The municipality the signal concerns: one of the cell's, chosen when it covers several,
    the only one when it covers one (None for a cell that covers none yet)."""
    covered = list(cell.municipalities.all())
    if len(covered) == 1 and chosen is None:
        return covered[0]
    if chosen is None and covered:
        raise ValidationError({"municipality": _("Choose the municipality the signal concerns.")})
    if chosen is not None and chosen not in covered:
        raise ValidationError({"municipality": _("Choose one of the cell's municipalities.")})
    return chosen


@transaction.atomic
def referral_submit(*, member: Membership, data: ReferralData) -> Referral:
    """Any member but the DPO refers a person; the identity may be left out entirely."""
    if member.role == Role.DPO:
        raise PermissionDenied(_("The data protection officer does not refer persons."))
    _validate(data)
    municipality = referral_municipality(member.cell, data.municipality)
    subject = Subject(
        cell=member.cell, pseudonym=data.pseudonym.strip(), declared_minor=data.subject_is_minor
    )
    refresh_minor(subject)
    subject.save()
    if not data.identity.is_empty:
        if identity_withheld(subject, data.identity):
            if not data.identity_reason.strip():
                raise ValidationError(
                    {"identity_reason": _("For a minor, the identity is recorded only with a reason.")}
                )
            identity_request(
                member=member, subject=subject, identity=data.identity, reason=data.identity_reason
            )
            # Known to be a minor from the (withheld) birth date.
            subject.declared_minor = subject.is_minor = True
            subject.save(update_fields=["declared_minor", "is_minor"])
        else:
            apply_identity(subject, data.identity)
    seat = Participant.objects.filter(membership=member).select_related("organisation").first()
    organisation = seat.organisation if seat else None
    referral = Referral.objects.create(
        cell=member.cell,
        subject=subject,
        referred_by=member.user,
        organisation=organisation,
        municipality=municipality,
        referred_on=data.referred_on,
        signals=data.signals.strip(),
        context=data.context.strip(),
        existing_support=data.existing_support.strip(),
        urgency=data.urgency,
        minors_involved=data.minors_involved,
        discussed_internally=True,
    )
    detail = organisation.type if organisation is not None else NO_ORGANISATION
    stat_of_referral(referral, StatKind.REFERRAL_RECEIVED, detail=detail)
    notifications.referral_submitted(member=member, referral=referral)
    return referral


@dataclass(frozen=True)
class QualificationData:
    outcome: str
    reason: str = ""
    aim_signals: str = ""
    consulted_officer: User | None = None
    seat_referrer: bool = True


@transaction.atomic
def referral_qualify(*, member: Membership, referral: Referral, data: QualificationData) -> Case | None:
    """The coordinator decides, with the information officer; a retained referral becomes a case."""
    member.require_role(Role.COORDINATOR)
    referral = (
        Referral.objects.select_for_update().select_related("subject").get(pk=referral.pk, cell=member.cell)
    )
    if referral.status != ReferralStatus.SUBMITTED:
        raise ValidationError(_("This referral has already been qualified."))
    _validate_qualification(member, data)
    referral.status = data.outcome
    referral.qualification_reason = data.reason.strip()
    referral.qualified_by, referral.qualified_at = member.user, timezone.now()
    referral.consulted_officer = data.consulted_officer
    referral.save()
    stat_of_referral(referral, StatKind.REFERRAL_QUALIFIED, detail=data.outcome)
    notifications.referral_qualified(member=member, referral=referral)
    if data.outcome != ReferralStatus.RETAINED:
        figures_changed(member.cell_id)  # its short retention period starts: the purge notice counts it
        return None
    case = case_open(member=member, referral=referral, aim_signals=data.aim_signals)
    if data.seat_referrer:
        referrer = Participant.objects.filter(
            membership__cell=member.cell, membership__user=referral.referred_by, membership__is_active=True
        ).first()
        if referrer is not None and referrer.membership.role == Role.PARTICIPANT:
            seat_participant(member=member, case=case, participant=referrer)
    return case


def _validate_qualification(member: Membership, data: QualificationData) -> None:
    outcomes = {ReferralStatus.RETAINED, ReferralStatus.NOT_RETAINED, ReferralStatus.REDIRECTED}
    if data.outcome not in outcomes:
        raise ValidationError({"outcome": _("Choose retained, not retained or redirected.")})
    if data.outcome != ReferralStatus.RETAINED and not data.reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason: it is required when a referral is not retained.")}
        )
    if data.outcome == ReferralStatus.RETAINED and not data.aim_signals.strip():
        raise ValidationError(
            {"aim_signals": _("Say which signals tie the case to preventing terrorist offences.")}
        )
    if data.consulted_officer is not None:
        is_officer = Membership.objects.effective().filter(
            cell=member.cell, user=data.consulted_officer, role=Role.INFORMATION_OFFICER
        )
        if not is_officer.exists():
            raise ValidationError({"consulted_officer": _("Choose an information officer of this cell.")})
