"""The referral (aanmeldingsfiche): a member's signal about a person, and its qualification."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell, Municipality
from livc.crypto.fields import EncryptedTextField
from participants.models import Organisation


class Urgency(models.TextChoices):
    LOW = "low", _("Can wait for the next meeting")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High: discuss soon")
    URGENT = "urgent", _("Urgent: contact the coordinator today")


class ReferralStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting qualification")
    RETAINED = "retained", _("Retained: became a case")
    NOT_RETAINED = "not_retained", _("Not retained")
    REDIRECTED = "redirected", _("Redirected to regular care")


Qualification = ReferralStatus  # the three outcomes are the statuses after `submitted`


class Referral(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    encryption_owner = "subject"  # livc.crypto.datakeys: sealed with the person's data key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="referrals")
    subject = models.OneToOneField("cases.Subject", on_delete=models.PROTECT, related_name="referral")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("referring organisation"),
    )  # fmt: skip
    # For a cell that covers several municipalities: the one the signal concerns (the statistics
    # count per municipality). Filled in with the only one for a cell that covers one.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )  # fmt: skip
    referred_on = models.DateField(_("date of the signal"))
    signals = EncryptedTextField(_("signals and concerns"))
    context = EncryptedTextField(_("context"), blank=True)
    existing_support = EncryptedTextField(_("support already in place"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    minors_involved = models.BooleanField(_("minors are involved"), default=False)
    discussed_internally = models.BooleanField(_("discussed internally first"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SUBMITTED
    )
    qualification_reason = EncryptedTextField(_("reason"), blank=True)
    qualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consulted_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("information officer consulted"),
    )  # fmt: skip
    qualified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cell", "status"], name="referral_cell_status")]

    def __str__(self) -> str:
        return f"Referral {self.pk}"
