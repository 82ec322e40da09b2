"""Reads for the DPO console, always scoped to one cell and checked against the requesting user.

Nothing here returns case content: entries are shown by object type and id (a case by its
reference), never by `object_repr`, and the free text of changes is not read at all.
"""

import datetime
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, ItemUse
from cases.selectors import case_use_list
from dpo import lookups
from dpo.models import AuditSettings, Breach, BreachStatus
from livc.accounts.models import User
from livc.audit.models import AccessKind, LogAction, LogEntry
from livc.caching import remembered
from livc.cells.models import Cell, Membership, Role
from meetings.models import Meeting, MinutesDocument

PAGE_FIELDS = (
    "id",
    "timestamp",
    "action",
    "access_kind",
    "event",
    "content_type",
    "object_pk",
    "remote_addr",
    "actor",
    "actor__name",
    "actor_email",
    "cell",
    "scrubbed_at",
    "additional_data",
)


def assert_dpo(*, cell: Cell, user: User) -> None:
    """Only the cell's own data-protection officer reads its audit trail; everyone else: 404."""
    if not Membership.objects.effective().filter(cell=cell, user=user, role=Role.DPO).exists():
        raise Http404("Not for this role.")


@dataclass(frozen=True)
class LogFilter:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    user_id: int | None = None
    # "create", "update", "delete", "access", "access:<kind>", "event" or "event:<code>"
    action: str = ""
    content_type_id: int | None = None
    object_pk: str = ""
    organisation: str = ""
    case_reference: str = ""


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


_ACTIONS = {"create": LogAction.CREATE, "update": LogAction.UPDATE, "delete": LogAction.DELETE}


def _apply_action(entries: QuerySet[LogEntry], action: str) -> QuerySet[LogEntry]:
    name, _, detail = action.partition(":")
    if name in _ACTIONS:
        return entries.filter(action=_ACTIONS[name])
    if name == "access":
        entries = entries.filter(action=LogAction.ACCESS)
        return entries.filter(access_kind=detail) if detail else entries
    if name == "event":
        entries = entries.filter(action=LogAction.EVENT)
        return entries.filter(event=detail) if detail else entries
    return entries


def log_list(*, cell: Cell, user: User, log_filter: LogFilter) -> QuerySet[LogEntry]:
    """The cell's audit entries matching the filter, newest first."""
    assert_dpo(cell=cell, user=user)
    entries = LogEntry.objects.filter(cell=cell)
    f = log_filter
    if f.date_from:
        entries = entries.filter(timestamp__gte=_day_start(f.date_from))
    if f.date_to:
        entries = entries.filter(timestamp__lt=_day_start(f.date_to + datetime.timedelta(days=1)))
    if f.user_id:
        entries = entries.filter(actor_id=f.user_id)
    if f.action:
        entries = _apply_action(entries, f.action)
    if f.content_type_id and f.object_pk:
        entries = entries.filter(lookups.entries_about_object(cell, f.content_type_id, f.object_pk))
    elif f.content_type_id:
        entries = entries.filter(content_type_id=f.content_type_id)
    elif f.object_pk:
        entries = entries.filter(object_pk=f.object_pk)
    if f.organisation:
        entries = entries.filter(actor_id__in=lookups.organisation_user_ids(cell, f.organisation))
    if f.case_reference:
        condition = lookups.entries_about_case(cell, f.case_reference)
        entries = entries.filter(condition) if condition is not None else entries.none()
    return entries.order_by("-timestamp", "-id")


