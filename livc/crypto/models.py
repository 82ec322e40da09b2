"""The key store: one random data key per owner, kept wrapped by the key ring (docs/adr/0010).

A row lives in the `keys` database (`livc.crypto.routers`), never beside what it encrypts. Its
owner names the row whose values it encrypts, "<app_label>.<model_name>:<primary key>": a
person (the subject of a referral and of the case it became), an information item, a relation,
a stored minutes PDF. Destroying a key blanks `wrapped` and says when and why: the values it
encrypted, in the database and in every backup of it, can then no longer be read by anyone.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DestroyedBecause(models.TextChoices):
    RETENTION = "retention", _("the retention rule")
    WITHDRAWN = "withdrawn", _("withdrawal by its owner")
    ERASED = "erased", _("erasure")
    ROTATED = "rotated", _("key rotation")


class DataKey(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.CharField(max_length=100, db_index=True)
    # A ring token (livc.crypto.keyring) of the 32 key bytes, bound to this row's id and owner.
    wrapped = models.TextField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True)
    destroyed_because = models.CharField(max_length=16, choices=DestroyedBecause.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(destroyed_at__isnull=True, wrapped__isnull=False)
                | models.Q(destroyed_at__isnull=False, wrapped__isnull=True),
                name="datakey_wrapped_until_destroyed",
            )
        ]

    def __str__(self) -> str:
        return f"Data key {self.pk}"  # never the key
