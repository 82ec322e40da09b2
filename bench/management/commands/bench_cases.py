"""Who-sees-which-case at national scale: the case pages at three cell sizes, checked against targets.

Seeds one cell per `--sizes` (default 100, 1,000 and 10,000 cases), each with `--pool`
participants, `--seats` seats per case and one participant (the one measured) at the table of
`--share` of the cases (60 %: 6,000 of 10,000, as in issue 14), into the configured database,
which must be a scratch one (its name contains "bench", or pass --yes-this-is-a-scratch-database).

Measures through the test client, as that participant and as the cell's coordinator, the case
list and a case's detail page in every cell: the queries each page makes and its median time,
the sizes interleaved round by round. Then the list's own query next to hand-written SQL, and
the minutes PDF of a 100-item meeting for the coordinator and the participant.

Targets (a miss exits with status 1; `--smoke` checks without enforcing):
  - each page's query count is the same at every size (per page and role);
  - the list in the largest cell takes at most 1.5 times as long as in the smallest (per role);
  - the list's query takes at most 3 times the hand-written SQL (participant, largest cell);
  - the minutes PDF takes under 1 s (coordinator and participant).
"""

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.seeding import add_cases, add_scratch_argument, logged_in_client, require_scratch_database
from bench.targets import Targets, add_smoke_argument, interleaved_medians, median, p95
from cases.models import Case, CaseUserObjectPermission, Seat
from cases.selectors import CaseRow, case_list, case_rows, case_visible_list
from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Municipality, Role
from participants.models import ConfidentialityAcknowledgement, Organisation, Participant

LIST_RATIO_TARGET = 1.5
SQL_RATIO_TARGET = 3.0
PDF_TARGET_SECONDS = 1.0


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
        add_smoke_argument(parser)
        add_scratch_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = require_scratch_database(options, writes="11,100 cases and 111,000 grants")
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
        self._listing_query(seeded[-1], options["repeat"], targets)
        self._minutes_pdf(seeded[-1], options["pdf_items"], options["pdf_rounds"], targets)
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
        ConfidentialityAcknowledgement.objects.bulk_create(
            ConfidentialityAcknowledgement(cell=cell, user_id=m.user_id) for m in [coordinator, *members]
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


def _queries(call: Callable[[], Any]) -> int:
    """The queries one call makes, after a warm-up call (ContentType lookups, templates)."""
    call()
    reset_queries()  # request_started resets the log too: start both counts from zero
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)
