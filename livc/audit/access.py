"""Recording that a user saw personal data: the one helper every such view calls.

Rule 16 (docs/rules.md) asks for permanent logging of who accessed personal data. A view
that shows personal data calls `record_access` once per request, after it has decided the
user may see the object and before it renders. The entry is written through
django-auditlog's `accessed` signal and carries actor, time, client address, cell, kind
of access (view, download, export) and the view's name; never the data itself.

Each app marks its own such views with `@shows_personal_data`, or `@shows_case_content` when
they show case content (which also puts them behind the secrecy acknowledgement); a test
(`tests/audit/test_views_log_access.py`) walks the URL list, calls every marked view under
`/c/<cell>/` as a member of the cell and fails unless each successful request wrote exactly
one access entry. A view that shows personal data and is not marked escapes that test:
marking is part of writing the view.
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from livc.audit.context import AccessContext, access_context
from livc.audit.models import AccessKind
from livc.http import CellRequest

View = TypeVar("View", bound=Callable[..., Any])


def record_access(
    request: CellRequest,
    instance: models.Model,
    *,
    kind: AccessKind = AccessKind.VIEW,
    details: dict[str, Any] | None = None,
    cases: Iterable[Any] = (),
) -> None:
    """Log one access; `details` (ids and codes only, e.g. an export's filter) go with it.

    `cases` are the cases (objects or ids) whose content the response shows, every one of them:
    the case of a case page, each row of a list, each item's case in the minutes or a PDF.
    """
    model = type(instance)
    if not auditlog.contains(model):
        # Without registration the signal has no receiver and the access would go unlogged.
        raise ImproperlyConfigured(f"{model.__name__} is not registered with auditlog.")
    match = request.resolver_match
    shown = tuple(sorted({str(getattr(case, "pk", case)) for case in cases if case is not None}))
    access = AccessContext(
        cell=request.cell,
        kind=kind,
        view_name=match.view_name if match else "",
        details=details or {},
        cases=shown,
    )
    with access_context(access):
        accessed.send(sender=model, instance=instance)


def shows_personal_data(view: View) -> View:
    """Mark a view that shows personal data: it must call `record_access` exactly once per request."""
    view.shows_personal_data = True  # type: ignore[attr-defined]
    return view


def shows_case_content(view: View) -> View:
    """Mark a view that shows case content: it shows personal data (so it logs its access, with
    every case it shows), and it waits for the secrecy acknowledgement of rule 6, which one
    middleware (`participants.middleware.SecrecyGateMiddleware`) applies to every view so marked."""
    view.shows_case_content = True  # type: ignore[attr-defined]
    return shows_personal_data(view)


def is_marked(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, "shows_personal_data", False))


def is_case_content(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, "shows_case_content", False))
