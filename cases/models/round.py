"""The "known to your service?" round: when a case is first discussed, each seated participant
may say whether the person is known to their service (docs/rules.md, rules 5 and 9).

Never mandatory: "not stated" is the absence of an answer, and an answer may be taken back.
Whether a service knows someone is personal data: encrypted with the person's data key, and
purged with the case.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.crypto.fields import EncryptedCharField
from participants.models import Participant


class Known(models.TextChoices):
    KNOWN = "known", _("Known to my service")
    NOT_KNOWN = "not_known", _("Not known to my service")


class KnownToService(models.Model):
    cell_path = "case"  # row-level security: its case's cell
    encryption_owner = "case__subject"  # livc.crypto.datakeys: sealed with the person's data key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="known_to_service")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    answer = EncryptedCharField(_("known to your service?"), max_length=16)  # a `Known` value
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("answer to the “known to your service?” round")
        verbose_name_plural = _("answers to the “known to your service?” round")
        constraints = [
            models.UniqueConstraint(fields=["case", "participant"], name="known_to_service_once_each")
        ]

    def __str__(self) -> str:
        return f"Known to service {self.pk}"
