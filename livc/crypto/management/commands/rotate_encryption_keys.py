"""Re-encrypt every encrypted value whose key is not the newest of LIVC_ENCRYPTION_KEYS."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction

from livc.crypto.fields import Ciphertext, EncryptedFieldMixin
from livc.crypto.keyring import decrypt, encrypt, key_ring


class Command(BaseCommand):
    help = (
        "Re-encrypt, in batches, every encrypted value written with an older key than the newest one "
        "in LIVC_ENCRYPTION_KEYS. Keep the old key in the ring until this reports 0 left; then remove "
        "it. Idempotent: a second run re-encrypts nothing. --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, batch_size: int, dry_run: bool, **options: Any) -> None:
        newest = key_ring().newest
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
            if fields:
                count = self._rotate(model, fields, newest, batch_size, dry_run)
                total += count
                done = "to re-encrypt" if dry_run else "re-encrypted"
                self.stdout.write(f"{model._meta.label}: {count} value(s) {done}")
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{total} value(s) {verb} with key version {newest}."))

    def _rotate(
        self, model: type[models.Model], fields: list[Any], newest: int, batch_size: int, dry_run: bool
    ) -> int:
        names = [f.attname for f in fields]
        count, last = 0, None
        while True:
            rows = model._base_manager.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            batch = list(rows.values_list("pk", *names)[:batch_size])
            if not batch:
                return count
            with transaction.atomic():
                for pk, *values in batch:
                    changes = self._reencrypt(model, fields, pk, values, newest)
                    count += len(changes)
                    if changes and not dry_run:
                        model._base_manager.filter(pk=pk).update(**changes)
            last = batch[-1][0]

    def _reencrypt(
        self, model: type[models.Model], fields: list[Any], pk: Any, values: list[Any], newest: int
    ) -> dict[str, Ciphertext]:
        changes = {}
        for field, value in zip(fields, values, strict=True):
            if isinstance(value, Ciphertext) and value.key_version != newest:
                aad = f"{model._meta.label_lower}.{field.name}.{pk}".encode()
                plaintext = decrypt(value.token, aad, where=f"{model._meta.label}.{field.name} {pk}")
                changes[field.attname] = Ciphertext(encrypt(plaintext, aad, version=newest))
        return changes
