"""Rotating the key ring at national scale: the data keys of 30,000 cases re-wrapped.

Seeds, in one new cell, `--cases` cases (default 30,000), each with its own person and
`--items` information items (default 1), in bulk (`bench.seeding.add_cases`); the people's and
the items' data keys are made in bulk too (`livc.crypto.datakeys.make_keys`), so the key store
holds a key per person and one per item: more keys than cases, as in production.

Then adds a version to the key ring in this process only: `LIVC_ENCRYPTION_KEYS` gets a new,
higher version with a random key (`override_settings`, which resets the parsed ring), and times
`manage.py rotate_encryption_keys` as an operator runs it: it re-wraps every live data key in the
key store (those seeded here and any others the scratch database holds) with the new version,
then walks every table with encrypted values for those sealed with the ring directly. Prints the
keys re-wrapped, the seconds, keys/s, how long each phase took, and the process's memory (RSS,
sampled every 50 ms). Then, with the old versions removed from the ring (only the new one left),
reads a sample of the seeded cases, their people and their items, and counts the live keys of
the key store still wrapped with an old version.

Everything happens in one transaction on the main database and one on the key store, rolled
back at the end: the random key dies with the process, so nothing may stay wrapped with it, and
the scratch database is left as it was found (also when the run fails or is interrupted).
The command's per-batch transactions are savepoints inside them, so its commits are not in the
time: one per batch of `--batch-size` rows, some 300 for 30,000 cases, each well under a
millisecond on the development machine.

Targets (a miss exits with status 1; `--smoke` checks without enforcing): the rotation in under
60 s for 30,000 cases (prorated for another `--cases`); RSS growth under 20 MB during it; every
sampled value decrypts with the new version alone; no live key left on an old version.

It refuses to run unless the database name contains "bench" or
`--yes-this-is-a-scratch-database` is given: for a minute it holds every key of the key store,
re-wrapped, in an open transaction.
"""

import base64
import io
import os
import random
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test.utils import override_settings

from bench.seeding import (
    BULK_BATCH,
    RssPeak,
    add_cases,
    add_scratch_argument,
    make_data_keys,
    require_scratch_database,
)
from bench.targets import Targets, add_smoke_argument
from cases.models import Case, InformationItem, Subject
from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Role
from livc.crypto import datakeys
from livc.crypto.keyring import KEY_BYTES, TOKEN_FORMAT, DecryptionError, get_key_ring
from livc.crypto.models import DataKey
from livc.crypto.routers import KEYS
from participants.models import Organisation, Participant

SECONDS_PER_30000_CASES = 60.0
RSS_GROWTH_MB = 20.0
UNUSABLE = "!"  # an unusable password hash: nobody logs in as a bench user


class Rollback(Exception):  # not an error: how the run undoes itself
    """Raised at the end of a run to roll both transactions back."""


