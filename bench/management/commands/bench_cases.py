"""Who-sees-which-case at national scale: the case pages at three cell sizes, checked against targets.

Seeds one cell per `--sizes` (default 100, 1,000 and 10,000 cases), each with `--pool`
participants, `--seats` seats per case and one participant (the one measured) at the table of
`--share` of the cases (60 %: 6,000 of 10,000, as in issue 14), into the configured database,
which must be a scratch one (its name contains "bench", or pass --yes-this-is-a-scratch-database).

Measures through the test client, as that participant and as the cell's coordinator, the case
list and a case's detail page in every cell: the queries each page makes and its median time,
the sizes interleaved round by round. Then the list's own query next to hand-written SQL, and
the minutes PDF of a 100-item meeting for the coordinator and the participant.

Then what per-case data keys cost the case pages (`livc.crypto.datakeys`): two more cells of
`--sealing-size` cases (default 1,000), alike, whose measured case has its person's identity, a
referral, `--detail-items` information items (default 8, each under a key of its own) and
`--detail-relations` relations (default 4, each its own key too). Both are seeded with their
values sealed with the key ring only, as before data keys (`bench.seeding.sealed_with_the_ring`);
between the two, `move_to_data_keys` puts the first one's values (and any other value of the
scratch database still sealed with the ring although it has an owner) under their data keys, as
an upgrade would; the tables it rewrote are vacuumed, as autovacuum would, so that both cells'
rows read alike. The process's key cache is emptied (each request empties it too). Then, as the
participant and as the coordinator, the case list and that case's detail page in both cells,
interleaved round by round (`--sealing-rounds`, half of them in either order): queries on the
main database and on the key store, median and p95.

And what row-level security costs the case pages (docs/adr/0011), in the largest cell, whose
newest case at the measured participant's table is given its person's identity, a referral,
items and relations as above: as the participant and as the coordinator, the case list and that
case's detail page as every request runs them ("RLS on": the request's transaction narrowed to
the application role, `LIVC_DATABASE_APP_ROLE`, to which the policies apply), beside the same
pages with that setting overridden to "none" ("RLS off": the same transaction and the same
`set_config` round trips, but as the superuser this process logged in as, to which no policy
applies). First one request in each mode probes, just before its first query on the cases'
table, the role in effect and how many cases of other cells it could see; the command stops
unless "on" is the application role seeing none of them and "off" the superuser seeing them
all. Then the queries of each page, and its times interleaved round by round (`--rls-rounds`,
half of them in either order): median and p95. (These run before the minutes PDF, whose rules
in force would send the members to acknowledge them first.)

Targets (a miss exits with status 1; `--smoke` checks without enforcing):
  - each page's query count is the same at every size (per page and role);
  - the list in the largest cell takes at most 1.5 times as long as in the smallest (per role);
  - the list's query takes at most 3 times the hand-written SQL (participant, largest cell);
  - the minutes PDF takes under 1 s (coordinator and participant);
  - each page (per role) with per-case data keys takes at most 1.10 times as long as with the
    values sealed with the ring only (median times);
  - each page (per role) makes the same queries with row-level security on and off, and takes
    at most 1.15 times as long with it on (median times).
"""

import datetime
import io
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, models, reset_queries, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.seeding import (
    add_cases,
    add_scratch_argument,
    logged_in_client,
    require_scratch_database,
    sealed_with_the_ring,
)
from bench.targets import Targets, add_smoke_argument, interleaved_medians, median, p95
from cases.models import (
    Case,
    CaseUserObjectPermission,
    InformationItem,
    Referral,
    Relation,
    Seat,
    Subject,
)
from cases.selectors import CaseRow, case_list, case_rows, case_visible_list
from livc import legal
from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Municipality, Role
from livc.crypto import datakeys
from livc.crypto.fields import EncryptedField
from livc.crypto.routers import KEYS
from participants.models import ConfidentialityAcknowledgement, Organisation, Participant

LIST_RATIO_TARGET = 1.5
SQL_RATIO_TARGET = 3.0
PDF_TARGET_SECONDS = 1.0
SEALING_RATIO_TARGET = 1.10
RLS_RATIO_TARGET = 1.15


