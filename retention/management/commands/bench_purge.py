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
it must stay flat however many cases go. Target (issue 7): 10,000 cases in under 60 s on
PostgreSQL.

It writes undeletable audit entries (the log is append-only): it refuses to run unless the
database name contains "bench" or `--yes-this-is-a-scratch-database` is given. Each run
seeds new cells; nothing of an earlier run is reused.
"""

import base64
import datetime
import json
import random
import resource
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from cases.models import (
    Action,
    Addendum,
    AgendaItem,
    Agreement,
    Case,
    CaseUserObjectPermission,
    Decision,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    Meeting,
    MinutesDocument,
    Referral,
    Relation,
    Seat,
    Subject,
)
from livc.accounts.models import User
from livc.audit import chain
from livc.audit.models import ChainHead, LogAction, LogEntry
from livc.cells.models import Cell, Membership, Role
from participants.models import Organisation, Participant, RulesOfProcedure
from retention import services

UNUSABLE = "!"  # an unusable password hash: nobody logs in as a bench user
BATCH = 250  # cases seeded per transaction
CASES_PER_MEETING = 10
COLUMNS = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "actor_email",
    "remote_addr",
    "timestamp",
    "additional_data",
    "cell_id",
    "access_kind",
    "event",
    "chain_seq",
    "prev_hash",
    "entry_hash",
    "content_digest",
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=10_000, help="expired cases to seed and purge")
        parser.add_argument("--cells", type=int, default=10, help="cells to spread them over")
        parser.add_argument("--referrals", type=int, default=None, help="not-retained referrals (cases/10)")
        parser.add_argument(
            "--seed-only", action="store_true", help="seed and stop (to purge with `purge_expired` later)"
        )
        parser.add_argument(
            "--yes-this-is-a-scratch-database",
            action="store_true",
            dest="scratch",
            help="run although the database name does not contain 'bench'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name and not options["scratch"]:
            raise CommandError(
                f"Refusing to seed {name!r}: the name does not contain 'bench'. This command writes "
                "undeletable audit entries; give --yes-this-is-a-scratch-database if it is a scratch one."
            )
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
            self._purge(cases + referrals)

    def _purge(self, expected: int) -> None:
        baseline = _rss()
        step = max(1, expected // 10)
        done = 0
        peak = 0
        started = time.perf_counter()

        def progress(record: Any) -> None:
            nonlocal done, peak
            done += 1
            peak = max(peak, _rss() - baseline)
            if done % step == 0:
                elapsed = time.perf_counter() - started
                self.stdout.write(
                    f"  {done:>7,} purged in {elapsed:6.1f} s = {done / elapsed:6.0f}/s; "
                    f"RSS {_rss() / 2**20:.1f} MB ({(_rss() - baseline) / 2**20:+.1f} MB)"
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
            f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB."
        )


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


# --- Seeding ---------------------------------------------------------------------------------------


@dataclass
class CellCast:
    cell: Cell
    coordinator: User
    participants: list[Participant]
    rules: RulesOfProcedure
    next_reference: int = 1


@dataclass
class Seeded:
    rows: int = 0
    entries: int = 0


@dataclass
class AuditWriter:
    """Audit entries as django-auditlog and the access log write them, chained per cell, in bulk."""

    heads: dict[int, tuple[int, str]] = field(default_factory=dict)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    clock: datetime.datetime = field(default_factory=lambda: timezone.now() - datetime.timedelta(days=900))
    content_types: dict[type[models.Model], ContentType] = field(default_factory=dict)

    def add(
        self, obj: models.Model, cell_id: int, actor: User, action: int, changes: Any, **extra: Any
    ) -> None:
        model = type(obj)
        content_type = self.content_types.get(model) or ContentType.objects.get_for_model(model)
        self.content_types[model] = content_type
        if cell_id not in self.heads:
            head = ChainHead.objects.filter(key=cell_id).first()
            self.heads[cell_id] = (head.seq, head.entry_hash) if head else (0, chain.GENESIS)
        seq, prev = self.heads[cell_id]
        seq += 1
        self.clock += datetime.timedelta(seconds=7)
        object_repr = str(obj) if action != LogAction.ACCESS else f"Case {getattr(obj, 'reference', '')}"
        changes_text = "" if changes is None else ", ".join(changes)
        additional = extra.get("additional_data")
        access_kind = extra.get("access_kind", "")
        digest = chain.content_digest(
            object_repr=object_repr,
            changes_text=changes_text,
            changes=changes,
            serialized_data=None,
            additional_data=additional,
        )
        entry_hash = chain.link_hash(
            chain_key=cell_id,
            seq=seq,
            prev_hash=prev,
            timestamp=self.clock,
            action=action,
            access_kind=access_kind,
            event="",
            content_type=f"{content_type.app_label}.{content_type.model}",
            object_pk=str(obj.pk),
            actor_id=actor.pk,
            actor_email=actor.email,
            remote_addr="10.0.0.7",
            remote_port=None,
            cid=None,
            content_digest=digest,
        )
        self.rows.append(
            (
                content_type.pk,
                str(obj.pk),
                obj.pk if isinstance(obj.pk, int) else None,
                object_repr,
                int(action),
                changes_text,
                json.dumps(changes) if changes is not None else None,
                actor.pk,
                actor.email,
                "10.0.0.7",
                self.clock,
                json.dumps(additional) if additional is not None else None,
                cell_id,
                access_kind,
                "",
                seq,
                prev,
                entry_hash,
                digest,
            )
        )
        self.heads[cell_id] = (seq, entry_hash)

    def flush(self) -> int:
        """Write the buffered entries (COPY on PostgreSQL, batched inserts elsewhere)."""
        rows, self.rows = self.rows, []
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                sql = f"COPY {LogEntry._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copier:
                    for row in rows:
                        copier.write_row(row)
        else:
            entries = []
            for row in rows:
                values = dict(zip(COLUMNS, row, strict=True))
                for key in ("changes", "additional_data"):
                    values[key] = json.loads(values[key]) if values[key] is not None else None
                entries.append(LogEntry(**values))
            LogEntry.objects.bulk_create(entries, batch_size=500)
        return len(rows)

    def save_heads(self) -> None:
        for key, (seq, entry_hash) in self.heads.items():
            ChainHead.objects.update_or_create(key=key, defaults={"seq": seq, "entry_hash": entry_hash})


class Seeder:
    def __init__(self, *, cells: int, rng: random.Random) -> None:
        self.cell_count = cells
        self.rng = rng
        self.prefix = f"bench-purge-{uuid.uuid4().hex[:6]}"
        self.audit = AuditWriter()
        self.seeded = Seeded()
        self.discussed = timezone.localdate() - datetime.timedelta(days=730)
        self.view_case = Permission.objects.get(codename="view_case", content_type__app_label="cases")

    def seed(self, *, cases: int, referrals: int) -> Seeded:
        casts = self._cells()
        per_cell = [cases // len(casts) + (1 if n < cases % len(casts) else 0) for n in range(len(casts))]
        for cast, count in zip(casts, per_cell, strict=True):
            for first in range(0, count, BATCH):
                self._batch(cast, min(BATCH, count - first))
        for start in range(0, referrals, BATCH):
            self._referrals([casts[n % len(casts)] for n in range(start, min(referrals, start + BATCH))])
        self.audit.save_heads()
        return self.seeded

    @transaction.atomic
    def _cells(self) -> list[CellCast]:
        with disable_auditlog():
            return [self._cell(n) for n in range(self.cell_count)]

    def _cell(self, n: int) -> CellCast:
        cell = Cell.objects.create(name=f"LIVC-R Bench purge {n:02d}", slug=f"{self.prefix}-{n:02d}")
        people = User.objects.bulk_create(
            User(email=f"{role}{i}@{cell.slug}.bench.invalid", name=f"{role.title()} {i}", password=UNUSABLE)
            for i, role in enumerate(["coordinator", "mayor", "officer", "p", "p", "p", "p"])
        )
        roles = [Role.COORDINATOR, Role.MAYOR, Role.INFORMATION_OFFICER] + [Role.PARTICIPANT] * 4
        memberships = Membership.objects.bulk_create(
            Membership(cell=cell, user=user, role=role) for user, role in zip(people, roles, strict=True)
        )
        organisation = Organisation.objects.create(cell=cell, name="CLB Bench", type="clb")
        participants = Participant.objects.bulk_create(
            Participant(cell=cell, membership=m, organisation=organisation, function="Consulent")
            for m in memberships
            if m.role == Role.PARTICIPANT
        )
        rules = RulesOfProcedure.objects.create(
            cell=cell,
            version=1,
            text="Regels.",
            status="in_force",
            drafted_by=people[0],
            approved_by=people[1],
        )
        return CellCast(cell=cell, coordinator=people[0], participants=participants, rules=rules)

    @transaction.atomic
    def _batch(self, cast: CellCast, count: int) -> None:
        cell, actor, rng = cast.cell, cast.coordinator, self.rng
        meetings = self._meetings(cast, count)
        subjects = [_subject(cell, cast.next_reference + n) for n in range(count)]
        referrals = [_referral(cell, subject, actor, "retained") for subject in subjects]
        cases = []
        for subject, referral in zip(subjects, referrals, strict=True):
            cases.append(
                Case(
                    cell=cell,
                    reference=f"2024-{cast.next_reference:04d}",
                    subject=subject,
                    referral=referral,
                    aim_signals="Verheerlijkt geweld online; oproepen tot aanslagen.",
                    last_discussed_on=self.discussed,
                    created_by=actor,
                )
            )
            cast.next_reference += 1
        self._create(subjects, cell.pk, actor, {"declared_minor": [None, False], "is_minor": [None, False]})
        self._create(
            referrals,
            cell.pk,
            actor,
            {"status": [None, "submitted"]},
            update={"status": ["submitted", "retained"]},
        )
        self._create(
            cases, cell.pk, actor, {"status": [None, "open"]}, update={"status": ["open", "follow_up"]}
        )
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(
            opened_at=timezone.now() - datetime.timedelta(days=1000)
        )
        for case in cases:
            for _ in range(3):
                self.audit.add(
                    case,
                    cell.pk,
                    actor,
                    LogAction.ACCESS,
                    None,
                    access_kind="view",
                    additional_data={"view": "cases:detail"},
                )
        self._dependants(cast, cases, meetings, rng)
        self.seeded.entries += self.audit.flush()

    def _meetings(self, cast: CellCast, count: int) -> list[Meeting]:
        held = [
            timezone.make_aware(
                datetime.datetime.combine(self.discussed - datetime.timedelta(days=d), datetime.time(9))
            )
            for d in (0, 120)
        ]
        meetings = Meeting.objects.bulk_create(
            Meeting(
                cell=cast.cell,
                kind="operational",
                title="Casusoverleg",
                starts_at=when,
                rules=cast.rules,
                status="finalised",
                created_by=cast.coordinator,
                finalised_at=when,
                finalised_by=cast.coordinator,
            )
            for _ in range(max(1, count // CASES_PER_MEETING))
            for when in held
        )
        documents = [
            MinutesDocument(
                meeting=meeting,
                recipient=cast.coordinator if n == 0 else cast.participants[0].membership.user,
                status="ready",
                content=base64.b64encode(b"%PDF-1.7 bench " * 400).decode(),
            )
            for meeting in meetings
            for n in range(2)
        ]
        self._create(documents, cast.cell.pk, cast.coordinator, {"status": [None, "ready"]})
        self.seeded.rows += len(meetings)
        return meetings

    def _dependants(
        self, cast: CellCast, cases: list[Case], meetings: list[Meeting], rng: random.Random
    ) -> None:
        cell, actor, participants = cast.cell, cast.coordinator, cast.participants
        seats, grants, items, relations, entries, agenda, decisions, actions = [], [], [], [], [], [], [], []
        pairs = len(meetings) // 2
        for index, case in enumerate(cases):
            for participant in rng.sample(participants, 3):
                seats.append(Seat(case=case, participant=participant, seated_by=actor))
                grants.append(
                    CaseUserObjectPermission(
                        user_id=participant.membership.user_id, permission=self.view_case, content_object=case
                    )
                )
            for n in range(4):
                owner = participants[n % len(participants)]
                items.append(
                    InformationItem(
                        cell=cell,
                        case=case,
                        owner=owner,
                        organisation_id=owner.organisation_id,
                        shared_on=self.discussed,
                        category="behaviour",
                        consent=True,
                        text=f"Informatie {n}: gedrag op school en online.",
                        created_by=actor,
                    )
                )
            relations.append(
                Relation(
                    cell=cell,
                    case=case,
                    kind="sibling",
                    name="Broer van de persoon",
                    notes="Woont in.",
                    created_by=actor,
                )
            )
            entries.append(
                InformingEntry(
                    cell=cell,
                    case=case,
                    kind="deferred",
                    recorded_by=actor,
                    deferral_reason="Lopend onderzoek.",
                    review_on=self.discussed,
                )
            )
            pair = index % pairs
            for meeting, position in ((meetings[2 * pair], index), (meetings[2 * pair + 1], index)):
                agenda.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position + 1,
                        kind="case",
                        case=case,
                        signals="Signalen besproken.",
                        assessment="Zorgwekkend.",
                        agreements="Opvolging door CLB.",
                    )
                )
        self._create(seats, cell.pk, actor, {"participant": [None, "1"], "seated_by": [None, str(actor.pk)]})
        CaseUserObjectPermission.objects.bulk_create(grants, batch_size=2000)
        self._create(items, cell.pk, actor, {"category": [None, "behaviour"]})
        self._create(relations, cell.pk, actor, {"kind": [None, "sibling"]})
        self._create(entries, cell.pk, actor, {"kind": [None, "deferred"]})
        self._create(agenda, cell.pk, actor, {"kind": [None, "case"]}, update={"version": [0, 1]})
        for index, case in enumerate(cases):
            item = agenda[2 * index]
            decisions.append(
                Decision(
                    item=item,
                    case=case,
                    kind="ltf_feedback",
                    text="Terugkoppeling aan de LTF.",
                    status="valid",
                    recorded_by=actor,
                    decided_at=timezone.now(),
                )
            )
            for n in range(2):
                actions.append(
                    Action(
                        cell=cell,
                        case=case,
                        item=item,
                        description=f"Actie {n}: huisbezoek.",
                        owner=participants[n],
                        organisation_id=participants[n].organisation_id,
                        due_on=self.discussed,
                        created_by=actor,
                    )
                )
        self._create(decisions, cell.pk, actor, {"kind": [None, "ltf_feedback"]})
        agreements = [
            Agreement(decision=d, participant=p, agrees=True) for d in decisions for p in participants[:2]
        ]
        self._create(agreements, cell.pk, actor, {"agrees": [None, True]})
        self._create(actions, cell.pk, actor, {"status": [None, "open"]})
        addenda = [
            Addendum(item=agenda[2 * i], text="Correctie: datum.", created_by=actor)
            for i in range(0, len(cases), 5)
        ]
        self._create(addenda, cell.pk, actor, {"approved_at_meeting": [None, None]})
        requests = [
            IdentityRequest(
                cell=cell,
                subject_id=case.subject_id,
                identity={"first_name": "Naam"},
                reason="Nodig voor de opvolging.",
                requested_by=actor,
                status="rejected",
            )
            for case in cases[::20]
        ]
        self._create(requests, cell.pk, actor, {"status": [None, "pending"]})

    def _referrals(self, casts: list[CellCast]) -> None:
        with transaction.atomic():
            qualified = timezone.now() - datetime.timedelta(days=400)
            for cast in casts:
                subject = _subject(cast.cell, 0)
                self._create([subject], cast.cell.pk, cast.coordinator, {"is_minor": [None, False]})
                referral = _referral(cast.cell, subject, cast.coordinator, "not_retained")
                referral.qualification_reason = "Geen band met radicalisering."
                self._create([referral], cast.cell.pk, cast.coordinator, {"status": [None, "not_retained"]})
                Referral.objects.filter(pk=referral.pk).update(qualified_at=qualified)
            self.seeded.entries += self.audit.flush()

    def _create(
        self,
        objects: list[Any],
        cell_id: int,
        actor: User,
        changes: dict[str, Any],
        update: dict[str, Any] | None = None,
    ) -> None:
        """Bulk-create and write the entries auditlog would have written (create, maybe update)."""
        if not objects:
            return
        type(objects[0]).objects.bulk_create(objects, batch_size=1000)
        for obj in objects:
            self.audit.add(obj, cell_id, actor, LogAction.CREATE, changes)
            if update is not None:
                self.audit.add(obj, cell_id, actor, LogAction.UPDATE, update)
        self.seeded.rows += len(objects)


def _subject(cell: Cell, number: int) -> Subject:
    return Subject(
        cell=cell,
        pseudonym=f"Persoon {number}",
        first_name="Voornaam",
        last_name=f"Familienaam{number}",
        birth_date=datetime.date(2001, 1, 1) + datetime.timedelta(days=number % 3000),
        address="Straat 1, 9999 Benchgem",
        identity_recorded_at=timezone.now(),
    )


def _referral(cell: Cell, subject: Subject, actor: User, status: str) -> Referral:
    return Referral(
        cell=cell,
        subject=subject,
        referred_by=actor,
        referred_on=datetime.date(2024, 1, 1),
        signals="Signalen: verheerlijking van geweld.",
        context="Context bij de aanmelding.",
        status=status,
        qualified_by=actor,
        qualified_at=timezone.now() - datetime.timedelta(days=1000),
    )
