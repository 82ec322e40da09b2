"""Test-only models exercising every encrypted field (no migrations: tables made for tests)."""

import uuid

from django.db import models

from livc.crypto.fields import EncryptedCharField, EncryptedDateField, EncryptedJSONField, EncryptedTextField


class Secret(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=50, blank=True)  # a plain field, for comparison
    name = EncryptedCharField(max_length=100)
    note = EncryptedTextField(blank=True)
    born = EncryptedDateField(null=True, blank=True)
    extra = EncryptedJSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Secret {self.pk}"  # never an encrypted value


class SecretProxy(Secret):
    """Shares Secret's table: key rotation must visit that table once."""

    class Meta:
        proxy = True
