"""The client's address, trusting exactly LIVC_TRUSTED_PROXY_COUNT reverse proxies.

Each proxy appends the address it received the request from to X-Forwarded-For, so with
N trusted proxies the client is the N-th entry from the right; anything further left was
written by the client and proves nothing. With no trusted proxy the header is ignored.
Used by the audit log and by django-axes, so both record the same address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    count: int = settings.LIVC_TRUSTED_PROXY_COUNT
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    if count == 0:
        return remote
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # the request did not pass through every trusted proxy
    return _valid_ip(forwarded[-count]) or remote


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
