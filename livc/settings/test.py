"""Tests: fixed keys, fast hashing, tasks in-process. DATABASE_URL selects PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
# Two versions, so that rotation can be tested; neither is used outside tests.
os.environ.setdefault(
    "LIVC_ENCRYPTION_KEYS",
    "2:dGVzdC1rZXktdmVyc2lvbi10d28tMzItYnl0ZXMtISE=,1:dGVzdC1rZXktdmVyc2lvbi1vbmUtMzItYnl0ZXMtISE=",
)

from livc.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
LIVC_AUDIT_SEAL_AFTER_COMMIT = False  # tests seal when they mean to (`seal_all_pending`)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# A test-only app whose models exercise the encrypted fields.
INSTALLED_APPS = [*INSTALLED_APPS, "bench", "tests.crypto_app"]  # noqa: F405  benchmarks, a test-only model
