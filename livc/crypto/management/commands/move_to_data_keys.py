"""Move every existing value that belongs to a case, an item, a relation or a minutes PDF under
its owner's data key (docs/adr/0010)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from livc.crypto.rekey import Tally, move_model, owned_models


class Command(BaseCommand):
    help = (
        "Re-seals with its owner's data key (the key store, the `keys` database) every value that "
        "is still sealed with the key ring directly although it belongs to an owner: a person "
        "(the referral, the case and what hangs off them), an information item, a relation, a "
        "stored minutes PDF. Walks each table in primary-key order, --batch-size rows per "
        "transaction, rows locked while they are rewritten with QuerySet.update() (no signals, "
        "no audit entries). Resumable: a value already under a data key is left alone, so a "
        "stopped run is finished by running it again. --dry-run writes nothing: it counts, and "
        "checks that the values decrypt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing: count, and check the values decrypt."
        )

    def handle(self, *args: Any, batch_size: int, dry_run: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        verb = "to move" if dry_run else "moved"
        total = Tally()
        for model, fields, path in owned_models():
            moved = move_model(model, fields, path, batch_size=batch_size, dry_run=dry_run)
            self.stdout.write(f"{model._meta.label}: {moved.rows} row(s), {moved.values} value(s) {verb}")
            for failure in moved.failures:
                self.stderr.write(failure)
            total.rows, total.values = total.rows + moved.rows, total.values + moved.values
            total.failures += moved.failures
        self.stdout.write(f"Total: {total.rows} row(s), {total.values} value(s) {verb} under data keys.")
        if total.failures:
            raise CommandError(
                f"{len(total.failures)} value(s) could not be decrypted and were left as they are."
            )
