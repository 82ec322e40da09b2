"""What the DPO console needs from the apps above `livc`, plugged in from their `AppConfig.ready()`.

`livc` must not import participants or cases (apps depend downward only), yet the DPO
filters the log by organisation and by case reference, and the authorised-persons list shows
each person's organisation. Each app that knows such things registers a provider here;
with nothing registered the console hides the filter and leaves the column blank.

    # participants/apps.py, in ready():
    from livc.audit import hooks
    hooks.register_organisations(hooks.OrganisationProvider(
        choices=lambda cell: [(str(o.pk), o.name) for o in Organisation.objects.filter(cell=cell)],
        user_ids=lambda cell, key: Participant.objects.filter(cell=cell, organisation_id=key)
                                              .values_list("membership__user_id", flat=True),
        names_for_users=lambda cell, user_ids: {...},   # {user id: organisation name}
    ))

    # cases/apps.py, in ready():
    hooks.register_case_reference(hooks.CaseReferenceProvider(
        entries_filter=lambda cell, reference: Q(...) or None,   # None: no such case in the cell
    ))

`entries_filter` returns a `Q` over `LogEntry` selecting every entry about the case and what
hangs off it (its referral, items, minutes parts ...), e.g.
`Q(content_type=ct_case, object_pk=str(case.pk)) | Q(content_type=ct_item, object_pk__in=...)`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class OrganisationProvider:
    # (key, label) pairs of the cell's organisations, for the filter.
    choices: Callable[[Any], list[tuple[str, str]]]
    # The ids of the users who act for organisation `key` in the cell.
    user_ids: Callable[[Any, str], Iterable[int]]
    # {user id: organisation name} for the given users of the cell; missing users have none.
    names_for_users: Callable[[Any, list[int]], dict[int, str]]


@dataclass(frozen=True)
class CaseReferenceProvider:
    # A filter over LogEntry for everything about the case with this reference, or None.
    entries_filter: Callable[[Any, str], Q | None]


_organisations: OrganisationProvider | None = None
_case_reference: CaseReferenceProvider | None = None


def register_organisations(provider: OrganisationProvider) -> None:
    global _organisations
    _organisations = provider


def register_case_reference(provider: CaseReferenceProvider) -> None:
    global _case_reference
    _case_reference = provider


def organisations() -> OrganisationProvider | None:
    return _organisations


def case_reference() -> CaseReferenceProvider | None:
    return _case_reference


def organisation_names(cell: Any, user_ids: list[int]) -> dict[int, str]:
    """Each user's organisation in the cell; empty without a provider."""
    return _organisations.names_for_users(cell, user_ids) if _organisations else {}