def log_page_rows(entries: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
    """Only the columns the console shows: never the object's text or the change payload."""
    return entries.select_related("actor").only(*PAGE_FIELDS)


def reader_summary(*, entries: QuerySet[LogEntry]) -> list[dict[str, Any]]:
    """Per user: how often and when last they accessed what `entries` select."""
    return list(
        entries.order_by()
        .values("actor_id", "actor__name")
        .annotate(count=Count("id"), last=Max("timestamp"))
        .order_by("-last")
    )


def user_choices(*, cell: Cell) -> list[tuple[int, str]]:
    """Everyone who holds or held a role in the cell, for the user filter."""
    members = Membership.objects.filter(cell=cell).select_related("user").order_by("user__name")
    return [(member.user_id, member.user.name) for member in members]


def object_type_choices() -> list[tuple[int, str]]:
    """The kinds of object the log can name: every model registered with auditlog, and accounts."""
    models = {*auditlog.get_models(), User}
    types = ContentType.objects.get_for_models(*models).values()
    return sorted(((ct.pk, _type_name(ct)) for ct in types), key=_label)


def _type_name(content_type: ContentType) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else content_type.model


def _label(choice: tuple[int, str]) -> str:
    return choice[1].lower()


def content_type_labels() -> dict[int, str]:
    return dict(object_type_choices())


@dataclass(frozen=True)
class AuthorisedPerson:
    user: User
    membership: Membership
    organisation: str
    last_access: datetime.datetime | None


def authorised_person_list(*, cell: Cell, user: User) -> list[AuthorisedPerson]:
    """Everyone who may reach the cell's data today (effective memberships), with their last access."""
    assert_dpo(cell=cell, user=user)
    memberships = list(
        Membership.objects.effective().filter(cell=cell).select_related("user").order_by("user__name", "id")
    )
    user_ids = [membership.user_id for membership in memberships]
    last = dict(
        LogEntry.objects.filter(cell=cell, actor_id__in=user_ids, action=LogAction.ACCESS)
        .values("actor_id")
        .annotate(last=Max("timestamp"))
        .values_list("actor_id", "last")
    )
    organisations = lookups.organisation_names(cell, user_ids)
    return [
        AuthorisedPerson(m.user, m, organisations.get(m.user_id, ""), last.get(m.user_id))
        for m in memberships
    ]


def breach_list(*, cell: Cell, user: User) -> QuerySet[Breach]:
    assert_dpo(cell=cell, user=user)
    breaches = Breach.objects.filter(cell=cell).select_related("reported_by")
    return breaches.order_by("-discovered_at", "-number")


def breach_get(*, cell: Cell, user: User, pk: Any) -> Breach:
    breach = breach_list(cell=cell, user=user).filter(pk=pk).first()
    if breach is None:
        raise Http404("No such breach.")
    return breach


def breach_history(*, breach: Breach) -> QuerySet[LogEntry]:
    """The log entries of the breach: who recorded or changed it, when, which fields."""
    content_type = ContentType.objects.get_for_model(Breach)
    return (
        LogEntry.objects.filter(cell=breach.cell, content_type=content_type, object_pk=str(breach.pk))
        .select_related("actor")
        .order_by("timestamp", "id")
    )


def breaches_overdue(*, cell: Cell, now: datetime.datetime | None = None) -> list[Breach]:
    """Breaches discovered over 72 hours ago of which the authority was not informed, with no reason.

    The reason is encrypted, so it is checked in Python, on the few breaches past the deadline.
    """
    now = now or timezone.now()
    candidates = Breach.objects.filter(
        cell=cell, discovered_at__lte=now - Breach.AUTHORITY_DEADLINE, authority_informed_at__isnull=True
    )
    return [breach for breach in candidates if breach.authority_overdue(now)]


BREACH_DEADLINE_NEAR = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class Due:
    """What waits on a deadline: how many are past it, and how many reach it soon."""

    overdue: int
    soon: int


def breaches_due(*, cell: Cell, now: datetime.datetime | None = None) -> Due:
    """How many breaches wait for the authority's notification: past the 72 hours (as
    `breaches_overdue`), or within `BREACH_DEADLINE_NEAR` of them.

    One query; the encrypted "why not" is read in Python on the few breaches within a day of
    their deadline or past it, as in `breaches_overdue`.
    """
    now = now or timezone.now()
    waiting = breaches_near_deadline(cell=cell, now=now)
    overdue = sum(1 for breach in waiting if breach.authority_overdue(now))
    return Due(overdue=overdue, soon=len(waiting) - overdue)


def breaches_near_deadline(*, cell: Cell, now: datetime.datetime) -> list[Breach]:
    """The breaches `breaches_due` counts: the authority not informed (and no reason why not), its
    deadline within `BREACH_DEADLINE_NEAR` or past."""
    candidates = Breach.objects.filter(
        cell=cell,
        discovered_at__lte=now - Breach.AUTHORITY_DEADLINE + BREACH_DEADLINE_NEAR,
        authority_informed_at__isnull=True,
    )
    return [breach for breach in candidates if not breach.authority_not_informed_reason]


def breaches_reported(*, cell: Cell) -> list[Any]:
    """The ids of the members' reports the DPO has not yet taken in hand, newest first."""
    reported = Breach.objects.filter(cell=cell, status=BreachStatus.REPORTED)
    return list(reported.order_by("-created_at").values_list("pk", flat=True))


@dataclass(frozen=True)
class BreachReportRecipients:
    role: str  # Role.DPO, or Role.COORDINATOR when the cell has no DPO, or "" when it has neither
    users: list[User]


def breach_report_recipients(*, cell: Cell) -> BreachReportRecipients:
    """Who is told of a member's breach report: the cell's DPOs; without one, its coordinators."""
    for role in (Role.DPO, Role.COORDINATOR):
        memberships = Membership.objects.effective().filter(cell=cell, role=role).select_related("user")
        users = [membership.user for membership in memberships.order_by("user_id")]
        if users:
            return BreachReportRecipients(role=role, users=users)
    return BreachReportRecipients(role="", users=[])


def breach_report_get(*, cell: Cell, user: User, pk: Any) -> Breach:
    """A report, for the member who made it (its number and when it was noticed; nothing else of
    the register). Anyone else, the DPO included, reads it in the register: 404 here."""
    breach = Breach.objects.filter(cell=cell, reported_by=user, pk=pk).first()
    if breach is None:
        raise Http404("No such report.")
    return breach


def audit_settings_get(*, cell: Cell) -> AuditSettings:
    """The cell's thresholds; the defaults if the DPO never changed them (not saved)."""
    return AuditSettings.objects.filter(cell=cell).first() or AuditSettings(cell=cell)


@dataclass
class AccessSignal:
    kind: str  # "burst", "off_hours" or "exports"
    user_id: int | None
    start: datetime.datetime
    end: datetime.datetime
    count: int
    user_name: str = ""


@dataclass
class _Burst:
    window: deque[tuple[datetime.datetime, tuple[int, str]]] = field(default_factory=deque)
    counts: Counter[tuple[int, str]] = field(default_factory=Counter)


class _BurstWalk:
    """Each user's window of accesses, fed in (user, time) order: a burst signal when the window
    holds more than `burst_objects` distinct objects, which then starts afresh."""

    def __init__(self, rules: AuditSettings) -> None:
        self.rules = rules
        self.window = datetime.timedelta(minutes=rules.burst_minutes)
        self.bursts: dict[int | None, _Burst] = defaultdict(_Burst)

    def step(
        self, actor_id: int | None, moment: datetime.datetime, key: tuple[int, str]
    ) -> AccessSignal | None:
        burst = self.bursts[actor_id]
        burst.window.append((moment, key))
        burst.counts[key] += 1
        while burst.window and burst.window[0][0] <= moment - self.window:
            _, old = burst.window.popleft()
            burst.counts[old] -= 1
            if not burst.counts[old]:
                del burst.counts[old]
        if len(burst.counts) <= self.rules.burst_objects:
            return None
        self.bursts[actor_id] = _Burst()  # one signal per burst
        return AccessSignal("burst", actor_id, burst.window[0][0], moment, len(burst.counts))


def unusual_access_list(
    *, cell: Cell, user: User, since: datetime.datetime, until: datetime.datetime
) -> list[AccessSignal]:
    """Accesses the DPO should look at: bursts of distinct objects, off-hours work, many exports.

    Computed from the log on request, without reading the period's entries one by one in Python
    (a cell of a million entries writes some 80,000 accesses a month): one aggregate per user and
    local day (`_day_totals`) counts the off-hours accesses and the exports, and finds where a
    burst may end: where the user's accesses within the window before (a superset of the window
    the walk keeps) pass the threshold, the distinct objects may. Only the accesses within one
    window before such a point are read and walked as before (`_bursts`): a user's burst signal
    ends the burst, and the next one starts afresh. The result is that of one pass over all the
    period's accesses in (user, time) order.
    """
    assert_dpo(cell=cell, user=user)
    rules = audit_settings_get(cell=cell)
    entries = LogEntry.objects.filter(
        cell=cell, action=LogAction.ACCESS, timestamp__gte=since, timestamp__lt=until
    )
    if connection.vendor == "postgresql":
        signals = _signals_in_sql(entries, rules)
    else:
        signals = _signals_walked(entries, rules)
    names = dict(User.objects.filter(pk__in={s.user_id for s in signals}).values_list("pk", "name"))
    for signal in signals:
        signal.user_name = names.get(signal.user_id or 0, "")
    return sorted(signals, key=lambda s: s.start, reverse=True)


def _signals_in_sql(entries: QuerySet[LogEntry], rules: AuditSettings) -> list[AccessSignal]:
    """The signals from one aggregate per user and day, and a walk of the accesses near a burst."""
    days = _day_totals(entries, rules)
    signals = _bursts(entries, rules, [(day.actor_id, end) for day in days for end in day.burst_ends])
    for day in days:
        if day.off_hours:
            signals.append(
                AccessSignal("off_hours", day.actor_id, day.first_off, day.last_off, day.off_hours)
            )
        if day.exports > rules.exports_per_day:
            signals.append(
                AccessSignal("exports", day.actor_id, day.first_export, day.last_export, day.exports)
            )
    return signals


def _signals_walked(entries: QuerySet[LogEntry], rules: AuditSettings) -> list[AccessSignal]:
    """The signals by one pass over all the accesses in (user, time) order, in Python: on
    databases other than PostgreSQL (the tests' SQLite), and the reference `_signals_in_sql` keeps."""
    rows = entries.order_by("actor_id", "timestamp", "id").values_list(
        "actor_id", "timestamp", "content_type_id", "object_pk", "access_kind"
    )
    signals: list[AccessSignal] = []
    walk = _BurstWalk(rules)
    days: dict[tuple[int | None, datetime.date], _Day] = defaultdict(_Day)
    for actor_id, moment, content_type_id, object_pk, kind in rows.iterator(chunk_size=2000):
        if burst := walk.step(actor_id, moment, (content_type_id, object_pk)):
            signals.append(burst)
        day = days[(actor_id, timezone.localtime(moment).date())]
        if _off_hours(moment, rules):
            day.off_hours += 1
            day.first_off, day.last_off = day.first_off or moment, moment
        if kind in (AccessKind.EXPORT, AccessKind.DOWNLOAD):
            day.exports += 1
            day.first_export, day.last_export = day.first_export or moment, moment
    for (actor_id, _day), totals in days.items():
        if totals.off_hours and totals.first_off and totals.last_off:
            signals.append(
                AccessSignal("off_hours", actor_id, totals.first_off, totals.last_off, totals.off_hours)
            )
        if totals.exports > rules.exports_per_day and totals.first_export and totals.last_export:
            signals.append(
                AccessSignal("exports", actor_id, totals.first_export, totals.last_export, totals.exports)
            )
    return signals


@dataclass
class _Day:
    off_hours: int = 0
    exports: int = 0
    first_off: datetime.datetime | None = None
    first_export: datetime.datetime | None = None
    last_off: datetime.datetime | None = None
    last_export: datetime.datetime | None = None


def _off_hours(moment: datetime.datetime, rules: AuditSettings) -> bool:
    local = timezone.localtime(moment)
    if rules.weekends_are_off_hours and local.weekday() >= 5:
        return True
    return not (rules.office_hours_start <= local.hour < rules.office_hours_end)


@dataclass(frozen=True)
class _DayTotals:
    actor_id: int | None
    day: datetime.date
    off_hours: int
    first_off: datetime.datetime
    last_off: datetime.datetime
    exports: int
    first_export: datetime.datetime
    last_export: datetime.datetime
    burst_ends: list[datetime.datetime]  # where the user's accesses within the window pass the threshold


def _day_totals(entries: QuerySet[LogEntry], rules: AuditSettings) -> list[_DayTotals]:
    """Per user and local day that may hold a signal: the off-hours accesses, the exports and
    downloads (the first and last of each), and the points where a burst may end; in (user, day)
    order, as a pass over the entries meets them. One query, one read of the period's accesses."""
    window = datetime.timedelta(minutes=rules.burst_minutes)
    columns = ("actor_id", "timestamp", "access_kind")
    base_sql, params = entries.order_by().values_list(*columns).query.sql_with_params()
    zone = str(timezone.get_current_timezone())
    off = "(hour < %s OR hour >= %s OR (%s AND weekday >= 6))"  # ISO weekdays: Saturday 6, Sunday 7
    export = "access_kind IN (%s, %s)"
    # Only fixed fragments and Django's compiled query are formatted in; the values are parameters.
    sql = f"""
        SELECT actor_id, day,
               COUNT(*) FILTER (WHERE {off}), MIN(timestamp) FILTER (WHERE {off}),
               MAX(timestamp) FILTER (WHERE {off}),
               COUNT(*) FILTER (WHERE {export}), MIN(timestamp) FILTER (WHERE {export}),
               MAX(timestamp) FILTER (WHERE {export}),
               ARRAY_AGG(timestamp ORDER BY timestamp) FILTER (WHERE near > %s)
        FROM (
            SELECT actor_id, timestamp, access_kind, (local)::date AS day,
                   DATE_PART('hour', local) AS hour, DATE_PART('isodow', local) AS weekday,
                   COUNT(*) OVER (
                       PARTITION BY actor_id ORDER BY timestamp RANGE BETWEEN %s PRECEDING AND CURRENT ROW
                   ) AS near
            FROM (SELECT *, timestamp AT TIME ZONE %s AS local FROM ({base_sql}) AS period) AS period
        ) AS accesses
        GROUP BY actor_id, day
        HAVING COUNT(*) FILTER (WHERE {off}) > 0 OR COUNT(*) FILTER (WHERE {export}) > %s
            OR BOOL_OR(near > %s)
        ORDER BY actor_id, day
    """  # noqa: S608
    off_params = [rules.office_hours_start, rules.office_hours_end, rules.weekends_are_off_hours]
    export_params = [AccessKind.EXPORT.value, AccessKind.DOWNLOAD.value]
    all_params = [
        *off_params * 3,
        *export_params * 3,
        rules.burst_objects,
        window,
        zone,
        *params,
        *off_params,
        *export_params,
        rules.exports_per_day,
        rules.burst_objects,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        _without_jit(cursor)
        cursor.execute(sql, all_params)
        rows = cursor.fetchall()
    return [
        _DayTotals(actor, day, off, first_off, last_off, exports, first_export, last_export, ends or [])
        for actor, day, off, first_off, last_off, exports, first_export, last_export, ends in rows
    ]


def _without_jit(cursor: Any) -> None:
    """PostgreSQL's JIT compiles such a one-off aggregate for longer than it runs (200 ms)."""
    cursor.execute("SET LOCAL jit = off")


def _bursts(
    entries: QuerySet[LogEntry], rules: AuditSettings, ends: list[tuple[int | None, datetime.datetime]]
) -> list[AccessSignal]:
    """The burst signals (one user's more than `burst_objects` distinct objects within
    `burst_minutes`), walking only the accesses within one window before the possible `ends`."""
    if not ends:
        return []
    window = datetime.timedelta(minutes=rules.burst_minutes)
    spans: list[tuple[int | None, datetime.datetime, datetime.datetime]] = []
    for actor_id, end in sorted(ends, key=lambda item: (item[0] is None, item[0] or 0, item[1])):
        if spans and spans[-1][0] == actor_id and end - window <= spans[-1][2]:
            spans[-1] = (actor_id, spans[-1][1], end)
        else:
            spans.append((actor_id, end - window, end))
    near = Q()
    for actor_id, start, end in spans:
        near |= Q(actor_id=actor_id, timestamp__gte=start, timestamp__lte=end)
    rows = (
        entries.filter(near)
        .order_by(F("actor_id").asc(nulls_last=True), "timestamp", "id")
        .values_list("actor_id", "timestamp", "content_type_id", "object_pk")
    )
    walk = _BurstWalk(rules)
    found = (walk.step(actor_id, moment, (ct_id, object_pk)) for actor_id, moment, ct_id, object_pk in rows)
    return [signal for signal in found if signal]


# The overview and the "waiting for you" list show how many signals the last 30 days hold; the
# count is kept this long per cell and thresholds (a change of thresholds shows at once).
SIGNAL_PERIOD = datetime.timedelta(days=30)
SIGNAL_COUNT_CACHE_SECONDS = 300


def unusual_access_count(*, cell: Cell, user: User) -> int:
    """How many unusual-access signals the last 30 days hold (`unusual_access_list`), counted at
    most every five minutes per cell: a signal shows within five minutes, new thresholds at once."""
    assert_dpo(cell=cell, user=user)
    rules = audit_settings_get(cell=cell)
    version = ":".join(str(getattr(rules, name)) for name in AuditSettings.THRESHOLD_FIELDS)
    key = f"dpo:signal-count:{cell.pk}:{version}"

    def count() -> int:
        now = timezone.now()
        return len(unusual_access_list(cell=cell, user=user, since=now - SIGNAL_PERIOD, until=now))

    return int(remembered(key, count, timeout=SIGNAL_COUNT_CACHE_SECONDS))


class _LoggedRow(Protocol):
    @property
    def object_type(self) -> str: ...
    @property
    def object_type_id(self) -> int: ...
    @property
    def object_id(self) -> str: ...
    @property
    def page(self) -> str: ...


@dataclass(frozen=True)
class NamedRow:
    """A row of the console's log, with its object and page named for the DPO."""

    row: Any
    object_label: str  # "Case 2026-0004", "purged case <id>", or the type and id
    page_title: str  # the page's title, or its URL name when it has none


def named_rows(*, cell: Cell, rows: Sequence[_LoggedRow]) -> list[NamedRow]:
    """Name each row's object and page: cases by their reference, resolved in one query for all
    the rows; pages by their title (`dpo/lookups.py::page_titles`)."""
    case_type = ContentType.objects.get_for_model(Case).pk
    references = lookups.case_references(
        cell, (row.object_id for row in rows if row.object_type_id == case_type and row.object_id)
    )
    titles = lookups.page_titles()
    named = []
    for row in rows:
        label = f"{row.object_type} {row.object_id}" if row.object_id else ""
        if row.object_id and row.object_type_id == case_type:
            reference = references.get(str(row.object_id))
            label = (
                f"{row.object_type} {reference}"
                if reference
                else _("purged case %(id)s") % {"id": row.object_id}
            )
        title = str(titles[row.page]) if row.page in titles else row.page
        named.append(NamedRow(row=row, object_label=label, page_title=title))
    return named


@dataclass(frozen=True)
class MinutesCopy:
    """What the cell's tables and log know of one minutes PDF copy, found by its document number."""

    number: str
    document: MinutesDocument | None  # the stored copy; None once made again or purged
    meeting: Meeting | None
    recipient: User | None
    downloads: list[LogEntry]  # every download of it, oldest first (they outlive the copy)

    @property
    def found(self) -> bool:
        return self.document is not None or bool(self.downloads)


def minutes_copy_get(*, cell: Cell, user: User, number: str) -> MinutesCopy:
    """The copy with this document number in the cell: its recipient, meeting and downloads.

    Only this cell's copies and entries: another cell's number finds nothing, as an unknown
    one does. The downloads come from the access entries (`details={"document": number}`), so
    a copy made again or removed by the retention purge is still traced: only the recipient
    could download it, so the downloads' user is its recipient and their object its meeting.
    """
    assert_dpo(cell=cell, user=user)
    document = (
        MinutesDocument.objects.filter(meeting__cell=cell, number=number)
        .select_related("meeting", "recipient")
        .first()
    )
    entries = LogEntry.objects.filter(
        cell=cell, action=LogAction.ACCESS, access_kind=AccessKind.DOWNLOAD, additional_data__document=number
    )
    downloads = list(log_page_rows(entries).order_by("timestamp", "id"))
    if document is not None:
        return MinutesCopy(number, document, document.meeting, document.recipient, downloads)
    if not downloads:
        return MinutesCopy(number, None, None, None, [])
    first = downloads[0]
    meeting = Meeting.objects.filter(cell=cell, pk=first.object_pk).first()
    return MinutesCopy(number, None, meeting, first.actor, downloads)


def item_uses_of_case(*, cell: Cell, user: User, reference: str) -> tuple[Case | None, list[ItemUse]]:
    """The case of the cell with this reference and every use of its items (the item-use ledger,
    rule 9): by category, organisation and date, never the items' text. An unknown reference
    finds nothing, whether another cell has such a case or not."""
    assert_dpo(cell=cell, user=user)
    case = Case.objects.filter(cell=cell, reference=reference.strip()).only("pk", "cell", "reference").first()
    if case is None:
        return None, []
    return case, list(case_use_list(case=case))
