"""A test-only model with every kind of encrypted field (no migrations: created for tests)."""

import uuid

from django.db import models

from livc.crypto.fields import EncryptedCharField, EncryptedDateField, EncryptedJSONField, EncryptedTextField


class Secret(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=50, blank=True)
    name = EncryptedCharField(max_length=100)
    note = EncryptedTextField(blank=True)
    born = EncryptedDateField(null=True, blank=True)
    extra = EncryptedJSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Secret {self.pk}"
