"""Who sits at the table, how they got there, and the rules they sit under.

docs/rules.md, rules 1-6: the mayor approves every invitation; security actors other than the
local police and lawyers involved in a case never sit at the table; an invitee may decline
(a professional with a written motivation); the cell works under an approved, versioned
rules of procedure; every member acknowledges the secrecy of the table (art. 458ter Sw.).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livc.accounts.models import Language
from livc.cells.models import Cell, Membership


class OrganisationType(models.TextChoices):
    SOCIAL_SERVICE = "social_service", _("OCMW / social service")
    CLB = "clb", _("CLB (pupil guidance centre)")
    SCHOOL = "school", _("School")
    YOUTH_SERVICE = "youth_service", _("Youth service")
    JUSTICE_HOUSE = "justice_house", _("Justice house")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    PREVENTION_SERVICE = "prevention_service", _("Prevention service")
    WELFARE = "welfare", _("Welfare organisation")
    CLUB = "club", _("Sports or leisure club")
    LOCAL_POLICE = "local_police", _("Local police")
    OTHER = "other", _("Other")
    # May be recorded, never invited (docs/rules.md, rule 4).
    FEDERAL_POLICE = "federal_police", _("Federal police")
    STATE_SECURITY = "state_security", _("State Security (VSSE)")
    ADIV = "adiv", _("General Intelligence and Security Service (ADIV/SGRS)")
    OCAD = "ocad", _("OCAD/CUTA")
    IMMIGRATION_OFFICE = "immigration_office", _("Immigration Office (DVZ/OE)")
    LAWYER = "lawyer", _("Lawyer involved in the case")


_SECURITY_ACTOR_REASON = _(
    "Security services other than the local police do not sit at an LIVC-R table: the law of "
    "30 July 2018 keeps the cell's social-preventive work apart from the security chain, which "
    "meets in the Local Taskforce."
)

# The legal reason an organisation type can never be invited, shown to the coordinator.
EXCLUDED_TYPES: dict[str, object] = {
    OrganisationType.FEDERAL_POLICE: _SECURITY_ACTOR_REASON,
    OrganisationType.STATE_SECURITY: _SECURITY_ACTOR_REASON,
    OrganisationType.ADIV: _SECURITY_ACTOR_REASON,
    OrganisationType.OCAD: _SECURITY_ACTOR_REASON,
    OrganisationType.IMMIGRATION_OFFICE: _SECURITY_ACTOR_REASON,
    OrganisationType.LAWYER: _(
        "A lawyer involved in the case may not take part in the LIVC-R (law of 30 July 2018): "
        "what is shared at the table under art. 458ter Sw. may not serve a defence or a prosecution."
    ),
}


class Organisation(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "name"],
                name="organisation_name_per_cell",
                violation_error_message=_("The cell already has an organisation of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_excluded(self) -> bool:
        return self.type in EXCLUDED_TYPES

    @property
    def exclusion_reason(self) -> object:
        return EXCLUDED_TYPES.get(self.type)


class ParticipantKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    VOLUNTEER = "volunteer", _("Volunteer")


class Participant(models.Model):
    """A member's seat profile: for which organisation and in which function they sit.

    Every member who can sit at a table has one (mayor, coordinator and information officer
    too): information brought to the table is owned by a participant and their organisation.
    Access itself comes from the membership; revoking a participant deactivates it.
    """

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="participants")
    membership = models.OneToOneField(Membership, on_delete=models.PROTECT, related_name="participant")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participants")
    function = models.CharField(_("function"), max_length=200)
    kind = models.CharField(
        _("professional or volunteer"),
        max_length=16,
        choices=ParticipantKind.choices,
        default=ParticipantKind.PROFESSIONAL,
    )
    is_fixed_representative = models.BooleanField(
        _("fixed representative"),
        default=False,
        help_text=_("Sits for the organisation instead of the case worker, and informs the case worker."),
    )
    substitute = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitute_for",
        verbose_name=_("substitute"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_fixed_representative=True),
                name="one_fixed_representative_per_organisation",
                violation_error_message=_("This organisation already has a fixed representative."),
            ),
        ]

    def __str__(self) -> str:
        return f"Participant {self.pk}"

    def clean(self) -> None:
        if self.membership_id and self.cell_id and self.membership.cell_id != self.cell_id:
            raise ValidationError(_("The membership belongs to another cell."))
        if self.organisation_id and self.cell_id and self.organisation.cell_id != self.cell_id:
            raise ValidationError({"organisation": _("This organisation belongs to another cell.")})
        if self.substitute_id is not None:
            if not self.is_fixed_representative:
                raise ValidationError({"substitute": _("Only a fixed representative has a substitute.")})
            if self.substitute_id == self.pk:
                raise ValidationError({"substitute": _("A participant cannot be their own substitute.")})
            substitute = Participant.objects.filter(pk=self.substitute_id).first()
            if substitute is None or substitute.organisation_id != self.organisation_id:
                raise ValidationError(
                    {"substitute": _("The substitute must belong to the same organisation.")}
                )

    @property
    def is_active(self) -> bool:
        return self.membership.is_active


class InvitationScope(models.TextChoices):
    STRUCTURAL = "structural", _("Structural member of the cell")
    AD_HOC = "ad_hoc", _("Ad hoc, for one case")


class InvitationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting the mayor")
    REJECTED = "rejected", _("Rejected by the mayor")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An invitation not yet answered (nor withdrawn, rejected or expired): one per address and cell.
OPEN_INVITATION_STATUSES = (InvitationStatus.DRAFT, InvitationStatus.PENDING, InvitationStatus.SENT)


class Invitation(models.Model):
    """An invitation to the table: proposed by the coordinator, approved by a mayor, answered
    by the invitee. An ad hoc invitation is linked to its case by the cases app."""

    cell_path = "cell"  # row-level security (livc/database/policies.py)
    found_by_signed_link = True  # the e-mailed link opens it before any cell is known

    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="invitations")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("organisation")
    )
    function = models.CharField(_("function"), max_length=200)
    kind = models.CharField(
        _("professional or volunteer"),
        max_length=16,
        choices=ParticipantKind.choices,
        default=ParticipantKind.PROFESSIONAL,
    )
    as_fixed_representative = models.BooleanField(
        _("as the organisation's fixed representative"), default=False
    )
    scope = models.CharField(
        _("scope"), max_length=16, choices=InvitationScope.choices, default=InvitationScope.STRUCTURAL
    )
    motivation = models.TextField(
        _("what this function contributes"),
        help_text=_("Why this person's function helps the individual, case-based follow-up."),
    )
    language = models.CharField(_("language of the e-mail"), max_length=2, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    token_nonce = models.CharField(max_length=32, blank=True, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_motivation = models.TextField(_("motivation for declining"), blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cell", "status"], name="invitation_cell_status")]
        constraints = [
            # The address is stored in lower case (participants/services.py::invitation_save_draft).
            models.UniqueConstraint(
                fields=["cell", "email"],
                condition=Q(status__in=OPEN_INVITATION_STATUSES),
                name="one_open_invitation_per_address",
                violation_error_message=_(
                    "An invitation to this address is already in progress in the cell: "
                    "continue with that one, or withdraw it first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    @property
    def link_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at < timezone.now()


class InvitationEvent(models.Model):
    """One step in an invitation's history: who did what, when, and why if a reason was given."""

    cell_path = "invitation"  # row-level security: its invitation's cell

    class Action(models.TextChoices):
        DRAFTED = "drafted", _("drafted")
        EDITED = "edited", _("edited")
        PROPOSED = "proposed", _("proposed to the mayor")
        APPROVED = "approved", _("approved and sent")
        REJECTED = "rejected", _("rejected")
        RESENT = "resent", _("sent again with a new link")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REVOKED = "revoked", _("participant revoked")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("invitation event")
        verbose_name_plural = _("invitation events")

    def __str__(self) -> str:
        return f"InvitationEvent {self.pk}"

    @property
    def cell(self) -> Cell:
        return self.invitation.cell


class RulesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class RulesOfProcedure(models.Model):
    """A version of the cell's rules of procedure (huishoudelijk reglement).

    Art. 458ter Sw. requires participants, purpose and working rules fixed in advance: no
    case is discussed without an approved version in force. One version is in force at a
    time; approving a new one supersedes it; old versions stay readable.
    """

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="rules_versions")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=RulesStatus.choices, default=RulesStatus.DRAFT
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    # A cell under the federal law only lists its data categories here (livc/legal.py): each
    # {"key", "name", "special", "purpose"}, written by participants/rules.py::rules_draft_save.
    data_categories = models.JSONField(_("data categories"), default=list, blank=True)

    class Meta:
        verbose_name = _("rules of procedure")
        verbose_name_plural = _("rules of procedure")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "version"], name="rules_version_per_cell"),
            models.UniqueConstraint(
                fields=["cell"], condition=Q(status="in_force"), name="one_rules_version_in_force"
            ),
            models.UniqueConstraint(fields=["cell"], condition=Q(status="draft"), name="one_rules_draft"),
        ]

    def __str__(self) -> str:
        return f"Rules of procedure v{self.version}"


class ConfidentialityAcknowledgement(models.Model):
    """A member's acknowledgement of the secrecy of the table, with the versions it covered."""

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)
    statement_version = models.CharField(max_length=16)  # livc/legal.py::SecrecyStatement.version
    rules = models.ForeignKey(
        RulesOfProcedure, on_delete=models.PROTECT, null=True, blank=True, related_name="acknowledgements"
    )

    class Meta:
        ordering = ["-acknowledged_at"]
        indexes = [models.Index(fields=["cell", "user", "-acknowledged_at"], name="ack_cell_user_time")]
        verbose_name = _("confidentiality acknowledgement")
        verbose_name_plural = _("confidentiality acknowledgements")

    def __str__(self) -> str:
        return f"Acknowledgement {self.pk}"
