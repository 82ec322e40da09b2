"""Reads of the cases app, scoped to a cell and the requesting member.

Who sees which case is decided here and only here (docs/rules.md, rule 8): mayor, coordinator and
information officer see every case of their cell; a participant sees the cases whose table
they sit at (a django-guardian object permission, granted by seating); the DPO sees none.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.agendas import cases_on_agenda
from cases.decisions import decision_facts, decisions_over
from cases.identity import identity_hash
from cases.models import (
    Case,
    CaseStatus,
    CaseUserObjectPermission,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    ItemUse,
    Known,
    KnownToService,
    Referral,
    ReferralStatus,
    Seat,
    Subject,
    UseConsent,
    UseKind,
)
from cases.services.identity import Identity
from cases.services.seats import VIEW_CASE_CODENAME
from livc.cells.models import CELL_WIDE_CASE_ROLES, Membership, Role
from livc.crypto.fields import EncryptedField

REFERRAL_QUEUE_ROLES = frozenset({Role.COORDINATOR, Role.INFORMATION_OFFICER, Role.MAYOR})
# The order of every case list, and of the index `case_cell_recent` that serves it: newest first,
# the id breaking ties so that pages neither repeat nor skip a case.
CASE_LIST_ORDER = ("-opened_at", "-id")


def _view_case_grant() -> QuerySet[CaseUserObjectPermission]:
    """The member's `view_case` grant on the outer case: one probe of the grant table's unique
    index (user, permission, case) per case. The permission's id is a subquery the database runs
    once, so no query of its own and no id cached across databases."""
    view_case = (
        Permission.objects.filter(
            codename=VIEW_CASE_CODENAME, content_type__app_label="cases", content_type__model="case"
        )
        .order_by()
        .values("pk")[:1]
    )
    return CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission_id=Subquery(view_case)
    )


def case_visible_list(*, member: Membership) -> QuerySet[Case]:
    cases = Case.objects.filter(cell=member.cell)
    if member.role in CELL_WIDE_CASE_ROLES:
        return cases
    if member.role == Role.PARTICIPANT:
        # Her own grants only: no global, group or superuser access to cases. `WHERE EXISTS`
        # rather than a join of all her grants: the database walks the cell's cases in the list's
        # order and stops at the page's end, whatever she sees (docs/adr/0001).
        return cases.filter(Exists(_view_case_grant().filter(user_id=member.user_id)))
    return cases.none()


def with_identity_pending(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with `identity_pending`: a request to record its person's identity awaits
    approval (asked in the case's own query)."""
    pending = IdentityRequest.objects.filter(
        subject=OuterRef("subject"), status=IdentityRequest.Status.PENDING
    )
    return cases.annotate(identity_pending=Exists(pending))


