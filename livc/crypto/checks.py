"""System checks of the crypto app, run by `manage.py check` and before every command that
serves or migrates: a bad key ring stops the process at start, not at the first encrypted read.

Registered in `CryptoConfig.ready()`.
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from livc.crypto.keyring import SETTING, parse_key_ring


@checks.register(checks.Tags.security)
def check_key_ring(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Parse the ring from the settings as they are now (not the cached one)."""
    try:
        parse_key_ring(getattr(settings, SETTING, ""))
    except ImproperlyConfigured as problem:
        return [
            checks.Error(
                str(problem),
                hint=f"Set {SETTING} in the environment (or {SETTING}_FILE); see README.md.",
                id="livc_crypto.E002",
            )
        ]
    return []
