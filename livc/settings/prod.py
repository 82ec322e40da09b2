"""Production: every security setting on; secrets must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from livc.settings.base import *  # noqa: F403
from livc.settings.env import env, env_bool, env_int

if not SECRET_KEY or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY must be set (at least 50 random characters) in production; "
        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if not LIVC_ENCRYPTION_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "LIVC_ENCRYPTION_KEYS must be set in production; see README, 'Encryption keys'."
    )

if len(LIVC_IDENTITY_HASH_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "LIVC_IDENTITY_HASH_KEY must be set in production (at least 32 random characters, kept for "
        "good: a new key stops recognising people referred before); generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
    )
# The address users reach, for the links in invitation and digest e-mails: never the default.
LIVC_BASE_URL = env("LIVC_BASE_URL", default="").rstrip("/")
if not LIVC_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "LIVC_BASE_URL must be set in production to the https:// address users reach, "
        "e.g. https://livc.example.be; the links in e-mails point there."
    )

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)  # off if the proxy redirects
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# Probes call the process directly, over plain HTTP (livc/health.py).
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)/$"]
if LIVC_TRUSTED_PROXY_COUNT:  # noqa: F405
    # The trusted proxy terminates TLS and says so; nothing else may set this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SILENCED_SYSTEM_CHECKS: list[str] = []
