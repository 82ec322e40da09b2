"""Reads of the retention app: each case's and referral's date, what is due, the DPO's figures.

Finding what is due is done in two steps, so that it scales and stays exact: a SQL filter
that can only over-select (`_case_candidates`, `_referral_candidates`), then the pure policy
on each candidate. Candidates come in chunks ordered by primary key, so memory stays flat
however many there are.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Case, Referral, ReferralStatus
from livc.cells.models import Cell
from meetings.models import Decision, DecisionKind, DecisionStatus
from retention.models import PurgeKind, PurgeRecord, RetentionSettings
from retention.policy import Extension, Retention, case_retention, referral_retention

CHUNK = 500
PURGED_REFERRAL_STATUSES = (ReferralStatus.NOT_RETAINED, ReferralStatus.REDIRECTED)


@dataclass(frozen=True)
class Due:
    """A case or referral whose data goes on the day after `retention.keep_until`."""

    pk: uuid.UUID
    cell_id: int
    reference: str  # a case's reference; empty for a referral
    retention: Retention


# --- Settings ----------------------------------------------------------------------------------


def settings_get(*, cell: Cell) -> RetentionSettings:
    """The cell's settings; the deployment's defaults (unsaved) if it has none."""
    return RetentionSettings.objects.filter(cell=cell).first() or RetentionSettings(cell=cell)


def warning_days_get(*, cell_id: int) -> int:
    """The cell's warning period (the deployment's default if it has no settings)."""
    own = RetentionSettings.objects.filter(cell_id=cell_id).values_list("warning_days", flat=True).first()
    return int(own if own is not None else settings.LIVC_RETENTION_WARNING_DAYS)


def not_retained_days_by_cell(cell_ids: Iterable[int] | None = None) -> tuple[dict[int, int], int]:
    """The cells' own periods (of these cells, if given) and the deployment's default."""
    rows = RetentionSettings.objects.all()
    if cell_ids is not None:
        rows = rows.filter(cell__in=list(cell_ids))
    return dict(rows.values_list("cell_id", "not_retained_days")), int(
        settings.LIVC_RETENTION_NOT_RETAINED_DAYS
    )


# --- One case ------------------------------------------------------------------------------------


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def extensions_by_case(case_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Extension]]:
    """The valid retention decisions of these cases (one query)."""
    rows = Decision.objects.filter(
        case_id__in=list(case_ids),
        kind=DecisionKind.EXTEND_RETENTION,
        status=DecisionStatus.VALID,
        extend_until__isnull=False,
    ).values_list("case_id", "extend_until", "item__meeting__starts_at", "decided_at")
    found: dict[uuid.UUID, list[Extension]] = defaultdict(list)
    for case_id, until, starts_at, decided_at in rows:
        if until is not None:
            extension = Extension(until=until, decided_on=_local_date(starts_at), decided_at=decided_at)
            found[case_id].append(extension)
    return found


def retention_of_case(
    *, opened_at: datetime.datetime, last_discussed_on: datetime.date | None, extensions: list[Extension]
) -> Retention:
    return case_retention(
        opened_on=_local_date(opened_at), last_discussed_on=last_discussed_on, extensions=extensions
    )


def referral_retention_get(*, referral: Referral, keep_days: int) -> Retention | None:
    qualified = referral.qualified_at or referral.created_at
    return referral_retention(
        status=referral.status,
        qualified_on=_local_date(qualified) if qualified else None,
        keep_days=keep_days,
    )


# --- What is due --------------------------------------------------------------------------------------


def _case_candidates(*, before: datetime.date) -> QuerySet[Case]:
    """Every case whose date may lie before `before`, and some more.

    A case is kept at least until one of: a year after its last discussion (or opening; a
    year is at least 365 days), or the date of one of its valid retention decisions. So a
    case due before `before` was last discussed (or opened) more than 365 days earlier, or
    has such a decision ending earlier.
    """
    year_earlier = before - datetime.timedelta(days=365)
    short_decision = Decision.objects.filter(
        case=OuterRef("pk"),
        kind=DecisionKind.EXTEND_RETENTION,
        status=DecisionStatus.VALID,
        extend_until__lt=before,
    )
    return Case.objects.filter(
        Q(last_discussed_on__lt=year_earlier)
        | Q(last_discussed_on__isnull=True, opened_at__lt=_start_of(year_earlier))
        | Exists(short_decision)
    )


def cases_due(*, before: datetime.date, cell: Cell | None = None, chunk: int = CHUNK) -> Iterator[Due]:
    """Cases whose personal data must be gone before `before` (purge: `before` = today)."""
    candidates = _case_candidates(before=before).order_by("pk")
    if cell is not None:
        candidates = candidates.filter(cell=cell)
    fields = ("pk", "cell_id", "reference", "opened_at", "last_discussed_on")
    after: uuid.UUID | None = None
    while True:
        page = candidates.filter(pk__gt=after) if after is not None else candidates
        rows = list(page.values_list(*fields)[:chunk])
        if not rows:
            return
        extensions = extensions_by_case(row[0] for row in rows)
        for pk, cell_id, reference, opened_at, last_discussed_on in rows:
            retention = retention_of_case(
                opened_at=opened_at, last_discussed_on=last_discussed_on, extensions=extensions.get(pk, [])
            )
            if retention.keep_until < before:
                yield Due(pk=pk, cell_id=cell_id, reference=reference, retention=retention)
        after = rows[-1][0]


def _referral_candidates(*, before: datetime.date, shortest_days: int) -> QuerySet[Referral]:
    cutoff = _start_of(before - datetime.timedelta(days=shortest_days))
    return Referral.objects.filter(status__in=PURGED_REFERRAL_STATUSES).filter(
        Q(qualified_at__lt=cutoff) | Q(qualified_at__isnull=True, created_at__lt=cutoff)
    )


def referrals_due(
    *, before: datetime.date, cell: Cell | None = None, keep_days: int | None = None, chunk: int = CHUNK
) -> Iterator[Due]:
    """Not-retained and redirected referrals whose short period ends before `before`
    (`keep_days`: the cell's period, when the caller has read it already)."""
    if cell is not None and keep_days is not None:
        own, default = {cell.pk: keep_days}, keep_days
    else:
        own, default = not_retained_days_by_cell(None if cell is None else [cell.pk])
    shortest = min([default, *own.values()]) if cell is None else own.get(cell.pk, default)
    candidates = _referral_candidates(before=before, shortest_days=shortest).order_by("pk")
    if cell is not None:
        candidates = candidates.filter(cell=cell)
    after: uuid.UUID | None = None
    while True:
        page = candidates.filter(pk__gt=after) if after is not None else candidates
        rows = list(page.values_list("pk", "cell_id", "status", "qualified_at", "created_at")[:chunk])
        if not rows:
            return
        for pk, cell_id, status, qualified_at, created_at in rows:
            retention = referral_retention(
                status=status,
                qualified_on=_local_date(qualified_at or created_at),
                keep_days=own.get(cell_id, default),
            )
            if retention is not None and retention.keep_until < before:
                yield Due(pk=pk, cell_id=cell_id, reference="", retention=retention)
        after = rows[-1][0]


@dataclass(frozen=True)
class Upcoming:
    days: int
    until: datetime.date  # the last day of the warning period: all of this is gone by then
    cases: list[Due]
    referrals: list[Due]

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.referrals)


