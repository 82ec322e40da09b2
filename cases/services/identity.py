"""Recording who the subject is: an explicit, logged step; for a minor, a second person approves."""

import datetime
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.identity import identity_hash, is_minor_on
from cases.models import Case, IdentityRequest, Subject
from livc.cells.models import Membership, Role


@dataclass(frozen=True)
class Identity:
    first_name: str = ""
    last_name: str = ""
    birth_date: datetime.date | None = None
    address: str = ""
    contact: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else ""
        return data

    @classmethod
    def from_json(cls, data: dict[str, str]) -> "Identity":
        birth = data.get("birth_date") or ""
        return cls(**{**data, "birth_date": datetime.date.fromisoformat(birth) if birth else None})  # type: ignore[arg-type]


def apply_identity(subject: Subject, identity: Identity) -> None:
    """Write the identity onto the subject and refresh what is derived from it."""
    subject.first_name, subject.last_name = identity.first_name.strip(), identity.last_name.strip()
    subject.birth_date, subject.address, subject.contact = (
        identity.birth_date,
        identity.address,
        identity.contact,
    )
    subject.identity_hash = identity_hash(
        cell_id=subject.cell_id,
        first_name=subject.first_name,
        last_name=subject.last_name,
        birth_date=subject.birth_date,
    )
    subject.identity_recorded_at = None if identity.is_empty else timezone.now()
    refresh_minor(subject)
    subject.save()


def refresh_minor(subject: Subject) -> None:
    subject.is_minor = subject.declared_minor or is_minor_on(subject.birth_date)


def reveal_approved(subject: Subject) -> bool:
    return subject.reveal_approved_at is not None


def identity_reveal_allow(*, subject: Subject) -> Subject:
    """The table decided, and a second person approved, that this minor's identity may be
    recorded (called by the meetings app when such a decision becomes valid)."""
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    if subject.reveal_approved_at is None:
        subject.reveal_approved_at = timezone.now()
        subject.save(update_fields=["reveal_approved_at"])
    return subject


def identity_withheld(subject: Subject, identity: Identity) -> bool:
    """A minor's identity is withheld by default: recording it goes through a request."""
    return subject.declared_minor or is_minor_on(identity.birth_date)


@transaction.atomic
def identity_record(*, member: Membership, subject: Subject, identity: Identity) -> Subject:
    """The coordinator records (or corrects) the identity of an adult subject, or of a minor
    once the table decided to reveal it and a second person approved (a valid decision)."""
    member.require_role(Role.COORDINATOR)
    subject = Subject.objects.select_for_update().get(pk=subject.pk, cell=member.cell)
    if identity_withheld(subject, identity) and not reveal_approved(subject):
        raise ValidationError(_("This person is a minor: request the identity with a reason, for approval."))
    apply_identity(subject, identity)
    _refresh_case(subject)
    return subject


@transaction.atomic
def identity_request(
    *, member: Membership, subject: Subject, identity: Identity, reason: str
) -> IdentityRequest:
    if member.role == Role.DPO:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the table needs this minor's identity.")})
    if identity.is_empty:
        raise ValidationError(_("Fill in at least one part of the identity."))
    return IdentityRequest.objects.create(
        cell=member.cell,
        subject=subject,
        identity=identity.as_json(),
        reason=reason.strip(),
        requested_by=member.user,
    )


@transaction.atomic
def identity_request_decide(
    *, member: Membership, request: IdentityRequest, approve: bool
) -> IdentityRequest:
    """The coordinator or a mayor, never the person who asked, approves or rejects."""
    member.require_role(Role.COORDINATOR, Role.MAYOR)
    request = IdentityRequest.objects.select_for_update().get(pk=request.pk, cell=member.cell)
    if request.status != IdentityRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if request.requested_by_id == member.user_id:
        raise PermissionDenied(_("Someone other than the person who asked decides on it."))
    if approve:
        subject = Subject.objects.select_for_update().get(pk=request.subject_id)
        apply_identity(subject, Identity.from_json(request.identity or {}))
        _refresh_case(subject)
    request.status = IdentityRequest.Status.APPROVED if approve else IdentityRequest.Status.REJECTED
    request.identity = None  # the request no longer holds the data
    request.decided_by, request.decided_at = member.user, timezone.now()
    request.save()
    return request


def _refresh_case(subject: Subject) -> None:
    case = Case.objects.filter(subject=subject).first()
    if case is not None:
        from cases.services.cases import refresh_involves_minor

        refresh_involves_minor(case)