def case_ids_of_referrals(referrals: Iterable[Referral]) -> list[Any]:
    """The ids of the cases the referrals became (one query): a page showing a referral shows
    its case's person."""
    return list(Case.objects.filter(referral__in=list(referrals)).values_list("pk", flat=True))


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of a case list: the columns it shows, read as plain values (no model instance
    per row: a list of 50 costs no more than the page's one query)."""

    pk: Any
    reference: str
    status: str
    involves_minor: bool
    review_on: datetime.date | None
    last_discussed_on: datetime.date | None
    opened_at: datetime.datetime
    pseudonym: str

    def get_status_display(self) -> str:
        return str(CaseStatus(self.status).label)


_CASE_ROW_COLUMNS = (
    "pk", "reference", "status", "involves_minor", "review_on", "last_discussed_on", "opened_at",
    "subject__pseudonym",
)  # fmt: skip


def case_list(
    *,
    member: Membership,
    status: str | None = None,
    minors: bool = False,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Any]:
    """The member's cases as list rows, newest first: value tuples, made `CaseRow`s by `case_rows`
    once a page of them is read. Only what the list shows: the encrypted columns stay in the
    database, and the pseudonym comes along as a column rather than a second object per row."""
    cases = case_visible_list(member=member)
    if status:
        cases = cases.filter(status=status)
    if minors:
        cases = cases.filter(involves_minor=True)
    if overdue:
        cases = cases.filter(review_on__lt=today or timezone.localdate()).exclude(status=CaseStatus.CLOSED)
    return cases.order_by(*CASE_LIST_ORDER).values_list(*_CASE_ROW_COLUMNS)


def case_rows(values: Iterable[tuple[Any, ...]]) -> list[CaseRow]:
    return [CaseRow(*row) for row in values]


def case_search(
    *,
    member: Membership,
    text: str = "",
    status: str | None = None,
    meeting: int | None = None,
    person: Identity | None = None,
) -> QuerySet[Any]:
    """The member's cases that meet every criterion given, as `case_list` gives them (the same
    scope, order and columns): `text` is the start of a reference or a part of a pseudonym, in any
    case; `meeting` a meeting on whose agenda the case is (`cases/agendas.py`); `person` a name and
    birth date, found by the keyed hash only (`cases/identity.py`: exact, normalised as when it was
    recorded, never by the name). Nothing is decrypted: reference, pseudonym and hash are plain."""
    cases = case_list(member=member, status=status)
    text = text.strip()
    if text:
        cases = cases.filter(Q(reference__istartswith=text) | Q(subject__pseudonym__icontains=text))
    if meeting is not None:
        on_agenda = Q()
        for ids in cases_on_agenda(member, meeting):
            on_agenda |= Q(pk__in=ids)
        cases = cases.filter(on_agenda) if on_agenda else cases.none()
    if person is not None:
        hashed = identity_hash(
            cell_id=member.cell_id,
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
        )
        # Without a name or a date there is no hash; the people recorded without one must not match.
        cases = cases.filter(subject__identity_hash=hashed) if hashed else cases.none()
    return cases


def item_list(*, case: Case, member: Membership) -> QuerySet[InformationItem]:
    """Items in use at the table, plus the member's own items kept without consent."""
    items = InformationItem.objects.filter(case=case, withdrawn_at__isnull=True)
    own = Q(owner__membership=member)
    # The item and the names the page shows of its owner: not every column of the owner's
    # account (its password hash has no business in a case page's memory).
    return (
        items.filter(Q(consent=True) | own)
        .select_related("owner__membership__user", "organisation")
        .only(*_ITEM_COLUMNS, "owner__membership__user__name", "organisation__name")
    )


_ITEM_COLUMNS = (
    "cell", "case", "shared_on", "category", "category_name", "category_special", "text", "justification",
    "consent", "created_at", "withdrawn_at", "owner__membership",
)  # fmt: skip


def seat_list(*, case: Case) -> QuerySet[Seat]:
    return Seat.objects.filter(case=case).select_related(
        "participant__membership__user", "participant__organisation"
    )


@dataclass(frozen=True, slots=True)
class RoundAnswer:
    """One seated participant's line in the "known to your service?" round."""

    participant_id: int
    membership_id: int
    name: str
    organisation: str
    answer: str  # a `Known` value, or "" (not stated)

    @property
    def label(self) -> str:
        labels: dict[str, str] = {Known.KNOWN: _("known"), Known.NOT_KNOWN: _("not known")}
        return labels.get(self.answer, _("not stated"))


@dataclass(frozen=True, slots=True)
class Round:
    """The table's answers to the round for one case (docs/rules.md, rule 5: never mandatory)."""

    answers: list[RoundAnswer]

    @property
    def known_services(self) -> list[str]:
        """The organisations of those who said "known", each once, in the table's order."""
        return list(dict.fromkeys(a.organisation for a in self.answers if a.answer == Known.KNOWN))

    @property
    def known(self) -> int:
        return sum(a.answer == Known.KNOWN for a in self.answers)

    @property
    def not_known(self) -> int:
        return sum(a.answer == Known.NOT_KNOWN for a in self.answers)

    @property
    def not_stated(self) -> int:
        return sum(not a.answer for a in self.answers)

    @property
    def seats(self) -> list[tuple[str, str]]:
        """Who sits at the table, as the case page names them: (name, organisation)."""
        return [(a.name, a.organisation) for a in self.answers]

    def mine(self, member: Membership) -> RoundAnswer | None:
        """The member's own line if she sits at the table (only she answers for her service)."""
        return next((a for a in self.answers if a.membership_id == member.pk), None)


def known_to_service_round(*, case: Case) -> Round:
    """Every participant seated at the case's table, by name, with her organisation and her
    answer, in one query (with the id of the answer's row: an encrypted value opens for its own row only)."""
    given = KnownToService.objects.filter(case=case, participant=OuterRef("participant"))
    rows = (
        Seat.objects.filter(case=case)
        .annotate(answer=Subquery(given.values("answer")[:1]), answer_pk=Subquery(given.values("pk")[:1]))
        .order_by("participant__membership__user__name", "pk")
        .values_list(
            "participant_id",
            "participant__membership_id",
            "participant__membership__user__name",
            "participant__organisation__name",
            "answer",
            "answer_pk",
        )
    )
    field = cast(EncryptedField, KnownToService._meta.get_field("answer"))
    return Round(
        [
            RoundAnswer(pk, member, name, organisation, field.decrypt_for_row(token, row) if token else "")
            for pk, member, name, organisation, token, row in rows
        ]
    )


def informing_list(*, case: Case) -> QuerySet[InformingEntry]:
    return InformingEntry.objects.filter(case=case).select_related("informed_by", "recorded_by")


def informing_state(*, case: Case) -> InformingEntry | None:
    """The register's latest entry, as far as the case page says where informing stands (the
    outcome and its dates, who informed): not what was said, nor why it was deferred."""
    return (
        InformingEntry.objects.filter(case=case)
        .select_related("informed_by")
        .only("kind", "decided_on", "informed_on", "review_on", "informed_by__name")
        .first()
    )


def referral_queue(
    *, member: Membership, status: str | None = ReferralStatus.SUBMITTED
) -> QuerySet[Referral]:
    referrals = Referral.objects.filter(cell=member.cell).select_related(
        "subject", "organisation", "referred_by"
    )
    if member.role not in REFERRAL_QUEUE_ROLES:
        return referrals.none()
    if status:
        referrals = referrals.filter(status=status)
    return referrals.order_by("created_at", "id")  # oldest first; the id keeps pages stable


def own_referral_list(*, member: Membership) -> QuerySet[Referral]:
    return Referral.objects.filter(cell=member.cell, referred_by=member.user).select_related("subject")


def referral_visible(*, member: Membership) -> QuerySet[Referral]:
    """The queue roles see every referral of the cell; anyone else their own."""
    referrals = Referral.objects.filter(cell=member.cell)
    if member.role in REFERRAL_QUEUE_ROLES:
        return referrals
    if member.role == Role.DPO:
        return referrals.none()
    return referrals.filter(referred_by=member.user)


def duplicate_list(*, subject: Subject) -> list[tuple[str, str]]:
    """Other cases or referrals of the cell about the same person (by keyed hash, never by name)."""
    if not subject.identity_hash:
        return []
    others = (
        Subject.objects.filter(cell=subject.cell_id, identity_hash=subject.identity_hash)
        .exclude(pk=subject.pk)
        .annotate(has_case=Exists(Case.objects.filter(subject=OuterRef("pk"))))
        .select_related("case", "referral")
    )
    found = []
    for other in others:
        if other.has_case:
            found.append(("case", other.case.reference))
        else:
            found.append(("referral", str(other.referral.pk)))
    return found


def identity_requests_pending(*, member: Membership) -> QuerySet[IdentityRequest]:
    if member.role not in (Role.COORDINATOR, Role.MAYOR):
        return IdentityRequest.objects.none()
    return IdentityRequest.objects.filter(
        cell=member.cell, status=IdentityRequest.Status.PENDING
    ).select_related("subject", "requested_by")


# --- The item-use ledger (rule 9): where each item went, and its owner's consent --------------------


@dataclass(frozen=True)
class UseRow:
    """One use of an item as its owner (or the coordinator) follows it, with what is known of the
    decision that asked for it (`cases/decisions.py`)."""

    use: ItemUse
    taken_on: datetime.date | None  # the day of the meeting at which the decision was put to the table
    ended: str  # why nothing more of the decision is carried out; "" while it may be
    mine: bool  # the member owns the item: she answers for it

    @property
    def answerable(self) -> bool:
        """Its owner may still give or refuse consent, or change her answer."""
        return self.use.carried_out_at is None and self.use.item.withdrawn_at is None and not self.ended

    @property
    def awaiting(self) -> bool:
        return self.answerable and self.use.consent == UseConsent.ASKED

    @property
    def shareable(self) -> bool:
        """A share with a partner that its owner consented to, not yet recorded as done."""
        use = self.use
        return (
            use.kind == UseKind.PARTNER
            and use.consent == UseConsent.GIVEN
            and use.carried_out_at is None
            and use.item.withdrawn_at is None
        )


def _use_rows(uses: Iterable[ItemUse], mine: set[Any]) -> list[UseRow]:
    """Rows of the uses, with the facts of their decisions (one query); `mine`: the member's items."""
    uses = list(uses)
    facts = decision_facts({use.decision_id for use in uses})
    rows = []
    for use in uses:
        known = facts.get(use.decision_id)
        taken_on, ended = (known.taken_on, str(known.ended)) if known else (None, "")
        rows.append(UseRow(use, taken_on, ended, mine=use.item_id in mine))
    return rows


_USE_PEOPLE = ("asked_by", "carried_out_by")
# A use's columns, and those of its item it is shown with: never the item's text; of the people,
# their names only.
_USE_COLUMNS = (
    "id", "item", "kind", "decision_id", "partner", "asked_by", "asked_at", "consent", "consent_at",
    "carried_out_at", "carried_out_by", "item__cell", "item__case", "item__owner", "item__organisation__name",
    "item__category", "item__category_name", "item__category_special", "item__shared_on", "item__created_at",
    "item__withdrawn_at", "item__consent",
)  # fmt: skip


def item_use_rows(*, items: Iterable[InformationItem], member: Membership) -> dict[Any, list[UseRow]]:
    """{item id: its uses, oldest first} for the case page: under the member's own items, and, for
    the coordinator (who records the decisions and the shares with partners), under every item."""
    items = list(items)
    mine = {item.pk for item in items if item.owner.membership_id == member.pk}
    followed = [item.pk for item in items] if member.role == Role.COORDINATOR else list(mine)
    uses = (
        ItemUse.objects.filter(item__in=followed)
        .select_related("item__organisation", *_USE_PEOPLE)
        .only(*_USE_COLUMNS, "asked_by__name", "carried_out_by__name")
        .order_by("asked_at", "pk")
    )
    rows: dict[Any, list[UseRow]] = {}
    for row in _use_rows(uses, mine):
        rows.setdefault(row.use.item_id, []).append(row)
    return rows


def with_where_it_went(items: Iterable[InformationItem], *, member: Membership) -> list[InformationItem]:
    """The case page's items, each with `where_it_went`: its uses as `item_use_rows` gives them
    (the member's own items; every item for the coordinator), in one query for all."""
    items = list(items)
    rows = item_use_rows(items=items, member=member)
    for item in items:
        item.where_it_went = rows.get(item.pk, [])  # type: ignore[attr-defined]
    return items


_USABLE_COLUMNS = ("cell", "case", "category", "category_name", "category_special", "shared_on", "created_at",
                   "consent", "withdrawn_at", "organisation__name")  # fmt: skip


def item_usable_list(*, case: Case) -> QuerySet[InformationItem]:
    """The case's items a decision may use beyond the table: shared with the table, not
    withdrawn (`cases/services/uses.py::uses_ask` keeps the rule); by category, organisation and
    date, without their text."""
    return (
        InformationItem.objects.filter(case=case, withdrawn_at__isnull=True, consent=True)
        .select_related("organisation")
        .only(*_USABLE_COLUMNS)
        .order_by("shared_on", "created_at")
    )


def own_use_rows(*, member: Membership) -> list[UseRow]:
    """Every use of the member's own items, in the cases she may see: those awaiting her answer
    first, then the newest first. Withdrawn items too: where they went before stays known."""
    uses = list(
        ItemUse.objects.filter(
            item__cell=member.cell,
            item__owner__membership=member,
            item__case__in=case_visible_list(member=member),
        )
        .select_related("item__case", "item__organisation", *_USE_PEOPLE)
        .order_by("-asked_at", "-pk")
    )
    rows = _use_rows(uses, {use.item_id for use in uses})
    return sorted(rows, key=lambda row: not row.awaiting)  # stable: newest first within each


def consent_requests_count(*, member: Membership) -> int:
    """How many uses of the member's own items wait for her consent (one count query): in cases
    she may see, of items not withdrawn, of decisions that are not over."""
    uses = ItemUse.objects.filter(
        item__cell=member.cell,
        item__owner__membership=member,
        item__withdrawn_at__isnull=True,
        item__case__in=case_visible_list(member=member),
        consent=UseConsent.ASKED,
        carried_out_at__isnull=True,
    )
    for over in decisions_over(member.cell):
        uses = uses.exclude(decision_id__in=over)
    return uses.count()


def decision_uses(*, decision_ids: Iterable[Any]) -> dict[Any, list[ItemUse]]:
    """{decision id: the uses it lists, by item}: what the decision lists are shown with, for
    whoever reads the decision (the items' category, organisation and date; never their text)."""
    uses = (
        ItemUse.objects.filter(decision_id__in=list(decision_ids))
        .select_related("item__organisation", "carried_out_by")
        .only(*_USE_COLUMNS, "carried_out_by__name")
        .order_by("item__shared_on", "item__created_at", "pk")
    )
    found: dict[Any, list[ItemUse]] = {}
    for use in uses:
        found.setdefault(use.decision_id, []).append(use)
    return found


@dataclass(frozen=True)
class UseCounts:
    """Where a decision's uses stand."""

    carried_out: int = 0
    ready: int = 0  # consent given, not carried out yet
    awaiting: int = 0
    refused: int = 0
    withdrawn: int = 0  # the item was withdrawn before the use was carried out

    @property
    def not_carried_out(self) -> int:
        return self.ready + self.awaiting + self.refused + self.withdrawn


def use_counts(uses: Iterable[ItemUse]) -> UseCounts:
    counts = {"carried_out": 0, "ready": 0, "awaiting": 0, "refused": 0, "withdrawn": 0}
    for use in uses:
        if use.carried_out_at is not None:
            counts["carried_out"] += 1
        elif use.item.withdrawn_at is not None:
            counts["withdrawn"] += 1
        elif use.consent == UseConsent.GIVEN:
            counts["ready"] += 1
        elif use.consent == UseConsent.REFUSED:
            counts["refused"] += 1
        else:
            counts["awaiting"] += 1
    return UseCounts(**counts)


def case_use_list(*, case: Case) -> QuerySet[ItemUse]:
    """Every use of the case's items, for the DPO's ledger: who asked, consented and carried out
    what, and when; the items by category, organisation and date, never their text."""
    return (
        ItemUse.objects.filter(item__case=case)
        .select_related("item__organisation", *_USE_PEOPLE)
        .only(*_USE_COLUMNS, "asked_by__name", "carried_out_by__name")
        .order_by("item__shared_on", "item__created_at", "asked_at", "pk")
    )
