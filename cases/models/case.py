"""The case: a retained referral, its table (who may see it) and its status."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.crypto.fields import EncryptedTextField
from participants.models import Invitation, Participant


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FOLLOW_UP = "follow_up", _("In follow-up")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    encryption_owner = "subject"  # livc.crypto.datakeys: sealed with the person's data key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("reference"), max_length=12)
    subject = models.OneToOneField("cases.Subject", on_delete=models.PROTECT, related_name="case")
    referral = models.OneToOneField(
        "cases.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    aim_signals = EncryptedTextField(
        _("signals tying the case to preventing terrorist offences"),
        help_text=_("The only lawful aim of the table: say which signals make this case fall under it."),
    )
    involves_minor = models.BooleanField(_("involves a minor"), default=False)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    last_discussed_on = models.DateField(_("last discussed"), null=True, blank=True)
    close_reason = EncryptedTextField(_("reason for closing"), blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["cell", "reference"], name="case_reference_per_cell")]
        indexes = [
            models.Index(fields=["cell", "status"], name="case_cell_status"),
            # The case list's order (`cases.selectors.CASE_LIST_ORDER`): a page is read off the index.
            models.Index(fields=["cell", "-opened_at", "-id"], name="case_cell_recent"),
        ]

    def __str__(self) -> str:
        return f"Case {self.reference}"


class CaseSequence(models.Model):
    """The last reference number given per cell and year (locked while numbering)."""

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")
        constraints = [models.UniqueConstraint(fields=["cell", "year"], name="case_sequence_per_cell_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Seat(models.Model):
    """A participant seated at a case's table. The service that creates or deletes a seat
    also grants or revokes the participant's object permission on the case."""

    cell_path = "case"  # row-level security: its case's cell

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="seats")
    seated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["case", "participant"], name="one_seat_per_participant")
        ]

    def __str__(self) -> str:
        return f"Seat {self.pk}"

    @property
    def cell(self) -> Cell:
        return self.case.cell


class CaseInvitation(models.Model):
    """Links an ad hoc invitation to its case: the invitee is seated there on acceptance."""

    cell_path = "case"  # row-level security: its case's cell

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="case_link")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        verbose_name = _("case invitation")
        verbose_name_plural = _("case invitations")

    def __str__(self) -> str:
        return f"CaseInvitation {self.pk}"
