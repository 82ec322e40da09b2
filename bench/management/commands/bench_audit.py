"""The audit log at national scale: one cell's chain of a million entries, read through the DPO's pages.

Seeds (once; a later run with the same `--entries` reuses it) one cell whose chain holds
`--entries` entries (default 1,000,000) over a year: accesses to the cell's cases, memberships
and accounts by its ten members, properly chained, written with COPY. Then, if the audit app
verifies chains incrementally (`extend_verification`), extends the cell's checkpoint over the
whole chain once and prints how long a full verification takes (on a reused chain, already
checkpointed, it times `verify_chain`'s whole walk instead).

Then, through the views with the test client as the cell's DPO, the median time of: the
overview, the log's first page, a filtered log page, who saw a case, what a user saw; and the
CSV export of the whole chain, its streamed response consumed chunk by chunk, with the
process's memory (RSS) sampled as it goes.

Targets (a miss exits with status 1; `--smoke` checks without enforcing): each page under
200 ms (median); the export at least 100,000 rows/s with RSS growth under 50 MB.

It writes a lot and cannot delete (the log is append-only): it refuses to run unless the
database name contains "bench" or `--yes-this-is-a-scratch-database` is given.
"""

import datetime
import importlib
import inspect
import json
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.seeding import (
    AUDIT_COLUMNS,
    add_cases,
    add_scratch_argument,
    audit_entry_writer,
    logged_in_client,
    require_scratch_database,
    rss,
)
from bench.targets import Targets, add_smoke_argument, median, p95
from cases.models import Case
from livc.accounts.models import User
from livc.audit import hashing
from livc.audit.models import ChainHead, LogAction, LogEntry
from livc.cells.models import Cell, Membership, Role

PREFIX = "bench-audit-"
USERS = 10
CASES = 200
BATCH = 50_000
PAGE_TARGET_MS = 200.0
EXPORT_ROWS_PER_S = 100_000
EXPORT_RSS_GROWTH_MB = 50.0
# Access entries carry no `changes`: the columns `AuditWriter` fills, less that one.
COLUMNS = tuple(column for column in AUDIT_COLUMNS if column != "changes")
VIEWS = ["cases:detail", "cases:list", "cases:referral", "cases:minutes", "participants:participants"]
# Where the audit app keeps the incremental verification (issue 14); looked up, not imported, so
# this benchmark runs before and after that change.
AUDIT_MODULES = (
    "livc.audit.chain",
    "livc.audit.checkpoints",
    "livc.audit.verification",
    "livc.audit.services",
)


