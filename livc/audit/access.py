"""Recording that a user saw personal data: the one helper every such view calls.

Rule 16 of DESIGN.md asks for permanent logging of who accessed personal data. A view
that shows personal data calls `record_access` once per request, after it has decided the
user may see the object and before it renders. The entry is written through
django-auditlog's `accessed` signal and carries actor, time, client address, cell, kind
of access (view, download, export) and the view's name; never the data itself.
"""

from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from livc.audit.context import AccessContext, access_context
from livc.audit.models import AccessKind
from livc.http import CellRequest


def record_access(
    request: CellRequest, instance: models.Model, *, kind: AccessKind = AccessKind.VIEW
) -> None:
    model = type(instance)
    if not auditlog.contains(model):
        # Without registration the signal has no receiver and the access would go unlogged.
        raise ImproperlyConfigured(f"{model.__name__} is not registered with auditlog.")
    match = request.resolver_match
    access = AccessContext(cell=request.cell, kind=kind, view_name=match.view_name if match else "")
    with access_context(access):
        accessed.send(sender=model, instance=instance)
