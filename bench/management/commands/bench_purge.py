"""Benchmark the retention purge: seed expired cases with realistic dependants, purge, measure.

Seeds `--cases` cases (default 10,000) over `--cells` new cells, all last discussed two years
ago, each with what a case gathers: a subject with an identity, a retained referral, three
seats with their object permissions, four information items, a relation, an informing entry,
two agenda items with minutes at two finalised meetings (every fifth with a correction),
a decision with two agreements, two actions, every twentieth an identity request; per meeting
two minutes PDFs. Every object has its audit entries (created, changed, and three views of
the case), properly chained. Plus `--referrals` not-retained referrals (default a tenth).

Then it runs the purge (`retention.services.purge_expired`, as the nightly task does) and
prints the throughput and the process's memory (RSS) every tenth of the way and at the end:
it must stay flat however many cases go.

Targets (a miss exits with status 1; `--smoke` checks without enforcing): 10,000 cases in
under 60 s on PostgreSQL (prorated for another `--cases`), RSS growth under 20 MB over the
run, every seeded case and referral purged and none failed.

It writes undeletable audit entries (the log is append-only): it refuses to run unless the
database name contains "bench" or `--yes-this-is-a-scratch-database` is given. Each run
seeds new cells; nothing of an earlier run is reused.
"""

import random
import resource
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from bench.purge_seed import Seeder
from bench.seeding import add_scratch_argument, require_scratch_database, rss
from bench.targets import Targets, add_smoke_argument
from retention import services

SECONDS_PER_10000_CASES = 60.0
RSS_GROWTH_MB = 20.0


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=10_000, help="expired cases to seed and purge")
        parser.add_argument("--cells", type=int, default=10, help="cells to spread them over")
        parser.add_argument("--referrals", type=int, default=None, help="not-retained referrals (cases/10)")
        parser.add_argument(
            "--seed-only", action="store_true", help="seed and stop (to purge with `purge_expired` later)"
        )
        add_smoke_argument(parser)
        add_scratch_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = require_scratch_database(options, writes="undeletable audit entries")
        cases, cells = options["cases"], max(1, options["cells"])
        referrals = cases // 10 if options["referrals"] is None else options["referrals"]
        if cases < 1 or referrals < 0:
            raise CommandError("Give at least one case and no negative number of referrals.")
        self.stdout.write(f"Database: {connection.vendor} {name}; DEBUG={settings.DEBUG}")
        started = time.perf_counter()
        seeded = Seeder(cells=cells, rng=random.Random(2026)).seed(cases=cases, referrals=referrals)  # noqa: S311
        self.stdout.write(
            f"Seeded {cases:,} expired cases and {referrals:,} not-retained referrals over {cells} cells "
            f"({seeded.rows:,} rows, {seeded.entries:,} audit entries) "
            f"in {time.perf_counter() - started:.1f} s."
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # what autovacuum would have done by the night of the purge
        if not options["seed_only"]:
            targets = Targets(self.stdout, enforce=not options["smoke"])
            self._purge(cases, referrals, targets)
            targets.finish()

    def _purge(self, cases: int, referrals: int, targets: Targets) -> None:
        expected = cases + referrals
        baseline = rss()
        step = max(1, expected // 10)
        done = 0
        peak = 0
        started = time.perf_counter()

        def progress(record: Any) -> None:
            nonlocal done, peak
            done += 1
            peak = max(peak, rss() - baseline)
            if done % step == 0:
                elapsed = time.perf_counter() - started
                self.stdout.write(
                    f"  {done:>7,} purged in {elapsed:6.1f} s = {done / elapsed:6.0f}/s; "
                    f"RSS {rss() / 2**20:.1f} MB ({(rss() - baseline) / 2**20:+.1f} MB)"
                )

        run = services.purge_expired(progress=progress)
        elapsed = time.perf_counter() - started
        if run.locked_out:
            raise CommandError("Another purge holds the lock; nothing was measured.")
        self.stdout.write(
            f"Purged {run.cases:,} cases and {run.referrals:,} referrals in {elapsed:.1f} s = "
            f"{run.cases / elapsed:,.0f} cases/s ({(run.cases + run.referrals) / elapsed:,.0f} purges/s); "
            f"{len(run.failed)} failed."
        )
        self.stdout.write(
            f"Memory: RSS growth at most {peak / 2**20:.1f} MB during the run; "
            f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.\n"
        )
        allowed = SECONDS_PER_10000_CASES * cases / 10_000
        targets.check(f"purge of {cases:,} cases (and {referrals:,} referrals)", elapsed, "<", allowed, " s")
        targets.check("RSS growth during the purge", peak / 2**20, "<", RSS_GROWTH_MB, " MB")
        targets.check("cases and referrals purged", run.cases + run.referrals, "==", expected)
        targets.check("purges failed", len(run.failed), "==", 0)