def audit_function(name: str) -> Callable[..., Any] | None:
    for module_name in AUDIT_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, name, None)
        if callable(function):
            return function
    return None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entries", type=int, default=1_000_000, help="entries in the cell's chain")
        parser.add_argument("--requests", type=int, default=10, help="requests per page timing")
        add_smoke_argument(parser)
        add_scratch_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = require_scratch_database(options, writes="a million undeletable audit entries")
        if options["entries"] < 1:
            raise CommandError("Give at least one entry.")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        targets = Targets(self.stdout, enforce=not options["smoke"])
        self.stdout.write(f"Database: {connection.vendor} {name}; DEBUG={settings.DEBUG}")
        cell = self._cell(options["entries"])
        self._seal_and_verify(cell)
        dpo = Membership.objects.select_related("user").get(cell=cell, role=Role.DPO).user
        client = logged_in_client(dpo)
        self._pages(cell, client, options["requests"], targets)
        self._export(cell, client, targets)
        targets.finish()

    # --- seeding ------------------------------------------------------------------------

    def _cell(self, entries: int) -> Cell:
        slug = f"{PREFIX}{entries}"
        cell = Cell.objects.filter(slug=slug).first()
        if cell is not None:
            seeded = LogEntry.objects.filter(cell=cell).count()
            self.stdout.write(f"Reusing cell {slug}: its chain holds {seeded:,} entries (seeded earlier).")
            return cell
        started = time.perf_counter()
        with transaction.atomic():
            cell, users, objects = self._people(slug)
            self._seed_entries(cell, users, objects, entries)
        if connection.vendor == "postgresql":
            # What autovacuum does to a year of entries long before anyone exports them: statistics,
            # and the visibility map and hint bits that a first read of freshly copied rows would
            # otherwise have to write (the export right after seeding ran ~15 % slower without).
            # VACUUM cannot run inside a transaction (a test's): there, ANALYZE alone.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(f"{command} {LogEntry._meta.db_table}")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {entries:,} entries in one cell in {elapsed:.1f} s ({entries / elapsed:,.0f} entries/s)."
        )
        return cell

    def _people(self, slug: str) -> tuple[Cell, list[User], list[tuple[ContentType, str]]]:
        cell = Cell.objects.create(name=f"LIVC-R Bench audit {slug}", slug=slug)
        users = User.objects.bulk_create(
            User(email=f"u{n}@{slug}.bench.invalid", name=f"Bench User {n}", password="!")  # noqa: S106
            for n in range(USERS)
        )
        memberships = Membership.objects.bulk_create(
            Membership(
                cell=cell,
                user=user,
                role=Role.DPO if n == 0 else Role.COORDINATOR if n == 1 else Role.PARTICIPANT,
            )
            for n, user in enumerate(users)
        )
        cases = add_cases(
            cell, CASES, created_by=users[1], reference=lambda n: f"2026-{n + 1:04d}", aim_signals="Bench."
        )
        case_type = ContentType.objects.get_for_model(Case)
        membership_type = ContentType.objects.get_for_model(Membership)
        user_type = ContentType.objects.get_for_model(User)
        objects = [(case_type, str(case.pk)) for case in cases] * 4  # four in five entries are about a case
        objects += [(membership_type, str(m.pk)) for m in memberships]
        objects += [(user_type, str(u.pk)) for u in users]
        return cell, users, objects

    def _seed_entries(
        self, cell: Cell, users: list[User], objects: list[tuple[ContentType, str]], total: int
    ) -> None:
        writer = audit_entry_writer(COLUMNS)
        # Creating the cell and its members wrote entries of their own: seal any still waiting,
        # then continue the chain after them.
        seal = audit_function("seal_all_pending")
        if seal is not None:
            seal()
        head = ChainHead.objects.filter(key=cell.pk).first()
        start = (head.seq, head.entry_hash) if head else (0, hashing.GENESIS)
        rows = self._rows(cell, users, objects, total, start)
        written = 0
        started = time.perf_counter()
        while batch := [row for _n, row in zip(range(BATCH), rows, strict=False)]:
            writer(batch)
            written += len(batch)
            if written % (BATCH * 4) == 0:
                elapsed = time.perf_counter() - started
                self.stdout.write(f"  {written:>9,} entries in {elapsed:5.1f} s")
        seq, entry_hash = self._head
        ChainHead.objects.update_or_create(key=cell.pk, defaults={"seq": seq, "entry_hash": entry_hash})

    def _rows(
        self,
        cell: Cell,
        users: list[User],
        objects: list[tuple[ContentType, str]],
        total: int,
        start_at: tuple[int, str],
    ) -> Iterator[tuple[Any, ...]]:
        """The chain's rows in order, a year of them up to a minute ago."""
        rng = random.Random(2026)  # noqa: S311 - invented data
        labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct, _pk in objects}
        start = timezone.now() - datetime.timedelta(days=365)
        step = (365 * 86400 - 60) / total
        first, prev = start_at
        self._head = start_at
        for n in range(1, total + 1):
            seq = first + n
            moment = start + datetime.timedelta(seconds=n * step)
            actor = rng.choice(users)
            content_type, object_pk = rng.choice(objects)
            kind = rng.choices(["view", "download", "export"], weights=[90, 8, 2])[0]
            data = {"view": rng.choice(VIEWS)}
            address = f"10.{rng.randrange(4)}.{rng.randrange(8)}.{rng.randrange(1, 32)}"
            object_repr = f"Object {object_pk[:8]}"
            digest = hashing.content_digest(
                object_repr=object_repr,
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
                content_type=labels[content_type.pk],
                object_pk=object_pk,
                actor_id=actor.pk,
                actor_email=actor.email,
                remote_addr=address,
                remote_port=None,
                cid=None,
                content_digest=digest,
            )
            yield (
                content_type.pk,
                object_pk,
                int(object_pk) if object_pk.isdigit() else None,
                object_repr,
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
            prev = entry_hash
            self._head = (seq, prev)

    # --- sealing and verifying ----------------------------------------------------------

    def _seal_and_verify(self, cell: Cell) -> None:
        """Seal what waits (if entries are sealed later), then extend the cell's verified
        checkpoint over its whole chain once (if the audit app keeps one)."""
        seal = audit_function("seal_all_pending")
        if seal is not None:
            started = time.perf_counter()
            seal()
            self.stdout.write(f"seal_all_pending: {time.perf_counter() - started:.2f} s")
        extend = audit_function("extend_verification")
        if extend is None:
            self.stdout.write(
                "No extend_verification in the audit app: the overview verifies the whole chain itself."
            )
            return
        entries = LogEntry.objects.filter(cell=cell).count()
        # The whole chain in one go, not the few thousand entries a request's extension takes.
        whole = {"limit": None} if "limit" in inspect.signature(extend).parameters else {}
        started = time.perf_counter()
        result = extend(cell.pk, **whole)
        elapsed = time.perf_counter() - started
        checked = getattr(result, "checked", entries)
        intact = "intact" if getattr(result, "ok", True) else "BROKEN"
        if checked >= entries:
            self.stdout.write(
                f"full verification of {entries:,} entries: {elapsed:.1f} s, "
                f"{checked / max(elapsed, 1e-9):,.0f} entries/s (checkpoint extension; chain {intact})"
            )
            return
        self.stdout.write(
            f"checkpoint extension: {checked:,} entries since the last checkpoint in {elapsed:.2f} s "
            f"(chain {intact})"
        )
        walk = audit_function("verify_chain")  # a reused chain: time the whole walk instead
        if walk is not None:
            started = time.perf_counter()
            status = walk(cell.pk)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"full verification of {entries:,} entries: {elapsed:.1f} s, "
                f"{entries / max(elapsed, 1e-9):,.0f} entries/s (verify_chain, the whole walk; "
                f"chain {'intact' if getattr(status, 'ok', True) else 'BROKEN'})"
            )

    # --- measuring ----------------------------------------------------------------------

    def _pages(self, cell: Cell, client: Any, requests: int, targets: Targets) -> None:
        kwargs = {"cell_slug": cell.slug}
        log = reverse("audit:log", kwargs=kwargs)
        some_user = (
            Membership.objects.filter(cell=cell, role=Role.PARTICIPANT)
            .values_list("user_id", flat=True)
            .first()
        )
        case = Case.objects.filter(cell=cell).order_by("reference").first()
        since = (timezone.localdate() - datetime.timedelta(days=90)).isoformat()
        pages = {
            "overview": reverse("audit:home", kwargs=kwargs),
            "log, first page": log,
            "log, filtered (user, 90 days, viewed), page 2": (
                f"{log}?user={some_user}&date_from={since}&action=access:view&page=2"
            ),
            "who saw a case": (
                f"{reverse('audit:object_accesses', kwargs=kwargs)}?case={case.reference if case else ''}"
            ),
            "what a user saw": reverse("audit:user_accesses", kwargs={**kwargs, "user_id": some_user}),
        }
        self.stdout.write(f"\nPages, as the DPO (test client, {requests} requests each):")
        medians = {}
        for label, url in pages.items():
            timings = _timed_gets(client, url, requests)
            medians[label] = median(timings)
            self.stdout.write(
                f"  {label}: median {median(timings):.1f} ms, p95 {p95(timings):.1f} ms, "
                f"min {min(timings):.1f} ms over {len(timings)} requests"
            )
            if medians[label] >= PAGE_TARGET_MS:  # where the time goes: SQL or Python, which queries
                total, queries, slowest = _queries_of(client, url)
                self.stdout.write(
                    f"    one request: {total:.0f} ms, of which {sum(s for s, _q in queries) * 1000:.0f} ms "
                    f"in {len(queries)} queries; the slowest:"
                )
                for seconds, sql in slowest:
                    self.stdout.write(f"      {seconds * 1000:7.1f} ms: {sql[:240]}")
        for label, value in medians.items():
            targets.check(f"{label} (median)", value, "<", PAGE_TARGET_MS, " ms")

    def _export(self, cell: Cell, client: Any, targets: Targets) -> None:
        since = (timezone.localdate() - datetime.timedelta(days=366)).isoformat()
        url = f"{reverse('audit:log_csv', kwargs={'cell_slug': cell.slug})}?date_from={since}"
        baseline = peak = rss()
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200 or not response.streaming:
            raise CommandError(
                f"The CSV export answered {response.status_code} (streaming: {response.streaming})."
            )
        lines = chunks = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
            chunks += 1
            if chunks % 25 == 0:
                peak = max(peak, rss())
        # Consumed to the end, the test client has closed the response (a second close() would
        # run the request-finished handlers again).
        seconds = time.perf_counter() - started
        peak = max(peak, rss())
        rows = lines - 1
        growth = (peak - baseline) / 2**20
        self.stdout.write(
            f"\nCSV export through the view (all {rows:,} rows, {chunks:,} chunks): {seconds:.2f} s = "
            f"{rows / seconds:,.0f} rows/s; RSS {baseline / 2**20:.0f} MB before, "
            f"growth at most {growth:.1f} MB"
        )
        targets.check("CSV export throughput", rows / seconds, ">=", EXPORT_ROWS_PER_S, " rows/s")
        targets.check("CSV export RSS growth", growth, "<", EXPORT_RSS_GROWTH_MB, " MB")


def _queries_of(
    client: Any, url: str, count: int = 3
) -> tuple[float, list[tuple[float, str]], list[tuple[float, str]]]:
    """One request to `url`: its time (ms), its queries and the `count` slowest (seconds, SQL)."""
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    timed = [(float(query["time"]), query["sql"]) for query in captured.captured_queries]
    return elapsed, timed, sorted(timed, reverse=True)[:count]


def _timed_gets(client: Any, url: str, requests: int) -> list[float]:
    """Milliseconds per request after a warm-up one; fewer requests if a page takes seconds."""
    first = _get(client, url)
    rounds = requests if first < 2000 else 2
    return [_get(client, url) for _ in range(rounds)]


def _get(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}.")
    return elapsed