@dataclass
class SeededCell:
    cell: Cell
    size: int
    coordinator: Membership
    participant: Membership  # the one at the table of `--share` of the cases


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sizes", default="100,1000,10000", help="cases per cell, comma-separated, smallest first"
        )
        parser.add_argument("--pool", type=int, default=40, help="participants per cell")
        parser.add_argument("--seats", type=int, default=10, help="seats per case")
        parser.add_argument(
            "--share", type=float, default=0.6, help="share of the cases the measured participant sees"
        )
        parser.add_argument("--repeat", type=int, default=15, help="rounds per timing")
        parser.add_argument("--pdf-items", type=int, default=100, help="agenda items of the minutes PDF")
        parser.add_argument("--pdf-rounds", type=int, default=5, help="renders per reader of the PDF")
        parser.add_argument(
            "--sealing-size", type=int, default=1000, help="cases per cell of the data-key comparison"
        )
        parser.add_argument(
            "--sealing-rounds", type=int, default=60, help="rounds per timing of the data-key comparison"
        )
        parser.add_argument("--detail-items", type=int, default=8, help="items of the compared case")
        parser.add_argument("--detail-relations", type=int, default=4, help="relations of the compared case")
        parser.add_argument(
            "--rls-rounds", type=int, default=60, help="rounds per timing of the row-level security pages"
        )
        add_smoke_argument(parser)
        add_scratch_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = require_scratch_database(options, writes="13,100 cases and 131,000 grants")
        sizes = sorted(int(size) for size in options["sizes"].split(","))
        if not sizes or sizes[0] < 1 or options["seats"] >= options["pool"]:
            raise CommandError("Give positive sizes and no more seats per case than participants.")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        targets = Targets(self.stdout, enforce=not options["smoke"])
        self.stdout.write(f"Database: {connection.vendor} {name}; DEBUG={settings.DEBUG}")
        started = time.perf_counter()
        seeded = self._seed(sizes, options)
        self.stdout.write(f"Seeded in {time.perf_counter() - started:.1f} s.")
        self._pages(seeded, options["repeat"], targets)
        self._data_keys(options, targets)
        self._row_level_security(seeded[-1], options, targets)
        self._listing_query(seeded[-1], options["repeat"], targets)
        self._minutes_pdf(seeded[-1], options["pdf_items"], options["pdf_rounds"], targets)
        self.stdout.write(f"\nbench_cases ran in {time.perf_counter() - started:.0f} s.")
        targets.finish()

    # --- seeding -------------------------------------------------------------------------

    @transaction.atomic
    def _seed(self, sizes: list[int], options: dict[str, Any]) -> list[SeededCell]:
        rng = random.Random(20261206)  # noqa: S311 - benchmark data, not security
        prefix = uuid.uuid4().hex[:6]
        municipality, _ = Municipality.objects.get_or_create(
            nis_code="99999", defaults={"name_nl": "Benchgem"}
        )
        view_case = Permission.objects.get(codename="view_case", content_type__app_label="cases")
        seeded = []
        for size in sizes:
            seeded.append(self._seed_cell(size, f"{prefix}-{size}", municipality, view_case, rng, options))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return seeded

    def _seed_cell(
        self,
        size: int,
        tag: str,
        municipality: Municipality,
        view_case: Permission,
        rng: random.Random,
        options: dict[str, Any],
    ) -> SeededCell:
        cell = Cell.objects.create(name=f"Bench {tag}", slug=f"bench-cases-{tag}")
        cell.municipalities.add(municipality)
        coordinator_user = User.objects.create(
            email=f"bench-{tag}-coord@example.test",
            name=f"Coordinator {tag}",
            password="!",  # noqa: S106 - unusable password
        )
        users = User.objects.bulk_create(
            User(email=f"bench-{tag}-{n}@example.test", name=f"Participant {tag} {n}", password="!")  # noqa: S106 - unusable password
            for n in range(options["pool"])
        )
        coordinator = Membership.objects.create(cell=cell, user=coordinator_user, role=Role.COORDINATOR)
        members = Membership.objects.bulk_create(
            Membership(cell=cell, user=user, role=Role.PARTICIPANT) for user in users
        )
        organisation = Organisation.objects.create(cell=cell, name="CLB", type="clb")
        participants = Participant.objects.bulk_create(
            Participant(cell=cell, membership=m, organisation=organisation, function="B") for m in members
        )
        version = legal.secrecy_statement(cell).version
        ConfidentialityAcknowledgement.objects.bulk_create(
            ConfidentialityAcknowledgement(cell=cell, user_id=m.user_id, statement_version=version)
            for m in [coordinator, *members]
        )
        cases = add_cases(cell, size, created_by=coordinator_user, reference=lambda n: f"2026-{n + 1:05d}")
        heavy, others = participants[0], participants[1:]
        seats, grants = [], []
        for number, case in enumerate(cases):
            table = rng.sample(others, options["seats"])
            if number == 0 or rng.random() < options["share"]:  # the first always: a tiny cell too
                table[-1] = heavy
            for participant in table:
                seats.append(Seat(case=case, participant=participant))
                grants.append(
                    CaseUserObjectPermission(
                        user_id=participant.membership.user_id, permission=view_case, content_object=case
                    )
                )
        Seat.objects.bulk_create(seats, batch_size=5000)
        CaseUserObjectPermission.objects.bulk_create(grants, batch_size=5000)
        self.stdout.write(
            f"  cell of {size:,} cases: {len(seats):,} seats and grants, {len(users)} participants"
        )
        return SeededCell(cell, size, coordinator, members[0])

    # --- the pages -------------------------------------------------------------------------

    def _pages(self, seeded: list[SeededCell], repeat: int, targets: Targets) -> None:
        """List and detail for each role in each cell: query counts, then interleaved timings."""
        results: dict[tuple[str, str], dict[int, tuple[int, list[float]]]] = {}
        for role in (Role.PARTICIPANT, Role.COORDINATOR):
            urls: dict[str, dict[int, Callable[[], Any]]] = {"case list": {}, "case detail": {}}
            for entry in seeded:
                member = entry.participant if role == Role.PARTICIPANT else entry.coordinator
                client = logged_in_client(member.user)
                visible = case_visible_list(member=member)
                case = visible.order_by("-opened_at").first()
                if case is None:
                    raise CommandError(f"The {role} of the {entry.size}-case cell sees no case.")
                self.stdout.write(f"  {role} in the cell of {entry.size:,}: sees {visible.count():,} cases")
                slug = entry.cell.slug
                urls["case list"][entry.size] = partial(
                    _get, client, reverse("cases:list", kwargs={"cell_slug": slug})
                )
                urls["case detail"][entry.size] = partial(
                    _get, client, reverse("cases:detail", kwargs={"cell_slug": slug, "pk": case.pk})
                )
            for page, calls in urls.items():
                counts = {size: _queries(call) for size, call in calls.items()}
                timings = interleaved_medians({str(size): call for size, call in calls.items()}, repeat)
                results[(role, page)] = {size: (counts[size], timings[str(size)]) for size in calls}
        self.stdout.write("\nPages (test client; median and p95 over interleaved rounds):")
        for (who, page), by_size in results.items():
            for size, (queries, rounds) in by_size.items():
                self.stdout.write(
                    f"  {who:<12} {page:<12} cell of {size:>6,}: {queries:>3} queries, "
                    f"median {median(rounds):6.1f} ms, p95 {p95(rounds):6.1f} ms"
                )
        self.stdout.write("")
        smallest, largest = seeded[0].size, seeded[-1].size
        for (who, page), by_size in results.items():
            targets.check_equal(
                f"{who} {page}: queries at every size",
                {f"{size:,}": queries for size, (queries, _timings) in by_size.items()},
            )
        for role in (Role.PARTICIPANT, Role.COORDINATOR):
            by_size = results[(role, "case list")]
            ratio = median(by_size[largest][1]) / max(median(by_size[smallest][1]), 1e-6)
            targets.check(
                f"{role} case list, {largest:,} cases / {smallest:,} cases (median times)",
                ratio,
                "<=",
                LIST_RATIO_TARGET,
                "x",
            )

    # --- per-case data keys against the ring only ------------------------------------------------

    def _data_keys(self, options: dict[str, Any], targets: Targets) -> None:
        """The case pages with the values under per-case data keys, beside the same pages in a
        cell alike whose values are sealed with the ring only (see the module's docstring)."""
        size = options["sealing_size"]
        with sealed_with_the_ring():
            moved = self._twin(size, "keys", options)
        out = io.StringIO()
        started = time.perf_counter()
        call_command("move_to_data_keys", stdout=out)
        total = [line for line in out.getvalue().splitlines() if line.startswith("Total:")]
        self.stdout.write(
            f"\nData keys: two cells of {size:,} cases seeded with the ring only; move_to_data_keys, "
            f"{time.perf_counter() - started:.1f} s: {total[0] if total else out.getvalue().strip()}"
        )
        with sealed_with_the_ring():
            ring = self._twin(size, "ring", options)
        datakeys.keys.clear()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:  # the move rewrote the rows: as autovacuum would
                for model in (Subject, Case, Referral, InformationItem, Relation):
                    cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        cells = {"data keys": moved, "ring only": ring}
        for label, (_entry, case) in cells.items():
            ring_sealed, under_keys, data_keys = _sealing(case)
            self.stdout.write(
                f"  {label:<9}: the compared case holds {ring_sealed + under_keys} values (its person, "
                f"the case, its referral, items and relations): {ring_sealed} sealed with the ring, "
                f"{under_keys} under {len(data_keys)} data key(s)"
            )
            expected = under_keys if label == "data keys" else ring_sealed
            if expected == 0 or expected != ring_sealed + under_keys:
                raise CommandError(f"The {label} cell's case is not sealed as it should be.")

        rounds = options["sealing_rounds"]
        pages: list[tuple[str, str, dict[str, Callable[[], Any]]]] = []
        for role in (Role.PARTICIPANT, Role.COORDINATOR):
            calls: dict[str, dict[str, Callable[[], Any]]] = {"case list": {}, "case detail": {}}
            for label, (entry, case) in cells.items():
                member = entry.participant if role == Role.PARTICIPANT else entry.coordinator
                client = logged_in_client(member.user)
                slug = entry.cell.slug
                calls["case list"][label] = partial(
                    _get, client, reverse("cases:list", kwargs={"cell_slug": slug})
                )
                calls["case detail"][label] = partial(
                    _get, client, reverse("cases:detail", kwargs={"cell_slug": slug, "pk": case.pk})
                )
            pages.extend((role, page, by_label) for page, by_label in calls.items())
        self._compare(
            targets,
            pages,
            rounds,
            title=f"Pages with per-case data keys and with the ring only (median and p95 over {rounds} "
            "interleaved rounds; queries on the main database + on the key store):",
            compared=("data keys", "ring only"),
            what="per-case data keys",
            ratio_name="per-case data keys / ring only",
            limit=SEALING_RATIO_TARGET,
        )

    def _twin(self, size: int, label: str, options: dict[str, Any]) -> tuple[SeededCell, Case]:
        """A cell of `size` cases as `_seed_cell` makes them, and its first case (at the measured
        participant's table) with the identity of its person, a referral, items and relations."""
        rng = random.Random(20261207)  # noqa: S311 - the same cell twice, as far as chance goes
        with transaction.atomic():
            municipality, _ = Municipality.objects.get_or_create(
                nis_code="99999", defaults={"name_nl": "Benchgem"}
            )
            view_case = Permission.objects.get(codename="view_case", content_type__app_label="cases")
            tag = f"{uuid.uuid4().hex[:6]}-{label}"
            entry = self._seed_cell(size, tag, municipality, view_case, rng, options)
            case = Case.objects.select_related("subject").get(cell=entry.cell, reference="2026-00001")
            self._fill(entry, case, rng, options)
        return entry, case

    def _fill(self, entry: SeededCell, case: Case, rng: random.Random, options: dict[str, Any]) -> None:
        """What the detail page shows besides the case: the person's identity, the referral,
        the items (from several participants of the table) and the relations."""
        coordinator = entry.coordinator.user
        paragraph = "Signalen op school en online, besproken met de ouders en het CLB; opvolging loopt. " * 4
        subject = case.subject
        subject.first_name, subject.last_name = "Voornaam", "Familienaam"
        subject.birth_date = datetime.date(2004, 5, 17)
        subject.address, subject.contact = "Straat 1\n9999 Benchgem", "0470 00 00 00"
        subject.identity_recorded_at = case.opened_at
        subject.save()
        referral = Referral.objects.create(
            cell=entry.cell,
            subject=subject,
            referred_by=coordinator,
            referred_on=datetime.date(2026, 1, 5),
            signals=paragraph,
            context="Context bij de aanmelding.",
            existing_support="Begeleiding door het CLB.",
            status="retained",
            qualified_by=coordinator,
            qualified_at=case.opened_at,
        )
        Case.objects.filter(pk=case.pk).update(referral=referral)
        table = [
            seat.participant
            for seat in Seat.objects.filter(case=case).select_related("participant__membership__user")
        ]
        for n in range(options["detail_items"] if table else 0):
            owner = table[n % len(table)]
            InformationItem.objects.create(
                cell=entry.cell,
                case=case,
                owner=owner,
                organisation_id=owner.organisation_id,
                shared_on=datetime.date(2026, 2, 1) + datetime.timedelta(days=n),
                category="behaviour" if n % 3 else "other",
                text=f"Informatie {n + 1}. {paragraph}",
                justification="" if n % 3 else "Nodig om de risico's in te schatten.",
                consent=True,
                created_by=owner.membership.user,
            )
        for n in range(options["detail_relations"]):
            Relation.objects.create(
                cell=entry.cell,
                case=case,
                kind="sibling" if n % 2 else "parent",
                name=f"Relatie {n + 1} van de persoon",
                birth_date=datetime.date(1975 + 7 * n, 3, 1 + rng.randrange(27)),
                notes="Woont in; betrokken bij de opvolging.",
                is_minor=False,
                created_by=coordinator,
            )

    # --- row-level security on and off -------------------------------------------------------

    def _row_level_security(self, entry: SeededCell, options: dict[str, Any], targets: Targets) -> None:
        """The case pages with row-level security, as every request runs them, beside the same
        pages as the superuser, for whom no policy applies (see the module's docstring)."""
        if connection.vendor != "postgresql":
            self.stdout.write(f"\nRow-level security: none on {connection.vendor}; not measured.")
            return
        newest = case_visible_list(member=entry.participant).order_by("-opened_at").first()
        if newest is None:
            raise CommandError(f"The participant of the {entry.size}-case cell sees no case.")
        case = Case.objects.select_related("subject").get(pk=newest.pk)
        with transaction.atomic():
            self._fill(entry, case, random.Random(20261208), options)  # noqa: S311 - benchmark data
        modes = {"RLS on": settings.LIVC_DATABASE_APP_ROLE, "RLS off": "none"}
        elsewhere = Case.objects.exclude(cell=entry.cell).count()
        self.stdout.write(
            f"\nRow-level security: the case pages in the cell of {entry.size:,} cases as the role "
            f"{modes['RLS on']} (RLS on) and as the superuser the process logged in as (RLS off; "
            f"LIVC_DATABASE_APP_ROLE=none); {elsewhere:,} cases in other cells."
        )
        rounds = options["rls_rounds"]
        compared: list[tuple[str, str, dict[str, Callable[[], Any]]]] = []
        for role in (Role.PARTICIPANT, Role.COORDINATOR):
            member = entry.participant if role == Role.PARTICIPANT else entry.coordinator
            client = logged_in_client(member.user)
            slug = entry.cell.slug
            urls = {
                "case list": reverse("cases:list", kwargs={"cell_slug": slug}),
                "case detail": reverse("cases:detail", kwargs={"cell_slug": slug, "pk": case.pk}),
            }
            for page, url in urls.items():
                by_label: dict[str, Callable[[], Any]] = {
                    label: partial(_as_role, app_role, partial(_get, client, url))
                    for label, app_role in modes.items()
                }
                if role == Role.PARTICIPANT and page == "case list":
                    self._prove_modes(by_label, elsewhere)
                compared.append((role, page, by_label))
        self._compare(
            targets,
            compared,
            rounds,
            title=f"Pages with row-level security on and off (median and p95 over {rounds} interleaved "
            "rounds, half in either order; queries on the main database + on the key store):",
            compared=("RLS on", "RLS off"),
            what="row-level security",
            ratio_name="RLS on / RLS off",
            limit=RLS_RATIO_TARGET,
            same_queries="queries with RLS on and off",
        )

    def _compare(
        self,
        targets: Targets,
        pages: Sequence[tuple[str, str, dict[str, Callable[[], Any]]]],
        rounds: int,
        *,
        title: str,
        compared: tuple[str, str],
        what: str,
        ratio_name: str,
        limit: float,
        same_queries: str = "",
    ) -> None:
        """Measure two variants of the same pages (`pages`: role, page, the call of each variant):
        their queries, then their times interleaved over `rounds`; print them side by side
        (median and p95), then the difference of their medians, and check the ratio, and, if
        `same_queries` names it, that both made the same queries."""
        results = [
            (
                role,
                page,
                {label: _queries_on_each(call) for label, call in calls.items()},
                _both_orders(calls, rounds),
            )
            for role, page, calls in pages
        ]
        new, old = compared
        width = max(len(label) for label in compared)
        self.stdout.write(f"\n{title}")
        for role, page, counts, timings in results:
            for label in compared:
                main, keys = counts[label]
                self.stdout.write(
                    f"  {role:<12} {page:<12} {label:<{width}}: {main:>3} + {keys} queries, "
                    f"median {median(timings[label]):6.1f} ms, p95 {p95(timings[label]):6.1f} ms"
                )
        self.stdout.write("")
        for role, page, counts, timings in results:
            after, before = median(timings[new]), median(timings[old])
            ratio = after / max(before, 1e-6)
            self.stdout.write(
                f"  {role} {page}: {after - before:+.1f} ms with {what} ({(ratio - 1) * 100:+.1f} %)"
            )
            if same_queries:
                targets.check_equal(
                    f"{role} {page}: {same_queries}",
                    {label: f"{main} + {keys}" for label, (main, keys) in counts.items()},
                )
            targets.check(f"{role} {page}, {ratio_name} (median times)", ratio, "<=", limit, "x")

    def _prove_modes(self, calls: dict[str, Callable[[], Any]], elsewhere: int) -> None:
        """One request in each mode: the role in effect at its first query on the cases' table,
        and the cases of other cells it could see there. "RLS on" must be the application role
        seeing none; "RLS off" the superuser the process logged in as, seeing every one: else the
        comparison would not measure row-level security, and the command stops."""
        if elsewhere == 0:
            raise CommandError("No case in another cell: nothing to show that row-level security hides.")
        for label, call in calls.items():
            probe = _in_effect(call)
            self.stdout.write(
                f"  {label:<7}: the page's queries ran as {probe.role} (logged in as {probe.session}, "
                f"{'superuser' if probe.superuser else 'no superuser'}), seeing {probe.elsewhere:,} cases of "
                "other cells"
            )
            if label == "RLS on":
                app = settings.LIVC_DATABASE_APP_ROLE
                right = probe.role == app and not probe.superuser and probe.elsewhere == 0
            else:
                right = probe.role == probe.session and probe.superuser and probe.elsewhere == elsewhere
            if not right:
                raise CommandError(
                    f"{label}: the page ran as {probe.role} (superuser: {probe.superuser}) seeing "
                    f"{probe.elsewhere:,} of the {elsewhere:,} cases of other cells: the comparison would "
                    "not measure row-level security."
                )

    # --- the listing query ------------------------------------------------------------------

    def _listing_query(self, entry: SeededCell, repeat: int, targets: Targets) -> None:
        """The first page of the participant's list (the ORM query the view runs, guardian's
        grant check included) next to the same rows fetched by hand-written SQL."""
        member = entry.participant
        permission_id = Permission.objects.get(codename="view_case", content_type__app_label="cases").pk

        def orm() -> list[CaseRow]:
            return case_rows(case_list(member=member)[:50])

        # What one would write by hand: the cell's cases the user holds the grant on, newest
        # first (ties by id, as the list pages), with the list's columns and the subject's pseudonym.
        sql = (
            "SELECT c.id, c.reference, c.status, c.involves_minor, c.review_on, c.last_discussed_on,"
            " c.opened_at, s.pseudonym FROM cases_case c JOIN cases_subject s ON s.id = c.subject_id"
            " WHERE c.cell_id = %s AND EXISTS (SELECT 1 FROM cases_caseuserobjectpermission g"
            " WHERE g.content_object_id = c.id AND g.user_id = %s AND g.permission_id = %s)"
            " ORDER BY c.opened_at DESC, c.id DESC LIMIT 50"
        )

        def raw() -> list[Any]:
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.cell.pk, member.user_id, permission_id])
                return cursor.fetchall()

        with CaptureQueriesContext(connection) as captured:
            rows = orm()
        if [case.pk for case in rows] != [row[0] for row in raw()]:
            raise CommandError("The ORM and the hand-written SQL do not return the same rows.")
        timings = interleaved_medians({"orm": orm, "sql": raw}, max(repeat, 20) * 2)
        ratio = median(timings["orm"]) / max(median(timings["sql"]), 1e-6)
        self.stdout.write(
            f"\nListing query (participant, cell of {entry.size:,}, first page of 50): "
            f"{len(captured.captured_queries)} query; "
            f"ORM with guardian median {median(timings['orm']):.2f} ms, "
            f"hand-written SQL median {median(timings['sql']):.2f} ms"
        )
        self.stdout.write(f"  ORM's SQL: {captured.captured_queries[0]['sql']}")
        targets.check("listing query / hand-written SQL (median times)", ratio, "<=", SQL_RATIO_TARGET, "x")

    # --- the minutes PDF ---------------------------------------------------------------------

    def _minutes_pdf(self, entry: SeededCell, items: int, rounds: int, targets: Targets) -> None:
        """Render the minutes PDF of a finalised `items`-item meeting for its coordinator and for
        the measured participant (who reads the items of the cases at whose table they sit)."""
        from django.utils import timezone

        from meetings import minutes_pdf
        from meetings.document_numbers import document_number_new
        from meetings.models import AgendaItem, ItemKind, Meeting, MeetingStatus
        from participants.models import RulesOfProcedure, RulesStatus

        coordinator = entry.coordinator
        rules, _ = RulesOfProcedure.objects.get_or_create(
            cell=entry.cell,
            version=1,
            defaults={"text": "R", "status": RulesStatus.IN_FORCE, "drafted_by": coordinator.user},
        )
        meeting = Meeting.objects.create(
            cell=entry.cell,
            kind="operational",
            title="Bench",
            starts_at=timezone.now(),
            rules=rules,
            status=MeetingStatus.FINALISED,
            created_by=coordinator.user,
        )
        paragraph = "Signalen en inschatting van de tafel, met afspraken over de opvolging. " * 12
        cases = list(Case.objects.filter(cell=entry.cell).order_by("reference")[:items])
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                position=position,
                kind=ItemKind.CASE,
                case=case,
                signals=paragraph,
                assessment=paragraph,
                agreements=paragraph,
            )
            for position, case in enumerate(cases, start=1)
        )
        readers = {"coordinator": coordinator, "participant": entry.participant}
        sizes: dict[str, int] = {}

        def render(member: Membership, label: str) -> None:
            sizes[label] = len(minutes_pdf.render_minutes(meeting, member, number=document_number_new()))

        calls = {label: partial(render, member, label) for label, member in readers.items()}
        timings = interleaved_medians(calls, rounds)
        phases = getattr(minutes_pdf, "render_phases", None)  # where the time goes, if it can say
        self.stdout.write(f"\nMinutes PDF, a {len(cases)}-item meeting:")
        for label, member in readers.items():
            self.stdout.write(
                f"  {label}: {sizes[label] // 1024} KiB, median {median(timings[label]) / 1000:.2f} s, "
                f"worst {max(timings[label]) / 1000:.2f} s"
            )
            if callable(phases):
                shown = ", ".join(_phase(name, value) for name, value in phases(meeting, member).items())
                self.stdout.write(f"    phases of one render: {shown}")
        for label in readers:
            targets.check(
                f"minutes PDF ({len(cases)} items) for the {label} (median)",
                median(timings[label]) / 1000,
                "<",
                PDF_TARGET_SECONDS,
                " s",
            )


