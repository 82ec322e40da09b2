"""Reads of the cases app, scoped to a cell and the requesting member.

Who sees which case is decided here and only here (docs/rules.md, rule 8): mayor, coordinator and
information officer see every case of their cell; a participant sees the cases whose table
they sit at (a django-guardian object permission, granted by seating); the DPO sees none.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import (
    Case,
    CaseStatus,
    CaseUserObjectPermission,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    Referral,
    ReferralStatus,
    Seat,
    Subject,
)
from cases.services.seats import VIEW_CASE_CODENAME
from livc.cells.models import CELL_WIDE_CASE_ROLES, Membership, Role

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
    "cell", "case", "shared_on", "category", "text", "justification", "consent", "created_at", "withdrawn_at",
    "owner__membership",
)  # fmt: skip


def seat_list(*, case: Case) -> QuerySet[Seat]:
    return Seat.objects.filter(case=case).select_related(
        "participant__membership__user", "participant__organisation"
    )


def seat_names(*, case: Case) -> list[tuple[str, str]]:
    """Who sits at the case's table, as the case page names them: (name, organisation)."""
    return list(
        Seat.objects.filter(case=case)
        .order_by("participant__membership__user__name", "pk")
        .values_list("participant__membership__user__name", "participant__organisation__name")
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
