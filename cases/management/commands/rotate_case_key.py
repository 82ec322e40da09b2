"""Give one case new data keys (docs/adr/0010)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.models import Case, InformationItem, Relation, Subject
from livc.crypto.keyring import DecryptionError
from livc.crypto.rekey import rotate_owner_key


class Command(BaseCommand):
    help = (
        "Gives one case new data keys: its person's (which seals the case, its referral, the person, "
        "the identity requests, the informing register, decisions, actions and the minutes' text "
        "about it) and each of its items' and relations' own. Every value is re-sealed with the new "
        "key, then the old key is destroyed: a copy of the old key, wherever it went, opens nothing "
        "written since and nothing re-sealed. Work follows the case's size, not the cell's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cell", help="The cell's slug.")
        parser.add_argument("reference", help="The case's reference, e.g. 2026-0007.")

    def handle(self, *args: Any, cell: str, reference: str, **options: Any) -> None:
        case = Case.objects.filter(cell__slug=cell, reference=reference).first()
        if case is None:
            raise CommandError(f"No case {reference} in cell {cell!r}.")
        owners: list[tuple[type[Subject] | type[InformationItem] | type[Relation], Any]] = [
            (Subject, case.subject_id)
        ]
        owners += [(InformationItem, pk) for pk in case.items.values_list("pk", flat=True)]
        owners += [(Relation, pk) for pk in case.relations.values_list("pk", flat=True)]
        values = 0
        try:
            for model, pk in owners:
                values += rotate_owner_key(model, pk)
        except DecryptionError as error:
            raise CommandError(f"Stopped: {error}. The keys not yet rotated are unchanged.") from None
        self.stdout.write(
            f"Case {reference}: {len(owners)} data key(s) replaced, {values} value(s) re-sealed."
        )
