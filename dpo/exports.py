"""How the console shows an entry, and its exports: streamed CSV and PDF (WeasyPrint).

An entry is shown as time, user, action, object type and id, client address and page;
never by its `object_repr` or change payload, which may echo case content.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Func, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dpo.selectors import content_type_labels
from livc.audit import events
from livc.audit.models import AccessKind, LogAction, LogEntry
from livc.spreadsheets import FORMULA_PREFIXES, neutralise

_ACCESS_LABELS = dict(AccessKind.choices)
_CHANGE_LABELS: dict[int, Any] = {
    LogAction.CREATE: _lazy("created"),
    LogAction.UPDATE: _lazy("changed"),
    LogAction.DELETE: _lazy("deleted"),
}


def action_label(action: int, access_kind: str, event: str) -> str:
    """ "viewed", "exported", "created", "logged in" ...: one word or two for the DPO."""
    if action == LogAction.ACCESS:
        return str(_ACCESS_LABELS.get(access_kind, LogAction.ACCESS.label))
    if action == LogAction.EVENT:
        return str(events.kind_label(event))
    if action in _CHANGE_LABELS:
        return str(_CHANGE_LABELS[action])
    try:
        return str(LogAction(action).label)
    except ValueError:
        return str(action)


@dataclass(frozen=True)
class EntryRow:
    id: int
    timestamp: datetime.datetime
    user_id: int | None
    user_name: str
    action: str
    object_type: str
    object_type_id: int
    object_id: str
    remote_addr: str
    page: str
    scrubbed: bool


def entry_rows(entries: Iterable[LogEntry]) -> list[EntryRow]:
    labels = content_type_labels()
    return [
        EntryRow(
            id=entry.pk,
            timestamp=entry.timestamp,
            user_id=entry.actor_id,
            user_name=entry.actor.name if entry.actor else "",
            action=action_label(entry.action, entry.access_kind, entry.event),
            object_type=labels.get(entry.content_type_id, "") if entry.object_pk else "",
            object_type_id=entry.content_type_id,
            object_id=entry.object_pk,
            remote_addr=entry.remote_addr or "",
            page=str((entry.additional_data or {}).get("view", ""))
            if entry.action == LogAction.ACCESS
            else "",
            scrubbed=entry.scrubbed_at is not None,
        )
        for entry in entries
    ]


# --- CSV ----------------------------------------------------------------------------------

CSV_FIELDS = (
    "id",
    "timestamp",
    "actor_id",
    "actor__name",
    "action",
    "access_kind",
    "event",
    "content_type_id",
    "object_pk",
    "remote_addr",
    "page",
)


_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)  # each one character


def csv_header() -> list[str]:
    return [
        _("entry"),
        _("time"),
        _("user id"),
        _("user"),
        _("action"),
        _("object type"),
        _("object id"),
        _("client address"),
        _("page"),
    ]


class _LocalTimeText(Func):
    """PostgreSQL formats the local time itself: parsing a timestamp in Python costs more than a row."""

    function = "timezone"
    template = "to_char(timezone(%(expressions)s), 'YYYY-MM-DD HH24:MI:SS')"
    output_field = CharField()


def csv_chunks(entries: QuerySet[LogEntry], *, chunk_size: int = 2000) -> Iterator[str]:
    """The filtered log as CSV text, a few thousand rows per chunk, never the whole file at once.

    A million rows take seconds: the per-row work is kept to the writer's. What repeats (a
    user's id and name, an action's label, a page) is formatted once and looked up after; the
    object's id, different on every row, is neutralised inline (`neutralise`, one character)."""
    labels = content_type_labels()
    actions: dict[tuple[int, str, str], str] = {}
    users: dict[int | None, tuple[Any, str]] = {}
    pages: dict[str | None, str] = {}
    zone = timezone.get_current_timezone()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_header())
    entries = entries.annotate(page=KeyTextTransform("view", "additional_data"))
    fields = list(CSV_FIELDS)
    if connection.vendor == "postgresql":
        entries = entries.annotate(local_time=_LocalTimeText(Value(str(zone)), F("timestamp")))
        fields[1] = "local_time"
    rows = entries.values_list(*fields).iterator(chunk_size=chunk_size)
    batch: list[list[Any]] = []
    for pk, moment, actor_id, actor_name, action, kind, event, ct_id, object_pk, addr, page in rows:
        key = (action, kind, event)
        if key not in actions:
            actions[key] = action_label(action, kind, event)
        if actor_id not in users:
            users[actor_id] = (actor_id or "", neutralise(actor_name or ""))
        if page not in pages:
            pages[page] = neutralise(page or "")
        user_id, user_name = users[actor_id]
        batch.append(
            [
                pk,
                moment if isinstance(moment, str) else str(moment.astimezone(zone))[:19],
                user_id,
                user_name,
                actions[key],
                labels.get(ct_id, "") if object_pk else "",
                "'" + object_pk if object_pk[:1] in _FORMULA_STARTS else object_pk,
                addr or "",
                pages[page],
            ]
        )
        if len(batch) == chunk_size:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue()
