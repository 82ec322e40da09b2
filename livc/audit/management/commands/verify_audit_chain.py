"""Verify the audit log's hash chains; exit status 1 at the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from livc.audit.chain import REASONS, chain_keys, verify_chain
from livc.cells.models import Cell


class Command(BaseCommand):
    help = (
        "Check that every audit entry is unchanged and linked to the one before it in its cell's chain. "
        "Prints OK per chain, or the first broken link (entry id, cell, why) and exits with status 1. "
        "Reads only; changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cell", metavar="SLUG", help="Check only this cell's chain.")

    @no_translations
    def handle(self, *args: Any, cell: str | None = None, **options: Any) -> None:
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
            status = verify_chain(key)
            name = f"cell {slugs.get(key, key)}" if key else "entries without a cell"
            if status.ok:
                self.stdout.write(f"OK      {name}: {status.checked} entries, {status.scrubbed} scrubbed")
                continue
            broken += 1
            where = f"entry {status.broken_entry_id}" if status.broken_entry_id else "end of chain"
            self.stdout.write(f"BROKEN  {name}: {where}: {REASONS[status.reason]}")
        if broken:
            raise CommandError(f"{broken} broken chain(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"All {len(keys)} chain(s) intact."))