def _phase(name: str, value: float) -> str:
    """One phase of a render: seconds, or a count ("queries", "items", "pages", "kib")."""
    return f"{name} {value:.0f}" if name in ("queries", "items", "pages", "kib") else f"{name} {value:.2f} s"


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}.")
    return response


def _both_orders(calls: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """`interleaved_medians` for half the rounds in one order and half in the other, so that
    neither side of a comparison always goes first in a round."""
    first = interleaved_medians(calls, (rounds + 1) // 2)
    second = interleaved_medians(dict(reversed(calls.items())), rounds // 2)
    return {label: first[label] + second[label] for label in calls}


def _as_role(app_role: str, call: Callable[[], Any]) -> Any:
    """`call()` with the requests' role set to `app_role` ("none": the process's own role). Both
    sides of the comparison go through the same override, so that its cost falls on both."""
    with override_settings(LIVC_DATABASE_APP_ROLE=app_role):
        return call()


@dataclass(frozen=True)
class Probe:
    role: str  # current_user
    session: str  # session_user: the role the process logged in as
    superuser: bool  # whether the role in effect is one (no policy applies to it)
    elsewhere: int  # cases of cells other than the transaction's that the role could see


PROBE = (
    "SELECT current_user, session_user, r.rolsuper, (SELECT count(*) FROM cases_case c WHERE c.cell_id "
    "IS DISTINCT FROM NULLIF(current_setting('livc.cell', true), '')::bigint) "
    "FROM pg_roles r WHERE r.rolname = current_user"
)


def _in_effect(call: Callable[[], Any]) -> Probe:
    """Who ran `call()`'s first query on the cases' table (the probe runs on the same connection
    and in the same transaction, just before that query, on a cursor of its own that Django does
    not count)."""
    seen: list[Probe] = []

    def probe(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if not seen and '"cases_case"' in sql:
            with context["connection"].connection.cursor() as cursor:
                cursor.execute(PROBE)
                role, session, superuser, elsewhere = cursor.fetchone()
            seen.append(Probe(str(role), str(session), bool(superuser), int(elsewhere)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(probe):
        call()
    if not seen:
        raise CommandError("The page made no query on the cases' table: nothing to probe.")
    return seen[0]


def _queries_on_each(call: Callable[[], Any]) -> tuple[int, int]:
    """The queries one call makes on the main database and on the key store, after a warm-up."""
    call()
    reset_queries()
    with CaptureQueriesContext(connection) as main, CaptureQueriesContext(connections[KEYS]) as keys:
        call()
    return len(main.captured_queries), len(keys.captured_queries)


def _sealing(case: Case) -> tuple[int, int, set[str]]:
    """How the case's values are sealed (its person's, its own, its referral's, items' and
    relations'): how many with the ring, how many with a data key, and the data keys."""
    ring, under_keys, data_keys = 0, 0, set()
    rows: list[tuple[type[models.Model], models.Q]] = [
        (Subject, models.Q(pk=case.subject_id)),
        (Case, models.Q(pk=case.pk)),
        (Referral, models.Q(case=case)),
        (InformationItem, models.Q(case=case)),
        (Relation, models.Q(case=case)),
    ]
    for model, where in rows:
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        for values in model._base_manager.filter(where).values_list(*fields):
            for value in values:
                if value is not None and value.data_key is None:
                    ring += 1
                elif value is not None:
                    under_keys += 1
                    data_keys.add(value.data_key)
    return ring, under_keys, data_keys


def _queries(call: Callable[[], Any]) -> int:
    """The queries one call makes, after a warm-up call (ContentType lookups, templates)."""
    call()
    reset_queries()  # request_started resets the log too: start both counts from zero
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)
