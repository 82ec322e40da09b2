"""Verify the audit log's hash chains; exit status 1 at the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from livc.audit.chain import REASONS, chain_keys, extend_verification, verify_full
from livc.cells.models import Cell


class Command(BaseCommand):
    help = (
        "Check that every audit entry is unchanged and linked to the one before it in its cell's chain. "
        "Seals the entries waiting for the sealer first, then checks every chain from its first entry, "
        "and every checkpoint of earlier verifications. Prints OK per chain, or the first broken link "
        "(entry id, cell, why) and exits with status 1. Each run is recorded for the DPO's overview, and a "
        "chain that holds gets a checkpoint at its end. With --incremental, only the entries since each "
        "chain's last checkpoint are checked (as the beat task does)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cell", metavar="SLUG", help="Check only this cell's chain.")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Check only the entries since each chain's last checkpoint (and that checkpoint).",
        )

    @no_translations
    def handle(self, *args: Any, cell: str | None = None, incremental: bool = False, **options: Any) -> None:
        if cell:
            found = Cell.objects.filter(slug=cell).first()
            if found is None:
                raise CommandError(f"No cell with slug {cell!r}.")
            keys = list(chain_keys([found.pk]))
        else:
            keys = list(chain_keys())
        slugs = dict(Cell.objects.values_list("pk", "slug"))
        broken = 0
        for key in keys:
            status = extend_verification(key, limit=None) if incremental else verify_full(key)
            name = f"cell {slugs.get(key, key)}" if key else "entries without a cell"
            if status.ok:
                since = f" since entry {status.up_to_seq - status.checked}" if incremental else ""
                pending = f", {status.pending} waiting to be sealed" if status.pending else ""
                self.stdout.write(
                    f"OK      {name}: {status.checked} entries{since}, {status.scrubbed} scrubbed{pending}"
                )
                continue
            broken += 1
            if status.broken_entry_id:
                where = f"entry {status.broken_entry_id}"
            elif status.broken_checkpoint_id:
                where = f"checkpoint {status.broken_checkpoint_id}"
            else:
                where = "end of chain"
            self.stdout.write(f"BROKEN  {name}: {where}: {REASONS[status.reason]}")
        if broken:
            raise CommandError(f"{broken} broken chain(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"All {len(keys)} chain(s) intact."))
