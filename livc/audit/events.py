"""Events: what happened that is not a change to, or a look at, one object.

Logins, failed logins, second-factor failures, lockouts, key rotations, purges, scrubs ...
are written to the same log-entry table as changes and accesses, with action EVENT and an
`event` code, so they share the cell's hash chain, the DPO's filters and the exports.

Apps add their own kinds in `AppConfig.ready()` with `register_kind("invitation_sent",
_("invitation sent"))` and write them with `record_event(...)`. An event concerns one object
when there is one (the account that logged in, the case that was purged); otherwise it points
at no object (`object_pk` empty).

The details go to `additional_data`: ids and counts only, never a name, an e-mail address
or a typed value. They may be scrubbed by the purge like any entry's content.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, router
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from livc.audit.chain import insert_entries
from livc.audit.client import client_ip
from livc.audit.models import LogAction, LogEntry
from livc.database.tenancy import cell_scope, scope


class EventKind:
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    SECOND_FACTOR_FAILED = "second_factor_failed"
    LOCKED_OUT = "locked_out"
    SECOND_FACTOR_RESET = "second_factor_reset"
    PASSWORD_LINK_SENT = "password_link_sent"  # noqa: S105  an event code, not a password
    PASSWORD_SET = "password_set"  # noqa: S105  an event code, not a password
    PASSWORD_CONFIRMED = "password_confirmed"  # noqa: S105  an event code, not a password
    PASSKEY_ADDED = "passkey_added"
    PASSKEY_REMOVED = "passkey_removed"
    KEYS_ROTATED = "keys_rotated"
    ENTRIES_SCRUBBED = "entries_scrubbed"
    PURGE = "purge"


_kinds: dict[str, str | Promise] = {
    EventKind.LOGIN: _("logged in"),
    EventKind.LOGIN_FAILED: _("login failed"),
    EventKind.SECOND_FACTOR_FAILED: _("second factor failed"),
    EventKind.LOCKED_OUT: _("locked out"),
    EventKind.SECOND_FACTOR_RESET: _("second factor reset by a platform administrator"),
    EventKind.PASSWORD_LINK_SENT: _("link to choose a password sent"),
    EventKind.PASSWORD_SET: _("password chosen"),
    EventKind.PASSWORD_CONFIRMED: _("password confirmed again"),
    EventKind.PASSKEY_ADDED: _("passkey added"),
    EventKind.PASSKEY_REMOVED: _("passkey removed"),
    EventKind.KEYS_ROTATED: _("encryption keys rotated"),
    EventKind.ENTRIES_SCRUBBED: _("audit entries scrubbed"),
    EventKind.PURGE: _("purge"),
}


def register_kind(code: str, label: str | Promise) -> None:
    """Make an event kind known (for the DPO's filter and labels); codes are at most 40 characters."""
    if len(code) > 40:
        raise ValueError(f"Event code {code!r} is longer than 40 characters.")
    _kinds.setdefault(code, label)


def kinds() -> dict[str, str | Promise]:
    return dict(_kinds)


def kind_label(code: str) -> str | Promise:
    return _kinds.get(code, code)


def record_event(
    kind: str,
    *,
    cell: Any = None,
    actor: Any = None,
    instance: models.Model | None = None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
) -> LogEntry:
    """Write one event entry: who (`actor`), where (`cell`), about what (`instance`), from where.

    The client address comes from `request` (trusted proxies only); without a request, from
    django-auditlog's request context if there is one. Called by other apps too, e.g. the key
    rotation command: `record_event(EventKind.KEYS_ROTATED, data={"rows": 1200, "version": 3})`.
    """
    entry = _event_entry(kind, cell=cell, actor=actor, instance=instance, request=request, data=data)
    entry.save()
    return entry


def record_events(events: Iterable[dict[str, Any]]) -> list[LogEntry]:
    """Write many events at once, each given as `record_event`'s keyword arguments plus `kind`.

    One insert, unsealed (the sealer chains them), instead of one per event, for background jobs
    that write hundreds (the retention purge: one event per purged case). No request context applies: give
    `actor` explicitly if there is one.
    """
    entries = [_event_entry(**event) for event in events]
    insert_entries(entries, router.db_for_write(LogEntry))
    return entries


def _event_entry(
    kind: str,
    *,
    cell: Any = None,
    actor: Any = None,
    instance: models.Model | None = None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
) -> LogEntry:
    if kind not in _kinds:
        raise ValueError(f"Unknown event kind {kind!r}: register it with register_kind().")
    target = instance if instance is not None else LogEntry
    return LogEntry(
        action=LogAction.EVENT,
        event=kind,
        cell=cell,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(instance.pk) if instance is not None else "",
        object_id=instance.pk if instance is not None and isinstance(instance.pk, int) else None,
        object_repr="",
        additional_data=data or None,
        remote_addr=client_ip(request) if request is not None else None,
    )


def record_account_event(
    kind: str,
    *,
    user: Any,
    request: HttpRequest | None = None,
    actor: Any = None,
    data: dict[str, Any] | None = None,
) -> list[LogEntry]:
    """An event about an account: one entry in each cell the account may work in.

    Each cell's DPO sees what happened to the accounts of their cell; an account with no
    effective membership (a platform administrator) gets one entry without a cell.
    """
    entries = []
    for cell in _cells_of(user) or [None]:
        # Row-level security (docs/adr/0011): each entry is written in its own cell, from a page
        # that is in none (the login) or in one of them.
        with cell_scope(cell.pk if cell is not None else None):
            entries.append(
                record_event(kind, cell=cell, actor=actor, instance=user, request=request, data=data)
            )
    return entries


def record_typed_account_event(
    kind: str, *, typed: Any, request: HttpRequest | None = None, data: dict[str, Any] | None = None
) -> list[LogEntry]:
    """An event about whatever account a typed e-mail address names (a failed login, a lockout).

    It records whether the address matched an account, and which, but never the address itself:
    a mistyped address is personal data of someone else, or of no one.
    """
    from django.contrib.auth import get_user_model

    address = str(typed).strip() if typed else ""
    account = get_user_model().objects.filter(email__iexact=address).first() if address else None
    details = {**(data or {}), "matched_account": account is not None}
    if account is None:
        return [record_event(kind, request=request, data=details)]
    return record_account_event(kind, user=account, request=request, data=details)


def _cells_of(user: Any) -> list[Any]:
    from livc.cells.models import Membership

    memberships = Membership.objects.effective().filter(user=user).select_related("cell").order_by("cell_id")
    with scope(person_id=user.pk):  # the account's own memberships, whoever is logged in (or no one)
        return [membership.cell for membership in memberships]


def second_factor_failed(request: HttpRequest, *, step: str) -> None:
    """Called by the second-factor views when a code is refused (`step`: "verify" or "setup")."""
    user = request.user
    if user.is_authenticated:
        record_account_event(
            EventKind.SECOND_FACTOR_FAILED, user=user, actor=user, request=request, data={"step": step}
        )