class Lines(io.StringIO):
    """The command's output, with the moment each line was written (the end of a phase)."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[float, str]] = []

    def write(self, text: str, /) -> int:
        self.marks.append((time.perf_counter(), text.rstrip("\n")))
        return super().write(text)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=30_000, help="cases (each with its person) to seed")
        parser.add_argument("--items", type=int, default=1, help="information items per case (each its key)")
        parser.add_argument(
            "--sample", type=int, default=300, help="cases read back with the new version alone"
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="rotate_encryption_keys's --batch-size (default 500)"
        )
        add_smoke_argument(parser)
        add_scratch_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = require_scratch_database(options, writes="every data key of its key store, re-wrapped")
        cases, items = options["cases"], options["items"]
        if cases < 1 or items < 1:
            raise CommandError("Give at least one case and one item per case.")
        targets = Targets(self.stdout, enforce=not options["smoke"])
        self.stdout.write(
            f"Database: {connection.vendor} {name}, key store {connections[KEYS].settings_dict['NAME']}; "
            f"DEBUG={settings.DEBUG}"
        )
        try:
            with transaction.atomic(), transaction.atomic(using=KEYS):
                self._run(cases, items, options, targets)
                raise Rollback
        except Rollback:
            pass
        finally:
            datakeys.keys.clear()
        self.stdout.write("Rolled back: the scratch database and its key store are as they were.")
        targets.finish()

    def _run(self, cases: int, items: int, options: dict[str, Any], targets: Targets) -> None:
        started = time.perf_counter()
        seeded_keys, case_pks = self._seed(cases, items)
        live = DataKey.objects.filter(destroyed_at__isnull=True).count()
        self.stdout.write(
            f"Seeded {cases:,} cases with {cases * items:,} items in {time.perf_counter() - started:.1f} s; "
            f"{seeded_keys:,} data keys made in bulk, {seeded_keys / cases:.1f} per case (its person's, "
            f"its items'). The key store holds {live:,} live keys in all."
        )
        if connection.vendor == "postgresql":
            # What autovacuum would have done before a rotation. The seeded tables only: a bare
            # ANALYZE also locks the shared catalogs until this transaction ends, and the key
            # store's ANALYZE (another connection, the same server) would wait for it for ever.
            for alias, models in ((DEFAULT_DB_ALIAS, (Subject, Case, InformationItem)), (KEYS, (DataKey,))):
                with connections[alias].cursor() as cursor:
                    for model in models:
                        cursor.execute(f"ANALYZE {connections[alias].ops.quote_name(model._meta.db_table)}")

        ring = get_key_ring()
        old_versions, new_version = ring.versions, ring.newest + 1
        new_entry = f"{new_version}:{base64.b64encode(os.urandom(KEY_BYTES)).decode('ascii')}"
        with override_settings(LIVC_ENCRYPTION_KEYS=f"{new_entry},{settings.LIVC_ENCRYPTION_KEYS}"):
            self._rotate(cases, new_version, old_versions, options["batch_size"], targets)
        with override_settings(LIVC_ENCRYPTION_KEYS=new_entry):  # the old versions removed
            self._read_back(case_pks, options["sample"], new_version, targets)

    # --- seeding -------------------------------------------------------------------------------

    def _seed(self, cases: int, items: int) -> tuple[int, list[Any]]:
        """One cell, its coordinator and three participants, `cases` cases with `items` items
        each; the keys made in bulk, a batch at a time. The number of keys made, the cases' ids."""
        tag = os.urandom(3).hex()
        cell = Cell.objects.create(name=f"Bench keys {tag}", slug=f"bench-keys-{tag}")
        people = User.objects.bulk_create(
            User(email=f"bench-keys-{tag}-{n}@example.test", name=f"Bench {n}", password=UNUSABLE)
            for n in range(4)
        )
        roles = [Role.COORDINATOR, Role.PARTICIPANT, Role.PARTICIPANT, Role.PARTICIPANT]
        memberships = Membership.objects.bulk_create(
            Membership(cell=cell, user=user, role=role) for user, role in zip(people, roles, strict=True)
        )
        organisation = Organisation.objects.create(cell=cell, name="CLB", type="clb")
        participants = Participant.objects.bulk_create(
            Participant(cell=cell, membership=m, organisation=organisation, function="B")
            for m in memberships[1:]
        )
        before = DataKey.objects.count()
        seeded = add_cases(
            cell,
            cases,
            created_by=people[0],
            reference=lambda n: f"K{n:07d}",
            aim_signals="Signalen die de casus aan de preventie van terroristische misdrijven binden.",
        )
        shared_on = seeded[0].opened_at.date()
        per_batch = max(1, BULK_BATCH // items)  # the cases whose items' keys fit the key cache at once
        for start in range(0, len(seeded), per_batch):
            batch = [
                InformationItem(
                    cell=cell,
                    case=case,
                    owner=participants[n % len(participants)],
                    organisation=organisation,
                    shared_on=shared_on,
                    category="behaviour",
                    text=f"Informatie {n}: gedrag op school en online, gedeeld aan tafel.",
                    created_by=people[0],
                )
                for case in seeded[start : start + per_batch]
                for n in range(items)
            ]
            make_data_keys(batch)
            InformationItem.objects.bulk_create(batch, batch_size=BULK_BATCH)
        datakeys.keys.clear()
        return DataKey.objects.count() - before, [case.pk for case in seeded]

    # --- the rotation --------------------------------------------------------------------------

    def _rotate(
        self, cases: int, new_version: int, old_versions: list[int], batch_size: int, targets: Targets
    ) -> None:
        datakeys.keys.clear()
        lines = Lines()
        self.stdout.write(
            f"\nRing: versions {', '.join(map(str, old_versions))}; version {new_version} added "
            "(this process only). rotate_encryption_keys:"
        )
        with RssPeak() as memory:
            started = time.perf_counter()
            call_command("rotate_encryption_keys", batch_size=batch_size, stdout=lines, stderr=lines)
            elapsed = time.perf_counter() - started
        rewrapped = self._phases(lines, started)
        self.stdout.write(
            f"Rotation: {rewrapped:,} data keys re-wrapped, and every table walked, in {elapsed:.1f} s "
            f"= {rewrapped / elapsed:,.0f} keys/s overall. RSS growth at most "
            f"{memory.growth / 2**20:.1f} MB (peak {memory.peak / 2**20:.0f} MB)."
        )
        allowed = SECONDS_PER_30000_CASES * cases / 30_000
        targets.check(
            f"rotate_encryption_keys, {cases:,} cases ({rewrapped:,} data keys)", elapsed, "<", allowed, " s"
        )
        targets.check("RSS growth during the rotation", memory.growth / 2**20, "<", RSS_GROWTH_MB, " MB")

    def _phases(self, lines: Lines, started: float) -> int:
        """Print each line of the command with the time its phase took; the keys re-wrapped."""
        rewrapped, previous, walked = 0, started, []
        for moment, text in lines.marks:
            took = moment - previous
            previous = moment
            if text.startswith("Data keys:"):
                rewrapped = int(text.split(", ")[1].split()[0])  # "Data keys: N live, M re-wrapped ..."
                self.stdout.write(f"  {text} ({took:.1f} s: {rewrapped / max(took, 1e-9):,.0f} keys/s)")
            elif text.startswith("Total:"):
                self.stdout.write(f"  {text}")
            else:
                walked.append((took, text))
        self.stdout.write(
            f"  The walk of the tables for values sealed with the ring: {sum(t for t, _ in walked):.1f} s; "
            "the longest:"
        )
        for took, text in sorted(walked, reverse=True)[:4]:
            self.stdout.write(f"    {took:5.1f} s  {text}")
        return rewrapped

    # --- reading back with the new version alone -------------------------------------------------

    def _read_back(self, case_pks: list[Any], sample: int, new_version: int, targets: Targets) -> None:
        datakeys.keys.clear()
        chosen = random.Random(30_000).sample(case_pks, min(sample, len(case_pks)))  # noqa: S311
        read: list[tuple[Any, str]] = []
        for case in Case.objects.filter(pk__in=chosen).select_related("subject"):
            read += [(case, "aim_signals"), (case, "close_reason"), (case.subject, "last_name")]
            read += [(case.subject, "first_name"), (case.subject, "address")]
        read += [(item, "text") for item in InformationItem.objects.filter(case__in=chosen)]
        failures = 0
        for row, field in read:
            try:
                getattr(row, field)
            except DecryptionError:
                failures += 1
        values = len(read)
        old = DataKey.objects.filter(destroyed_at__isnull=True).exclude(
            wrapped__startswith=f"{TOKEN_FORMAT}.{new_version}."
        )
        left = old.count()
        self.stdout.write(
            f"\nRead back with version {new_version} alone: {values:,} values of {len(chosen):,} cases, "
            f"their people and items; {failures} failed. Live keys still on an old version: {left}."
        )
        targets.check("sampled values that do not decrypt with the new version alone", failures, "==", 0)
        targets.check("sampled values read", values, ">", 0)
        targets.check("live data keys still wrapped with an old version", left, "==", 0)
