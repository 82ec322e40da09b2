"""Rotate the key ring: re-wrap every data key with the newest ring key, and re-encrypt the
values sealed with the ring directly (those that belong to no case) that an older key sealed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models

from livc.crypto.datakeys import rewrap_keys
from livc.crypto.fields import Ciphertext, EncryptedField, encrypted_models
from livc.crypto.keyring import DecryptionError, decrypt, encrypt, newest_key_version
from livc.crypto.rekey import Tally, walk


class Command(BaseCommand):
    help = (
        "Rotates LIVC_ENCRYPTION_KEYS. First re-wraps every data key of the key store (the `keys` "
        "database) with the newest ring key: one small row per case, item, relation or minutes "
        "PDF, whatever the number of values each seals. Then re-encrypts with the newest key "
        "every value sealed with the ring directly (those that belong to no case) that an older "
        "key version sealed. Rows are read in primary-key order, --batch-size rows per transaction, locked "
        "while they are rewritten with QuerySet.update(), so no signals fire and no audit entries "
        "are written. Values already on the newest key, and NULLs, are left alone: a second run "
        "changes nothing. --dry-run writes nothing: it counts, and checks that the old values "
        "decrypt. Keep every old key in LIVC_ENCRYPTION_KEYS until this command has finished "
        "without errors; remove an old key only after that."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Write nothing: count, and check that the old values decrypt.",
        )

    def handle(self, *args: Any, batch_size: int, dry_run: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        newest = newest_key_version()
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        seen, rewrapped = rewrap_keys(batch_size=batch_size, dry_run=dry_run)
        self.stdout.write(
            f"Data keys: {seen} live, {rewrapped} {'to re-wrap' if dry_run else 're-wrapped'} "
            f"with key version {newest}."
        )
        total = Tally()
        for model, fields in encrypted_models():
            tally = rotate_model(model, fields, newest=newest, batch_size=batch_size, dry_run=dry_run)
            self.stdout.write(f"{model._meta.label}: {tally.rows} row(s), {tally.values} value(s) {verb}")
            for failure in tally.failures:
                self.stderr.write(failure)
            total.rows, total.values = total.rows + tally.rows, total.values + tally.values
            total.failures += tally.failures
        self.stdout.write(
            f"Total: {total.rows} row(s), {total.values} value(s) {verb} with key version {newest}."
        )
        if not dry_run:
            # A platform-wide event (no cell): which key version now holds how many values.
            from livc.audit.events import EventKind, record_event

            record_event(
                EventKind.KEYS_ROTATED,
                data={
                    "version": newest,
                    "data_keys": rewrapped,
                    "rows": total.rows,
                    "values": total.values,
                    "failures": len(total.failures),
                },
            )
        if total.failures:
            raise CommandError(
                f"{len(total.failures)} value(s) could not be decrypted and were left as they are; "
                "keep the old keys in LIVC_ENCRYPTION_KEYS."
            )


def rotate_model(
    model: type[models.Model], fields: list[EncryptedField], *, newest: int, batch_size: int, dry_run: bool
) -> Tally:
    """Walk the table by primary key, one transaction per batch, so memory stays bounded."""
    tally = Tally()
    for batch in walk(model, [f.attname for f in fields], batch_size=batch_size, lock=not dry_run):
        for pk, *values in batch:
            changes = _reencrypt_row(fields, pk, values, newest, tally)
            if changes:
                tally.rows, tally.values = tally.rows + 1, tally.values + len(changes)
                if not dry_run:
                    model._base_manager.filter(pk=pk).update(**changes)
    return tally


def _reencrypt_row(
    fields: list[EncryptedField], pk: Any, values: list[Any], newest: int, tally: Tally
) -> dict[str, Ciphertext]:
    """New tokens for this row's values on an older key; a failure is noted, not fatal."""
    changes = {}
    for encrypted_field, value in zip(fields, values, strict=True):
        if value is None or value.data_key is not None or _key_version(value) == newest:
            continue  # a value sealed with a data key moved with its key's re-wrapping
        aad = encrypted_field.associated_data(pk)
        try:
            plaintext = decrypt(value.token, aad, context=encrypted_field.describe(pk))
        except DecryptionError as error:
            tally.failures.append(str(error))
            continue
        changes[encrypted_field.attname] = Ciphertext(encrypt(plaintext, aad, key_version=newest))
    return changes


def _key_version(value: Ciphertext) -> int | None:
    """None for stored text that is not a token: `decrypt` then reports it with its row."""
    try:
        return value.key_version
    except DecryptionError:
        return None
