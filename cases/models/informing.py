"""The informing register: whether the subject was told they were discussed (rule 13)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.crypto.fields import EncryptedTextField


class InformingKind(models.TextChoices):
    INFORMED = "informed", _("Informed")
    DEFERRED = "deferred", _("Deferred")


class InformingEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="informing_entries")
    kind = models.CharField(_("outcome"), max_length=10, choices=InformingKind.choices)
    informed_on = models.DateField(_("informed on"), null=True, blank=True)
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("informed by"),
    )  # fmt: skip
    message = EncryptedTextField(_("what was said"), blank=True)
    deferral_reason = EncryptedTextField(_("reason for deferring"), blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("informing register entry")
        verbose_name_plural = _("informing register entries")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Informing entry {self.pk}"
