"""National-scale benchmark of who-sees-which-case: prints query counts and timings.

Seeds 300 cells, 30,000 cases, 5,000 users and 10 seats per case into the configured
database, which must be a scratch database (its name contains "bench", or pass
--yes-this-is-a-scratch-database). Not part of the test suite: run it with `make bench`.
"""

import random
import statistics
import time
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.seeding import add_scratch_argument, logged_in_client, require_scratch_database
from cases.models import Case, CaseUserObjectPermission, Seat, Subject
from cases.selectors import case_list, case_visible_list
from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Municipality, Role
from participants.models import ConfidentialityAcknowledgement, Organisation, Participant


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cells", type=int, default=300)
        parser.add_argument("--cases", type=int, default=30_000)
        parser.add_argument("--users", type=int, default=5_000)
        parser.add_argument("--seats", type=int, default=10, help="seats per case")
        parser.add_argument("--repeat", type=int, default=30, help="requests per measurement")
        add_scratch_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        require_scratch_database(options, writes="30,000 cases and 300,000 grants")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        started = time.perf_counter()
        cells = self._seed(options)
        self.stdout.write(f"seeded in {time.perf_counter() - started:.1f} s on {connection.vendor}")
        big, small = cells[0], cells[-1]
        for label, cell in (("big cell", big), ("small cell", small)):
            count = Case.objects.filter(cell=cell).count()
            self.stdout.write(f"\n{label}: {count} cases")
            for role in (Role.PARTICIPANT, Role.COORDINATOR):
                self._measure(cell, role, options["repeat"])
        self._listing_query(big, options["repeat"])
        self._minutes_pdf(big)

    # --- seeding -------------------------------------------------------------------------

    @transaction.atomic
    def _seed(self, options: dict[str, Any]) -> list[Cell]:
        rng = random.Random(20261128)  # noqa: S311 - benchmark data, not security
        n_cells, n_cases, n_users = options["cells"], options["cases"], options["users"]
        prefix = uuid.uuid4().hex[:6]
        municipality, _ = Municipality.objects.get_or_create(
            nis_code="99999", defaults={"name_nl": "Benchgem"}
        )
        cells = Cell.objects.bulk_create(
            Cell(name=f"Bench {prefix} {i}", slug=f"bench-{prefix}-{i}") for i in range(n_cells)
        )
        Cell.municipalities.through.objects.bulk_create(
            Cell.municipalities.through(cell_id=cell.pk, municipality_id=municipality.pk) for cell in cells
        )
        users = User.objects.bulk_create(
            User(email=f"bench-{prefix}-{i}@example.test", name=f"Bench User {i}", password="!")  # noqa: S106 - unusable password
            for i in range(n_users)
        )
        coordinators = User.objects.bulk_create(
            User(email=f"bench-{prefix}-coord-{i}@example.test", name=f"Coordinator {i}", password="!")  # noqa: S106 - unusable password
            for i in range(n_cells)
        )
        per_cell = max(1, n_users // n_cells)
        memberships = []
        for index, cell in enumerate(cells):
            memberships.append(Membership(cell=cell, user=coordinators[index], role=Role.COORDINATOR))
            for user in users[index * per_cell : (index + 1) * per_cell]:
                memberships.append(Membership(cell=cell, user=user, role=Role.PARTICIPANT))
        memberships = Membership.objects.bulk_create(memberships)
        organisations = Organisation.objects.bulk_create(
            Organisation(cell=c, name="CLB", type="clb") for c in cells
        )
        org_by_cell = {o.cell_id: o for o in organisations}
        seated = [m for m in memberships if m.role == Role.PARTICIPANT]
        participants = Participant.objects.bulk_create(
            Participant(cell_id=m.cell_id, membership=m, organisation=org_by_cell[m.cell_id], function="B")
            for m in seated
        )
        by_cell: dict[int, list[Participant]] = {}
        for participant in participants:
            by_cell.setdefault(participant.cell_id, []).append(participant)
        ConfidentialityAcknowledgement.objects.bulk_create(
            ConfidentialityAcknowledgement(cell_id=m.cell_id, user_id=m.user_id) for m in memberships
        )
        # The first cell is big, the last one small: query counts must not depend on size.
        weights = [3.0] + [1.0] * (n_cells - 2) + [0.1]
        total = sum(weights)
        sizes = [max(5, round(n_cases * w / total)) for w in weights]
        subjects, cases = [], []
        for cell, size in zip(cells, sizes, strict=True):
            for number in range(size):
                subject = Subject(cell=cell, pseudonym=f"Persoon {number}")
                subjects.append(subject)
                cases.append(Case(cell=cell, reference=f"2026-{number + 1:04d}", subject=subject,
                                  aim_signals="Bench signals.", created_by=coordinators[0]))  # fmt: skip
        Subject.objects.bulk_create(subjects, batch_size=2000)
        Case.objects.bulk_create(cases, batch_size=2000)
        view_case = Permission.objects.get(codename="view_case", content_type__app_label="cases")
        seats, grants = [], []
        for case in cases:
            pool = by_cell[case.cell_id]
            for participant in rng.sample(pool, min(options["seats"], len(pool))):
                seats.append(Seat(case=case, participant=participant))
                user_id = participant.membership.user_id
                grants.append(
                    CaseUserObjectPermission(user_id=user_id, permission=view_case, content_object=case)
                )
        Seat.objects.bulk_create(seats, batch_size=5000)
        CaseUserObjectPermission.objects.bulk_create(grants, batch_size=5000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"{len(cells)} cells, {len(cases)} cases, {len(users)} users, {len(grants)} grants")
        return [cells[0], cells[-1]]

    # --- measuring ------------------------------------------------------------------------

    def _measure(self, cell: Cell, role: str, repeat: int) -> None:
        membership = (
            Membership.objects.filter(cell=cell, role=role)
            .order_by("-user__caseuserobjectpermission__id")
            .select_related("user")
            .first()
        ) or Membership.objects.filter(cell=cell, role=role).select_related("user").first()
        assert membership is not None
        client = logged_in_client(membership.user)
        visible = case_visible_list(member=membership).order_by("-opened_at")
        case = visible.first()
        pages = {
            "case list": reverse("cases:list", kwargs={"cell_slug": cell.slug}),
            "case detail": reverse("cases:detail", kwargs={"cell_slug": cell.slug, "pk": case.pk})
            if case
            else "",
        }
        for page, url in pages.items():
            if not url:
                continue
            timings, queries = self._time(partial(client.get, url), repeat)
            self.stdout.write(
                f"  {role:<12} {page:<12} {queries:>3} queries  median {statistics.median(timings):6.1f} ms"
                f"  p95 {_p95(timings):6.1f} ms  ({visible.count()} visible cases)"
            )

    def _time(self, call: Callable[[], Any], repeat: int) -> tuple[list[float], int]:
        call()  # warm up caches (ContentType lookups, templates)
        reset_queries()  # request_started resets the log too: start both counts from zero
        with CaptureQueriesContext(connection) as captured:
            result = call()
        queries = len(captured.captured_queries)  # now: the log is read lazily and later requests reset it
        if hasattr(result, "status_code") and result.status_code != 200:
            raise CommandError(f"The page answered {result.status_code}.")
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            timings.append((time.perf_counter() - start) * 1000)
        return timings, queries

    def _listing_query(self, cell: Cell, repeat: int) -> None:
        """The case list's own query (first page) next to the same rows fetched by hand-written SQL."""
        membership = (
            Membership.objects.filter(cell=cell, role=Role.PARTICIPANT).select_related("user").first()
        )
        assert membership is not None
        permission_id = Permission.objects.get(codename="view_case", content_type__app_label="cases").pk

        def orm() -> list[Case]:
            return list(case_list(member=membership)[:50])

        sql = (
            "SELECT c.id, c.reference, c.status, c.involves_minor, c.review_on, c.last_discussed_on,"
            " c.opened_at, s.pseudonym FROM cases_case c JOIN cases_subject s ON s.id = c.subject_id"
            " JOIN cases_caseuserobjectpermission g ON g.content_object_id = c.id WHERE c.cell_id = %s"
            " AND g.user_id = %s AND g.permission_id = %s ORDER BY c.opened_at DESC LIMIT 50"
        )

        def raw() -> list[Any]:
            with connection.cursor() as cursor:
                cursor.execute(sql, [cell.pk, membership.user_id, permission_id])
                return cursor.fetchall()

        orm_times, orm_queries = self._time(orm, repeat)
        raw_times, _ = self._time(raw, repeat)
        ratio = statistics.median(orm_times) / max(statistics.median(raw_times), 1e-6)
        self.stdout.write(
            f"\nlisting query (participant, first page of 50): {orm_queries} query, guardian via the ORM "
            f"{statistics.median(orm_times):.2f} ms, hand-written SQL {statistics.median(raw_times):.2f} ms, "
            f"ratio {ratio:.1f}x (target <= 4x)"
        )

    def _minutes_pdf(self, cell: Cell) -> None:
        """Render the minutes PDF of a finalised 20-item meeting for its coordinator (target < 2 s)."""
        from django.utils import timezone

        from meetings.document_numbers import document_number_new
        from meetings.minutes_pdf import render_minutes
        from meetings.models import AgendaItem, ItemKind, Meeting, MeetingStatus
        from participants.models import RulesOfProcedure, RulesStatus

        coordinator = Membership.objects.select_related("user").get(cell=cell, role=Role.COORDINATOR)
        rules, _ = RulesOfProcedure.objects.get_or_create(
            cell=cell,
            version=1,
            defaults={"text": "R", "status": RulesStatus.IN_FORCE, "drafted_by": coordinator.user},
        )
        meeting = Meeting.objects.create(
            cell=cell,
            kind="operational",
            title="Bench",
            starts_at=timezone.now(),
            rules=rules,
            status=MeetingStatus.FINALISED,
            created_by=coordinator.user,
        )
        paragraph = "Signalen en inschatting van de tafel, met afspraken over de opvolging. " * 12
        for position, case in enumerate(Case.objects.filter(cell=cell)[:20], start=1):
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=ItemKind.CASE,
                case=case,
                signals=paragraph,
                assessment=paragraph,
                agreements=paragraph,
            )
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            pdf = render_minutes(meeting, coordinator, number=document_number_new())
            timings.append(time.perf_counter() - start)
        self.stdout.write(
            f"\nminutes PDF, 20 items ({len(pdf) // 1024} KiB): median {statistics.median(timings):.2f} s,"
            f" worst {max(timings):.2f} s (target < 2 s)"
        )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
