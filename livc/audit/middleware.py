from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest

from livc.audit.client import client_ip


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, with the client address taken from trusted proxies only."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None  # a port from a client-supplied header proves nothing
