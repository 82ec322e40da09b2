"""The data keys live in the `keys` database and nothing else does (docs/adr/0010)."""

from typing import Any

KEYS = "keys"


def _is_key_store(model: Any) -> bool:
    """`model`: a model class or instance (a lazy object's `_meta` is its wrapped model's)."""
    meta = getattr(model, "_meta", None)
    return meta is not None and meta.app_label == "crypto" and meta.model_name == "datakey"


class KeyStoreRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return KEYS if _is_key_store(model) else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return KEYS if _is_key_store(model) else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return False if _is_key_store(obj1) or _is_key_store(obj2) else None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        if db == KEYS:
            return app_label == "crypto" and model_name in (None, "datakey")
        return not (app_label == "crypto" and model_name == "datakey")
