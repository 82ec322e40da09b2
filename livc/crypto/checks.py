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


@checks.register(checks.Tags.models)
def check_encryption_owners(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every `encryption_owner` is "pk" or a chain of foreign keys (livc.crypto.datakeys)."""
    from django.core.exceptions import FieldDoesNotExist

    from livc.crypto.datakeys import owner_model, owner_path
    from livc.crypto.fields import encrypted_models

    problems: list[checks.CheckMessage] = []
    for model, _fields in encrypted_models():
        path = owner_path(model)
        if path is None:
            continue
        try:
            owner = owner_model(model)
        except (FieldDoesNotExist, AttributeError):
            owner = None
        if owner is None:
            problems.append(
                checks.Error(
                    f"{model._meta.label}.encryption_owner = {path!r} is not a chain of foreign keys.",
                    hint='Use "pk" (the row owns its key) or a lookup such as "case__subject".',
                    obj=model,
                    id="livc_crypto.E005",
                )
            )
    return problems
