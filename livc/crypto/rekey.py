"""Moving values between keys: existing values under their owners' data keys, and one owner's
values under a new data key (docs/adr/0010)."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from livc.crypto import datakeys
from livc.crypto.fields import Ciphertext, EncryptedField, encrypted_models
from livc.crypto.keyring import DecryptionError
from livc.crypto.models import DestroyedBecause


@dataclass
class Tally:
    """What one model's pass did: rows and values rewritten, and values that failed (messages
    that name the row, never a value)."""

    rows: int = 0
    values: int = 0
    failures: list[str] = field(default_factory=list)


def walk(
    model: type[models.Model], columns: Sequence[str], *, batch_size: int, lock: bool
) -> Iterator[list[tuple[Any, ...]]]:
    """The table's rows as (pk, *columns), in primary-key order, a batch at a time, each batch
    inside its own transaction (what the caller writes for it commits with it) and, with `lock`,
    its rows locked: a concurrent save() waits instead of being overwritten. Memory stays bounded
    and a stopped walk loses at most its current batch."""
    last = None
    while True:
        with transaction.atomic():
            rows = model._base_manager.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            if lock:
                rows = rows.select_for_update(of=("self",))
            batch = list(rows.values_list("pk", *columns)[:batch_size])
            yield batch
        if len(batch) < batch_size:
            return
        last = batch[-1][0]


def owned_models() -> list[tuple[type[models.Model], list[EncryptedField], str]]:
    """The models whose values belong to an owner, with their encrypted fields and owner path."""
    found = []
    for model, fields in encrypted_models():
        path = datakeys.owner_path(model)
        if path is not None:
            found.append((model, fields, path))
    return found


def _reseal(
    fields: list[EncryptedField],
    pk: Any,
    values: tuple[Any, ...],
    owner: str,
    wanted: Callable[[Ciphertext], bool],
    moved: Tally,
    *,
    dry_run: bool = False,
) -> dict[str, Ciphertext]:
    """New tokens for the wanted values of one row; in a dry run each is only opened (sealing
    would make the owner's data key)."""
    changes = {}
    for encrypted_field, value in zip(fields, values, strict=True):
        if value is None or not wanted(value):
            continue
        try:
            plaintext = encrypted_field.decrypt_for_row(value, pk)
        except DecryptionError as error:
            moved.failures.append(str(error))
            continue
        changes[encrypted_field.attname] = (
            value if dry_run else encrypted_field.encrypt_for_row(plaintext, pk, owner=owner)
        )
    return changes


def move_model(
    model: type[models.Model], fields: list[EncryptedField], path: str, *, batch_size: int, dry_run: bool
) -> Tally:
    """Re-seal with its owner's data key every value of `model` still sealed with the ring. A
    rerun goes on where a stopped one ended (what moved is no longer sealed with the ring)."""
    owner_of_row = datakeys.owner_model(model)
    assert owner_of_row is not None
    moved = Tally()
    columns = [path, *(f.attname for f in fields)]
    for batch in walk(model, columns, batch_size=batch_size, lock=not dry_run):
        for pk, owner_pk, *values in batch:
            if owner_pk is None:
                continue  # no owner (an agenda item about no case): the ring seals it
            owner = datakeys.owner_name(owner_of_row, owner_pk)
            changes = _reseal(
                fields, pk, tuple(values), owner, lambda v: v.data_key is None, moved, dry_run=dry_run
            )
            if changes:
                moved.rows, moved.values = moved.rows + 1, moved.values + len(changes)
                if not dry_run:
                    model._base_manager.filter(pk=pk).update(**changes)
    return moved


def rotate_owner_key(owner_model: type[models.Model], owner_pk: Any) -> int:
    """Give one owner (a case's person, say) a new data key: every value its old keys sealed is
    re-sealed with the new one, then the old keys are destroyed. The number of values moved."""
    from livc.crypto.models import DataKey

    owner = datakeys.owner_name(owner_model, owner_pk)
    old = {
        key.hex
        for key in DataKey.objects.filter(owner=owner, destroyed_at__isnull=True).values_list("pk", flat=True)
    }
    datakeys.keys.clear()
    datakeys.new_key(owner)  # seals from now on; the old keys still open what they sealed
    moved = Tally()
    with transaction.atomic():
        for model, fields, path in owned_models():
            if datakeys.owner_model(model) is not owner_model:
                continue
            rows = model._base_manager.filter(**{path: owner_pk}).select_for_update(of=("self",))
            for pk, *values in rows.values_list("pk", *(f.attname for f in fields)):
                changes = _reseal(fields, pk, tuple(values), owner, lambda v: v.data_key in old, moved)
                if changes:
                    moved.values += len(changes)
                    model._base_manager.filter(pk=pk).update(**changes)
        if moved.failures:
            raise DecryptionError("; ".join(moved.failures))
    datakeys.destroy_key_ids(old, because=DestroyedBecause.ROTATED)
    return moved.values
