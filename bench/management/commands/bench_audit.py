"""Benchmark the audit log at national scale: seed, then time a CSV export and the console page.

Seeds (once) `--entries` access entries over `--cells` cells into the configured database,
properly chained, then prints the time, throughput and peak memory of streaming one cell's
year as CSV (and of a larger export, to show that memory does not grow with the row count),
and the median time of the filtered console page. Targets: >= 50,000 rows/s,
peak memory < 150 MB independent of the row count, console page < 200 ms on PostgreSQL.

It writes a lot and cannot delete (the log is append-only): it refuses to run unless the
database name contains "bench" or `--yes-this-is-a-scratch-database` is given.
"""

import datetime
import json
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from bench.seeding import (
    AUDIT_COLUMNS,
    add_scratch_argument,
    audit_entry_writer,
    logged_in_client,
    require_scratch_database,
    rss,
)
from dpo.exports import csv_chunks
from dpo.selectors import LogFilter, log_list
from livc.accounts.models import User
from livc.audit import hashing
from livc.audit.models import ChainHead, LogAction, LogEntry
from livc.cells.models import Cell, Membership, Role

PREFIX = "bench-"
USERS_PER_CELL = 10
# Access entries carry no `changes`: the columns the purge benchmark fills, less that one.
COLUMNS = tuple(column for column in AUDIT_COLUMNS if column != "changes")
VIEWS = ["cases:detail", "cases:list", "cases:referral", "cases:minutes", "participants:participants"]


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entries", type=int, default=1_000_000, help="access entries to seed")
        parser.add_argument("--cells", type=int, default=300, help="cells to spread them over")
        parser.add_argument("--requests", type=int, default=20, help="console page requests to time")
        add_scratch_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = require_scratch_database(options, writes="a million undeletable audit entries")
        self.stdout.write(f"Database: {connection.vendor} {name}")
        cells = self._cells(options["cells"], options["entries"])
        target = max(cells, key=lambda cell: LogEntry.objects.filter(cell=cell).count())
        self._export(target, cells)
        self._console(target, options["requests"])

    # --- seeding ------------------------------------------------------------------------

    def _cells(self, count: int, entries: int) -> list[Cell]:
        existing = list(Cell.objects.filter(slug__startswith=PREFIX).order_by("slug"))
        if existing:
            seeded = LogEntry.objects.filter(cell__in=existing).count()
            self.stdout.write(
                f"Reusing {len(existing)} bench cells with {seeded:,} entries (seeded earlier)."
            )
            return existing
        started = time.perf_counter()
        cells, users = self._people(count)
        self._seed_entries(cells, users, entries)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum would do after a while
                cursor.execute(f"ANALYZE {LogEntry._meta.db_table}")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Seeded {entries:,} entries over {count} cells in {elapsed:.1f} s.")
        return cells

    @transaction.atomic
    def _people(self, count: int) -> tuple[list[Cell], dict[int, list[User]]]:
        cells = Cell.objects.bulk_create(
            [Cell(name=f"LIVC-R Bench {n:03d}", slug=f"{PREFIX}{n:03d}") for n in range(1, count + 1)]
        )
        cells = list(Cell.objects.filter(slug__startswith=PREFIX).order_by("slug"))
        User.objects.bulk_create(
            [
                User(
                    email=f"u{n}@{cell.slug}.bench.invalid",
                    name=f"Bench User {cell.slug}-{n}",
                    password="!",  # noqa: S106
                )
                for cell in cells
                for n in range(USERS_PER_CELL)
            ]
        )
        by_email = {user.email: user for user in User.objects.filter(email__endswith=".bench.invalid")}
        users: dict[int, list[User]] = {}
        memberships = []
        for cell in cells:
            users[cell.pk] = [by_email[f"u{n}@{cell.slug}.bench.invalid"] for n in range(USERS_PER_CELL)]
            for n, user in enumerate(users[cell.pk]):
                role = Role.DPO if n == 0 else Role.COORDINATOR if n == 1 else Role.PARTICIPANT
                memberships.append(Membership(cell=cell, user=user, role=role))
        Membership.objects.bulk_create(memberships)
        return cells, users

    def _seed_entries(self, cells: list[Cell], users: dict[int, list[User]], total: int) -> None:
        content_types = [ContentType.objects.get_for_model(model) for model in (Cell, Membership, User)]
        keys = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in content_types}
        per_cell = [total // len(cells) + (1 if n < total % len(cells) else 0) for n in range(len(cells))]
        rng = random.Random(2026)  # noqa: S311 - invented data
        now = timezone.now()
        heads = []
        with transaction.atomic():
            writer = self._writer()
            for cell, count in zip(cells, per_cell, strict=True):
                rows, head = self._cell_rows(cell, users[cell.pk], count, content_types, keys, rng, now)
                writer(rows)
                heads.append(ChainHead(key=cell.pk, seq=head[0], entry_hash=head[1]))
            ChainHead.objects.bulk_create(heads)

    def _cell_rows(
        self,
        cell: Cell,
        people: list[User],
        count: int,
        content_types: list[ContentType],
        keys: dict[int, str],
        rng: random.Random,
        now: datetime.datetime,
    ) -> tuple[list[tuple[Any, ...]], tuple[int, str]]:
        moments = sorted(now - datetime.timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(count))
        prev = hashing.GENESIS
        rows = []
        for seq, moment in enumerate(moments, 1):
            actor = rng.choice(people)
            content_type = rng.choice(content_types)
            object_id = rng.randrange(1, 5000)
            kind = rng.choices(["view", "download", "export"], weights=[90, 8, 2])[0]
            data = {"view": rng.choice(VIEWS)}
            address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            digest = hashing.content_digest(
                object_repr=f"Object {object_id}",
                changes_text="",
                changes=None,
                serialized_data=None,
                additional_data=data,
            )
            entry_hash = hashing.link_hash(
                chain_key=cell.pk,
                seq=seq,
                prev_hash=prev,
                timestamp=moment,
                action=LogAction.ACCESS,
                access_kind=kind,
                event="",
                content_type=keys[content_type.pk],
                object_pk=str(object_id),
                actor_id=actor.pk,
                actor_email=actor.email,
                remote_addr=address,
                remote_port=None,
                cid=None,
                content_digest=digest,
            )
            rows.append(
                (
                    content_type.pk,
                    str(object_id),
                    object_id,
                    f"Object {object_id}",
                    int(LogAction.ACCESS),
                    "",
                    actor.pk,
                    actor.email,
                    address,
                    moment,
                    json.dumps(data),
                    cell.pk,
                    kind,
                    "",
                    seq,
                    prev,
                    entry_hash,
                    digest,
                )
            )
            prev = entry_hash
        return rows, (count, prev)

    def _writer(self) -> Any:
        return audit_entry_writer(COLUMNS)

    # --- measuring ----------------------------------------------------------------------

    def _export(self, cell: Cell, cells: list[Cell]) -> None:
        dpo = Membership.objects.filter(cell=cell, role=Role.DPO).select_related("user").first()
        if dpo is None:
            raise CommandError(f"Cell {cell.slug} has no DPO.")
        year = LogFilter(date_from=timezone.localdate() - datetime.timedelta(days=365))
        one_cell = log_list(cell=cell, user=dpo.user, log_filter=year)
        rows, seconds, peak, rss = _measure(one_cell)
        self.stdout.write(
            f"CSV export, one cell's year: {rows:,} rows in {seconds:.3f} s = {rows / seconds:,.0f} rows/s; "
            f"peak traced memory {peak / 2**20:.1f} MB, RSS growth {rss / 2**20:.1f} MB"
        )
        for label, subset in (("30 cells' year", cells[:30]), ("every cell", cells)):
            many = LogEntry.objects.filter(cell__in=subset).order_by("-timestamp", "-id")
            rows, seconds, peak, rss = _measure(many)
            self.stdout.write(
                f"CSV export, {label}: {rows:,} rows in {seconds:.3f} s = {rows / seconds:,.0f} rows/s; "
                f"peak traced memory {peak / 2**20:.1f} MB, RSS growth {rss / 2**20:.1f} MB"
            )
        self.stdout.write(
            f"Process peak RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )

    def _console(self, cell: Cell, requests: int) -> None:
        dpo = Membership.objects.filter(cell=cell, role=Role.DPO).select_related("user").get().user
        client = logged_in_client(dpo)
        url = reverse("audit:log", kwargs={"cell_slug": cell.slug})
        home = reverse("audit:home", kwargs={"cell_slug": cell.slug})
        some_user = Membership.objects.filter(cell=cell, role=Role.PARTICIPANT).values_list(
            "user_id", flat=True
        )[0]
        since = (timezone.localdate() - datetime.timedelta(days=90)).isoformat()
        for label, query in (
            ("log, unfiltered", url),
            (
                "log, filtered (user, 90 days, viewed)",
                f"{url}?user={some_user}&date_from={since}&action=access:view",
            ),
            ("log, filtered, page 5", f"{url}?date_from={since}&action=access&page=5"),
            ("overview (verifies the cell's whole chain)", home),
        ):
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(query, HTTP_HOST="localhost")
                timings.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise CommandError(f"Console page answered {response.status_code}.")
            self.stdout.write(
                f"Console page, {label}: median {statistics.median(timings) * 1000:.1f} ms "
                f"(min {min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f}) over {requests} requests"
            )


def _measure(entries: Any) -> tuple[int, float, int, int]:
    """Rows, seconds (untraced run), peak traced bytes and peak RSS growth (traced run)."""
    started = time.perf_counter()
    rows = sum(chunk.count("\n") for chunk in csv_chunks(entries)) - 1
    seconds = time.perf_counter() - started
    baseline = peak_rss = rss()
    tracemalloc.start()
    for _chunk in _chunks(entries):
        peak_rss = max(peak_rss, rss())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return rows, seconds, peak, peak_rss - baseline


def _chunks(entries: Any) -> Iterator[str]:
    yield from csv_chunks(entries)