def upcoming_get(*, cell: Cell, today: datetime.date | None = None) -> Upcoming:
    """What the purge will remove within the cell's warning period (and anything overdue)."""
    today = today or timezone.localdate()
    rules = settings_get(cell=cell)
    before = today + datetime.timedelta(days=rules.warning_days)
    return Upcoming(
        days=rules.warning_days,
        until=before,
        cases=sorted(cases_due(before=before, cell=cell), key=_by_date),
        referrals=sorted(
            referrals_due(before=before, cell=cell, keep_days=rules.not_retained_days), key=_by_date
        ),
    )


@dataclass(frozen=True)
class UpcomingFigures:
    """What the coordinator's notice says of `Upcoming`: counts and dates, nothing personal, so
    that it may be kept in the cache (`livc/cells/notices.py::figures_for_day`)."""

    days: int
    until: datetime.date
    cases: int
    referrals: int

    @property
    def count(self) -> int:
        return self.cases + self.referrals

    def as_tuple(self) -> tuple[int, datetime.date, int, int]:
        return (self.days, self.until, self.cases, self.referrals)


def upcoming_figures_get(*, cell: Cell) -> UpcomingFigures:
    """`upcoming_get`, counted."""
    upcoming = upcoming_get(cell=cell)
    return UpcomingFigures(upcoming.days, upcoming.until, len(upcoming.cases), len(upcoming.referrals))


