"""Reads of the cases app, scoped to a cell and the requesting member.

Who sees which case is decided here and only here (DESIGN.md rule 8): mayor, coordinator and
information officer see every case of their cell; a participant sees the cases whose table
they sit at (a django-guardian object permission, granted by seating); the DPO sees none.
"""

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from cases.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    CaseStatus,
    IdentityRequest,
    InformationItem,
    InformingEntry,
    ItemKind,
    Meeting,
    MeetingStatus,
    Referral,
    ReferralStatus,
    Seat,
    Subject,
)
from cases.services.seats import VIEW_CASE_CODENAME
from livc.cells.models import CELL_WIDE_CASE_ROLES, Membership, Role

REFERRAL_QUEUE_ROLES = frozenset({Role.COORDINATOR, Role.INFORMATION_OFFICER, Role.MAYOR})


def case_visible_list(*, member: Membership) -> QuerySet[Case]:
    cases = Case.objects.filter(cell=member.cell)
    if member.role in CELL_WIDE_CASE_ROLES:
        return cases
    if member.role == Role.PARTICIPANT:
        # One query: the bare codename with `klass` spares guardian a content-type lookup, and
        # we grant no group or superuser access to cases (measured in `manage.py bench_cases`).
        return get_objects_for_user(
            member.user,
            VIEW_CASE_CODENAME,
            klass=cases,
            accept_global_perms=False,
            use_groups=False,
            with_superuser=False,
        )
    return cases.none()


def case_list(
    *,
    member: Membership,
    status: str | None = None,
    minors: bool = False,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Case]:
    # Only what the list shows: the encrypted columns (long tokens) stay in the database, and the
    # pseudonym comes along as a column rather than a second object per row.
    shown = ("reference", "status", "involves_minor", "review_on", "last_discussed_on", "opened_at")
    cases = case_visible_list(member=member).only(*shown).annotate(pseudonym=F("subject__pseudonym"))
    if status:
        cases = cases.filter(status=status)
    if minors:
        cases = cases.filter(involves_minor=True)
    if overdue:
        cases = cases.filter(review_on__lt=today or timezone.localdate()).exclude(status=CaseStatus.CLOSED)
    return cases.order_by("-opened_at")


def item_list(*, case: Case, member: Membership) -> QuerySet[InformationItem]:
    """Items in use at the table, plus the member's own items kept without consent."""
    items = InformationItem.objects.filter(case=case, withdrawn_at__isnull=True)
    own = Q(owner__membership=member)
    return items.filter(Q(consent=True) | own).select_related("owner__membership__user", "organisation")


def seat_list(*, case: Case) -> QuerySet[Seat]:
    return Seat.objects.filter(case=case).select_related(
        "participant__membership__user", "participant__organisation"
    )


def informing_list(*, case: Case) -> QuerySet[InformingEntry]:
    return InformingEntry.objects.filter(case=case).select_related("informed_by", "recorded_by")


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
    return referrals.order_by("created_at")


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


# --- Meetings ------------------------------------------------------------------------------------


def meeting_list(*, member: Membership) -> QuerySet[Meeting]:
    if member.role == Role.DPO:
        return Meeting.objects.none()
    return Meeting.objects.filter(cell=member.cell).select_related("rules").order_by("-starts_at")


def visible_items(*, member: Membership, meeting: Meeting) -> list[AgendaItem]:
    """The items a member may read: all for the core roles; otherwise topics, the actions
    review, the items of cases at whose table they sit (rule 8), and items erased under the
    retention rule (they hold nothing but the date: the minutes keep their structure)."""
    items = list(meeting.items.select_related("case__subject").order_by("position"))
    if member.role in CELL_WIDE_CASE_ROLES:
        return items
    visible = set(
        case_visible_list(member=member).filter(agenda_items__meeting=meeting).values_list("pk", flat=True)
    )
    return [
        item
        for item in items
        if item.kind != ItemKind.CASE or item.case_id in visible or item.removed_on is not None
    ]


def open_action_list(*, member: Membership, case: Case | None = None) -> QuerySet[Action]:
    """Open actions of the cases the member may see, overdue first."""
    actions = Action.objects.filter(
        cell=member.cell, status=ActionStatus.OPEN, case__in=case_visible_list(member=member)
    )
    if case is not None:
        actions = actions.filter(case=case)
    return actions.select_related("case__subject", "owner__membership__user", "organisation").order_by(
        "due_on"
    )


def overdue_action_count(*, member: Membership) -> int:
    """Overdue actions for the dashboard: all of the cell for the coordinator, one's own otherwise."""
    overdue = Action.objects.filter(
        cell=member.cell, status=ActionStatus.OPEN, due_on__lt=timezone.localdate()
    )
    if member.role == Role.COORDINATOR:
        return overdue.count()
    return overdue.filter(owner__membership=member).count()


def agenda_candidates(*, member: Membership, meeting: Meeting) -> list[tuple[Case, bool]]:
    """Open cases not yet on the agenda, each with whether it is new since the last meeting."""
    last = (
        Meeting.objects.filter(cell=member.cell, status=MeetingStatus.FINALISED)
        .exclude(pk=meeting.pk)
        .first()
    )
    cases = (
        Case.objects.filter(cell=member.cell, status__in=[CaseStatus.OPEN, CaseStatus.FOLLOW_UP])
        .exclude(agenda_items__meeting=meeting)
        .select_related("subject")
        .order_by("reference")
    )
    return [(case, last is None or case.opened_at > last.starts_at) for case in cases]
