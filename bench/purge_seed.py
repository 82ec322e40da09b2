"""Seeding for `bench_purge`: expired cases with everything a case gathers, and their audit
entries chained per cell, written in bulk."""

import base64
import datetime
import random
import uuid
from dataclasses import dataclass
from typing import Any

from auditlog.context import disable_auditlog
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from bench.seeding import AuditWriter
from cases.models import (
    Case,
    CaseUserObjectPermission,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    Referral,
    Relation,
    Seat,
    Subject,
)
from livc.accounts.models import User
from livc.audit.models import LogAction
from livc.cells.models import Cell, Membership, Role
from meetings.models import Action, Addendum, AgendaItem, Agreement, Decision, Meeting, MinutesDocument
from participants.models import Organisation, Participant, RulesOfProcedure

UNUSABLE = "!"  # an unusable password hash: nobody logs in as a bench user
BATCH = 250  # cases seeded per transaction
CASES_PER_MEETING = 10


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
