"""The person a referral, and if retained a case, is about; their relations; identity requests.

Identity is optional (anonymous or pseudonymous referrals) and encrypted field by field; a
pseudonym always stands in for it. For a minor, identity is withheld by default: entering it
takes a reason and the approval of the coordinator or a mayor (docs/rules.md, rule 11).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.crypto.fields import EncryptedCharField, EncryptedDateField, EncryptedJSONField, EncryptedTextField


class Subject(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    encryption_owner = (
        "pk"  # livc.crypto.datakeys: the person's data key, which the referral and the case share
    )
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="subjects")
    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=60,
        help_text=_("How the table refers to the person. Never initials or a nickname that identifies them."),
    )
    first_name = EncryptedCharField(_("first name"), max_length=100, blank=True)
    last_name = EncryptedCharField(_("last name"), max_length=100, blank=True)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    contact = EncryptedTextField(_("contact details"), blank=True)
    declared_minor = models.BooleanField(_("is a minor"), default=False)
    is_minor = models.BooleanField(default=False, editable=False)  # declared, or under 18 by birth date
    identity_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    identity_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the table's decision to reveal this minor's identity became valid (approved by a
    # second person); until then the coordinator cannot record the identity directly.
    reveal_approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return f"Subject {self.pk}"

    @property
    def has_identity(self) -> bool:
        return self.identity_recorded_at is not None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class IdentityRequest(models.Model):
    """A request to record a minor's identity: held encrypted until a second person approves."""

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    encryption_owner = "subject"  # livc.crypto.datakeys: sealed with the person's data key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="identity_requests")
    identity = EncryptedJSONField(null=True, blank=True)  # cleared once decided
    reason = EncryptedTextField(_("why the identity is needed"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identity request")
        verbose_name_plural = _("identity requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Identity request {self.pk}"


class RelationKind(models.TextChoices):
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    PARTNER = "partner", _("Partner")
    SIBLING = "sibling", _("Brother or sister")
    FAMILY = "family", _("Other family")
    FRIEND = "friend", _("Friend or acquaintance")
    OTHER = "other", _("Other")


class Relation(models.Model):
    """Someone in the subject's life who matters for the follow-up (e.g. their children)."""

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    encryption_owner = "pk"  # livc.crypto.datakeys: its own data key: removing the relation destroys it
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("relation"), max_length=16, choices=RelationKind.choices)
    name = EncryptedCharField(_("name or description"), max_length=150)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    is_minor = models.BooleanField(_("is a minor"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Relation {self.pk}"