def _by_date(due: Due) -> tuple[datetime.date, str]:
    return due.retention.keep_until, due.reference


# --- The DPO's pages ---------------------------------------------------------------------------------


def purge_record_list(*, cell: Cell, month: datetime.date | None = None) -> QuerySet[PurgeRecord]:
    records = PurgeRecord.objects.filter(cell=cell)
    if month is not None:
        start, end = _month_bounds(month)
        records = records.filter(purged_at__gte=_start_of(start), purged_at__lt=_start_of(end))
    return records.order_by("-purged_at", "-id")


def _month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of the month and of the next one."""
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date  # its first day
    cases_purged: int
    referrals_purged: int
    extensions_in_force: int


def _extension_periods(*, cell: Cell) -> list[tuple[datetime.date, datetime.date]]:
    """(from, until) of every extension that keeps, or kept, a case of the cell beyond a year:
    the cases still here (from their decisions) and the purged ones (from their records)."""
    decided = Decision.objects.filter(
        case__cell=cell, kind=DecisionKind.EXTEND_RETENTION, status=DecisionStatus.VALID
    ).values_list("case_id", flat=True)
    cases = Case.objects.filter(pk__in=decided).values_list("pk", "opened_at", "last_discussed_on")
    rows = list(cases)
    extensions = extensions_by_case(row[0] for row in rows)
    periods = []
    for pk, opened_at, last_discussed_on in rows:
        retention = retention_of_case(
            opened_at=opened_at, last_discussed_on=last_discussed_on, extensions=extensions.get(pk, [])
        )
        if retention.is_extension and retention.decided_on is not None:
            periods.append((retention.decided_on, retention.keep_until))
    purged = PurgeRecord.objects.filter(cell=cell, extension_from__isnull=False)
    periods.extend(
        (since, until) for since, until in purged.values_list("extension_from", "keep_until") if since
    )
    return periods


def retention_report(*, cell: Cell, year: int, today: datetime.date | None = None) -> list[MonthRow]:
    """Per month of `year` up to the current one: what was purged, and how many extensions were
    in force at some time in that month."""
    today = today or timezone.localdate()
    periods = _extension_periods(cell=cell)
    records = PurgeRecord.objects.filter(
        cell=cell,
        purged_at__gte=_start_of(datetime.date(year, 1, 1)),
        purged_at__lt=_start_of(datetime.date(year + 1, 1, 1)),
    ).values_list("kind", "purged_at")
    purged: dict[tuple[int, str], int] = defaultdict(int)
    for kind, purged_at in records:
        purged[(_local_date(purged_at).month, kind)] += 1
    rows = []
    for number in range(1, 13):
        start, end = _month_bounds(datetime.date(year, number, 1))
        if start > today:
            break
        in_force = sum(1 for since, until in periods if since < end and until >= start)
        rows.append(
            MonthRow(
                month=start,
                cases_purged=purged[(number, PurgeKind.CASE)],
                referrals_purged=purged[(number, PurgeKind.REFERRAL)],
                extensions_in_force=in_force,
            )
        )
    return rows
