from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from livc.crypto.keyring import key_ring


@checks.register(checks.Tags.security)
def check_key_ring(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A bad key ring stops `manage.py check` (and so every start) with the reason."""
    key_ring.cache_clear()
    try:
        key_ring()
    except ImproperlyConfigured as problem:
        return [checks.Error(str(problem), id="livc_crypto.E002")]
    return []
