"""Reading settings from the environment, failing loudly on bad values.

Every reader raises `ImproperlyConfigured` with the variable's name and what was expected,
so a typo in a deployment stops the process at start with one clear line (`manage.py`
prints it without a traceback). `<NAME>_FILE` may point at a file holding a secret
(Docker/Kubernetes secrets), courtesy of django-environ's `FileAwareEnv`.
"""

from typing import Any
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

_env = environ.FileAwareEnv()

_DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}
_EMAIL_SCHEMES = {
    "smtp",
    "smtps",
    "smtp+tls",
    "smtp+ssl",
    "consolemail",
    "filemail",
    "memorymail",
    "dummymail",
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def read_env_file(path: Any) -> None:
    """Load KEY=value lines from `path` into the environment (existing variables win)."""
    environ.Env.read_env(str(path), overwrite=False)


def env(name: str, *, default: str) -> str:
    return str(_env.str(name, default=default))


def env_secret(name: str, *, default: str) -> str:
    """Like `env`, also read from the file named by `<NAME>_FILE`, stripped of a final newline."""
    return env(name, default=default).strip()


def env_bool(name: str, *, default: bool) -> bool:
    raw = _env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, *, default: int, minimum: int | None = None) -> int:
    raw = _env.str(name, default=str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {value}).")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = _env.str(name, default=",".join(default))
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, *, default: str) -> dict[str, Any]:
    url = env(name, default=default)
    scheme = urlparse(url).scheme
    if scheme not in _DATABASE_SCHEMES:
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:/// URL (got scheme {scheme!r}).")
    try:
        config: dict[str, Any] = _env.db_url_config(url)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if config["ENGINE"].endswith("postgresql"):
        config.setdefault("CONN_MAX_AGE", 60)
        config.setdefault("CONN_HEALTH_CHECKS", True)
    return config


def keys_database(name: str, *, main: dict[str, Any], base_dir: Any) -> dict[str, Any]:
    """The key store's database: `name`'s URL, or else the main database's neighbour (PostgreSQL:
    the same server, database "<main>_keys"; SQLite: keys.sqlite3 in `base_dir`)."""
    if env(name, default=""):
        config = env_database(name, default="")
    elif main["ENGINE"].endswith("postgresql"):
        config = {**main, "NAME": f"{main['NAME']}_keys"}
    else:
        config = env_database(name, default=f"sqlite:///{base_dir / 'keys.sqlite3'}")
    same = all(config.get(part) == main.get(part) for part in ("ENGINE", "HOST", "PORT", "NAME"))
    if same:
        raise ImproperlyConfigured(
            f"{name} names the main database: the data keys must be kept in a database of their own, "
            "so that a backup of the case data never holds the keys that open it."
        )
    return config


def env_email(name: str, *, default: str) -> dict[str, Any]:
    url = env(name, default=default)
    scheme = urlparse(url).scheme
    if scheme not in _EMAIL_SCHEMES:
        allowed = ", ".join(sorted(_EMAIL_SCHEMES))
        raise ImproperlyConfigured(f"{name} must use one of {allowed} (got scheme {scheme!r}).")
    try:
        return dict(_env.email_url_config(url))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is not a valid e-mail URL: {exc}") from None


def ensure_dev_env_file(path: Any) -> None:
    """Create `path` once with a random SECRET_KEY and encryption key for development.

    The file is untracked (.gitignore). Deleting it makes every encrypted value in the
    development database unreadable, which is the point of the key living outside the code.
    """
    import base64
    import secrets
    from pathlib import Path

    env_path = Path(path)
    existing = env_path.read_text() if env_path.exists() else ""
    lines = []
    if "SECRET_KEY=" not in existing:
        lines.append(f"SECRET_KEY={secrets.token_urlsafe(50)}")
    if "LIVC_ENCRYPTION_KEYS=" not in existing:
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        lines.append(f"LIVC_ENCRYPTION_KEYS=1:{key}")
    if lines:
        with env_path.open("a") as handle:
            if existing and not existing.endswith("\n"):
                handle.write("\n")
            handle.write("\n".join(lines) + "\n")
        env_path.chmod(0o600)
