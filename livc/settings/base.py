"""Every setting of the project, read from the environment with a safe default.

`dev.py`, `test.py` and `prod.py` only change defaults. A bad value stops the process at
start with an `ImproperlyConfigured` message that names the variable (see `livc/settings/env.py`).
"""

from datetime import timedelta
from urllib.parse import urlsplit

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from livc.settings.env import (
    env,
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_secret,
    keys_database,
)
from livc.settings.paths import BASE_DIR

# --- Core -------------------------------------------------------------------------------
SECRET_KEY = env_secret("SECRET_KEY", default="")  # dev.py generates one, prod.py requires it
DEBUG = env_bool("DEBUG", default=False)  # never true in production
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])  # host names served
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])  # https://host behind a proxy
# Number of reverse proxies in front of the app that append to X-Forwarded-For; 0 = none,
# the client address is then REMOTE_ADDR and X-Forwarded-For is ignored.
LIVC_TRUSTED_PROXY_COUNT = env_int("LIVC_TRUSTED_PROXY_COUNT", default=0, minimum=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",  # passkeys (livc/accounts/passkeys.py)
    "axes",
    "guardian",
    "auditlog",
    "pgtrigger",
    "csp",
    "django_htmx",
    "livc.accounts",
    "livc.cells",
    "livc.audit",
    "livc.crypto",
    "livc.outbox",
    "livc.submissions",
    "livc.statistics",
    "livc.notifications",
    "participants",
    "cases",
    "meetings",
    "retention",
    "dpo",
    "livc.database",  # last: after every app's migrations, its roles, grants and policies
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "livc.nostore.NoStoreMiddleware",  # after whitenoise: static files keep their cache headers
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "livc.accounts.renewal.SessionRenewalMiddleware",  # renews the idle timeout, once a minute at most
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "livc.database.middleware.ScopeMiddleware",  # one transaction per request; the cell's rows only
    "livc.accounts.middleware.LoginRequiredMiddleware",  # Django's, with a 401 for htmx
    "django_otp.middleware.OTPMiddleware",
    "livc.accounts.middleware.UserLanguageMiddleware",
    "livc.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "livc.audit.middleware.AuditMiddleware",
    "livc.cells.middleware.CellMiddleware",
    "participants.middleware.SecrecyGateMiddleware",  # rule 6, for every `@shows_case_content` view
    "axes.middleware.AxesMiddleware",
    "livc.crypto.middleware.UnreadableDataMiddleware",  # a destroyed key's data: 410 with the date
]

ROOT_URLCONF = "livc.urls"
WSGI_APPLICATION = "livc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "livc.cells.context_processors.cell",
            ],
        },
    },
]

# --- Database, cache, sessions ----------------------------------------------------------
# DATABASE_URL: postgres://user:pass@host:5432/name in production; SQLite file by default.
DATABASES = {"default": env_database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Behind PgBouncer in transaction pooling mode (docker-compose.yml, docs/architecture.md): each
# transaction may run on another server connection, so no server-side cursor outlives it and no
# statement is prepared. Session state is never used (row-level security's cell is `SET LOCAL`).
if env_bool("DATABASE_POOLED", default=False) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# The key store (docs/adr/0010): the data keys of cases, referrals and items, apart from what they
# encrypt, with its own, shorter-lived backups. KEYS_DATABASE_URL names it; by default it is the
# main database's neighbour: "<name>_keys" on the same PostgreSQL server, or keys.sqlite3.
DATABASES["keys"] = keys_database("KEYS_DATABASE_URL", main=DATABASES["default"], base_dir=BASE_DIR)
DATABASE_ROUTERS = ["livc.crypto.routers.KeyStoreRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL's roles (docs/adr/0011): `migrate` runs as the tables' owner; the web connects as the
# application role, which only row-level security's view of one cell and the audit log's INSERT
# and SELECT; workers and beat connect as the jobs role: the same grants, and the bypass of
# row-level security that the cross-cell jobs need. Requests take the application role even when
# the process logged in as another (a test's superuser).
LIVC_DATABASE_APP_ROLE = env("LIVC_DATABASE_APP_ROLE", default="livc_app")
LIVC_DATABASE_JOBS_ROLE = env("LIVC_DATABASE_JOBS_ROLE", default="livc_jobs")

REDIS_URL = env("REDIS_URL", default="")  # absent: local-memory cache, Celery runs in-process
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "livc.accounts.sessions"  # in the database (stateless web hosts); read without renewing
LIVC_IDLE_TIMEOUT_MINUTES = env_int("LIVC_IDLE_TIMEOUT_MINUTES", default=30, minimum=1)
SESSION_COOKIE_AGE = LIVC_IDLE_TIMEOUT_MINUTES * 60  # idle timeout, renewed by requests (renewal.py)
# The page warns this long before the idle timeout (at half the timeout at the earliest).
LIVC_SESSION_WARNING_SECONDS = env_int("LIVC_SESSION_WARNING_SECONDS", default=120, minimum=1)
SESSION_SAVE_EVERY_REQUEST = False  # saved when it changes; renewed once a minute at most (renewal.py)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Users, login, second factor, lockout -----------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out credentials
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "livc.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # our message
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cells:pick"
LOGOUT_REDIRECT_URL = "accounts:login"

OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="LIVC-R")  # name shown in authenticator apps
LIVC_BACKUP_CODE_COUNT = 10  # static codes issued at a time
# Wrong codes are throttled per login session (livc/accounts/throttle.py), not per device:
# one session's wrong codes never make the owner's own session wait.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
LIVC_SECOND_FACTOR_MAX_DELAY_SECONDS = 60  # the doubling wait after wrong codes stops growing here
# Changing the second factor or the backup codes asks the password again if it was last given
# longer ago than this.
LIVC_REAUTH_MINUTES = env_int("LIVC_REAUTH_MINUTES", default=5, minimum=1)
# Per account, from all addresses together: this many wrong passwords within the window pause
# logging in with that address for the rest of the window (livc/accounts/lockout.py).
LIVC_ACCOUNT_FAILURE_LIMIT = env_int("LIVC_ACCOUNT_FAILURE_LIMIT", default=20, minimum=1)
LIVC_ACCOUNT_FAILURE_WINDOW = timedelta(
    minutes=env_int("LIVC_ACCOUNT_FAILURE_MINUTES", default=60, minimum=1)
)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)  # failures before lockout
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # per user and address together
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field holding the e-mail address
AXES_USERNAME_CALLABLE = "livc.accounts.lockout.username"
AXES_LOCKOUT_CALLABLE = "livc.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "livc.audit.client.client_ip"  # same trusted-proxy rule as the audit
AXES_VERBOSE = False

GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"
GUARDIAN_GROUP_OBJ_PERMS_MODEL = "guardian.GroupObjectPermission"
ANONYMOUS_USER_NAME = None  # no anonymous object permissions
# Case lists count at most this many rows, then say "more than ..." (livc/pagination.py).
LIVC_LIST_COUNT_BOUND = 1000

# --- Audit --------------------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "audit.LogEntry"
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Rows at most in a PDF of the audit log (long PDFs are slow to draw); the CSV has no limit.
LIVC_AUDIT_PDF_MAX_ROWS = env_int("LIVC_AUDIT_PDF_MAX_ROWS", default=1000, minimum=1)

# --- Identity providers (OpenID Connect) ----------------------------------------------------------
# Logging in through a municipality's or the federal identity provider (livc/accounts/oidc.py, which
# checks these values at start). LIVC_OIDC_PROVIDERS lists the providers' keys ("entra,fas"); each
# key's values come from LIVC_OIDC_<KEY>_*: ISSUER, CLIENT_ID, CLIENT_SECRET (or _FILE), LABEL (the
# button's text), SCOPES, EMAIL_CLAIM, MFA_AMR, MFA_ACR, ACR_VALUES, CELLS (empty: every cell).
# Empty values take the defaults documented in livc/accounts/oidc.py. None listed: passwords only.
_OIDC_VALUES = ["issuer", "client_id", "label", "scopes", "email_claim", "mfa_amr", "mfa_acr"]
_OIDC_VALUES += ["acr_values", "cells"]
LIVC_OIDC_PROVIDERS = {
    key: {name: env(f"LIVC_OIDC_{key.upper()}_{name.upper()}", default="") for name in _OIDC_VALUES}
    | {"client_secret": env_secret(f"LIVC_OIDC_{key.upper()}_CLIENT_SECRET", default="")}
    for key in env_list("LIVC_OIDC_PROVIDERS", default=[])
}
# The provider's pages are the target of the login form's redirect: the Content Security Policy's
# form-action must allow them (its authorisation and logout endpoints share the issuer's origin).
_OIDC_ORIGINS = sorted({"/".join(p["issuer"].split("/")[:3]) for p in LIVC_OIDC_PROVIDERS.values()} - {""})

# --- Cells and invitations ---------------------------------------------------------------
# The address of this deployment as users reach it, for links in e-mails.
LIVC_BASE_URL = env("LIVC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
LIVC_INVITATION_VALID_DAYS = env_int("LIVC_INVITATION_VALID_DAYS", default=14, minimum=1)  # link lifetime

# --- Passkeys (WebAuthn, django-otp-webauthn; livc/accounts/passkeys.py) --------------------
# The relying party is the host of LIVC_BASE_URL: a passkey works on that host (and its subdomains)
# only, and changing it makes every registered passkey useless. Browsers refuse WebAuthn on an IP
# address, so a development address like http://127.0.0.1:8000 becomes localhost (open the site
# at http://localhost:8000 to use passkeys there).
_passkey_base = urlsplit(LIVC_BASE_URL)
_passkey_host = _passkey_base.hostname or "localhost"
if _passkey_host.replace(".", "").isdigit() or ":" in _passkey_host:
    _passkey_host = "localhost"
_passkey_origin = f"{_passkey_base.scheme}://{_passkey_host}" + (
    f":{_passkey_base.port}" if _passkey_base.port else ""
)
OTP_WEBAUTHN_RP_ID = env("OTP_WEBAUTHN_RP_ID", default=_passkey_host)  # the host passkeys belong to
OTP_WEBAUTHN_RP_NAME = env("OTP_WEBAUTHN_RP_NAME", default="LIVC-R")  # name the browser shows
# Origins (scheme://host[:port]) whose pages may use the passkeys; https:// except on localhost.
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", default=[_passkey_origin])
# "Log in with a passkey" without e-mail or password; our views do it (livc/accounts/passkey_views.py),
# the library's own login view is not routed. Off: passkeys only as a second factor.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = env_bool("OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN", default=True)
OTP_WEBAUTHN_TIMEOUT_SECONDS = 300  # how long the browser's passkey prompt waits

# --- Retention (docs/rules.md, rule 15; per-cell values live in retention.RetentionSettings) ----
# Days a not-retained or redirected referral is kept after its qualification (a cell's default).
LIVC_RETENTION_NOT_RETAINED_DAYS = env_int("LIVC_RETENTION_NOT_RETAINED_DAYS", default=30, minimum=1)
# Days ahead a coordinator is warned of purges, on the cell's pages and by weekly e-mail (default).
LIVC_RETENTION_WARNING_DAYS = env_int("LIVC_RETENTION_WARNING_DAYS", default=30, minimum=1)

# --- Personal data encryption -------------------------------------------------------------
# Versioned key ring: "2:<base64 32 bytes>,1:<base64 32 bytes>"; the highest version encrypts.
LIVC_ENCRYPTION_KEYS = env_secret("LIVC_ENCRYPTION_KEYS", default="")
# Key of the hash that recognises a person referred twice; empty: derived from SECRET_KEY.
LIVC_IDENTITY_HASH_KEY = env_secret("LIVC_IDENTITY_HASH_KEY", default="")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
FORMAT_MODULE_PATH = ["livc.formats"]  # Belgian date formats, one short and one long form
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail ------------------------------------------------------------------------------------
# EMAIL_URL: smtp+tls://user:pass@host:587, consolemail://, dummymail://
_email = env_email("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="LIVC-R <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None  # results carry nothing we need to keep
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # without a broker, tasks run in-process
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
# A broker that does not answer must not hold a user's request: the outbox relays later. Publishing
# does not retry connecting (kombu would sleep up to the timeout: 2 s added to a user's answer); the
# worker's own consumer still reconnects on its own schedule.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 0}
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "livc.tasks.heartbeat", "schedule": timedelta(minutes=5)},
    # The outbox: hand the broker what it did not take at once (livc/outbox/services.py).
    "relay-outbox": {"task": "livc.outbox.tasks.relay_outbox", "schedule": timedelta(seconds=30)},
    "forget-outbox": {
        "task": "livc.outbox.tasks.forget_done_messages",
        "schedule": crontab(hour=3, minute=20),
    },
    "expire-invitations": {"task": "participants.tasks.expire_invitations", "schedule": timedelta(hours=1)},
    # Retention: purge what expired, every night; warn coordinators every Monday morning.
    "retention-purge": {"task": "retention.tasks.purge_expired", "schedule": crontab(hour=2, minute=30)},
    "retention-digest": {
        "task": "retention.tasks.send_weekly_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # Subject-access requests that matched nobody: their details go after the cell's short period.
    "access-request-details": {
        "task": "dpo.tasks.expire_access_request_details",
        "schedule": crontab(hour=2, minute=50),
    },
    # The audit chains (livc/audit/chain.py, ADR 8): entries are sealed within seconds of being
    # written; the verification of every chain is extended from its last checkpoint.
    "seal-audit-chains": {"task": "livc.audit.tasks.seal_audit_chains", "schedule": timedelta(seconds=5)},
    "extend-audit-verification": {
        "task": "livc.audit.tasks.extend_audit_verification",
        "schedule": timedelta(minutes=5),
    },
    # Notifications (livc/notifications/): actions whose due date has come, breaches whose deadline
    # to inform the authority is near (each told once), then the daily digest of each person.
    "notify-actions-due": {
        "task": "meetings.tasks.notify_actions_due",
        "schedule": crontab(hour=6, minute=30),
    },
    "notify-breach-deadlines": {"task": "dpo.tasks.notify_breach_deadlines", "schedule": crontab(minute=10)},
    "notification-digests": {
        "task": "livc.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Forms' one-time tokens (livc/submissions/): forgotten after a day.
    "forget-submissions": {
        "task": "livc.submissions.tasks.forget_old_submissions",
        "schedule": crontab(hour=3, minute=15),
    },
}

# --- Health (livc/health.py) -------------------------------------------------------------------
# /health/ready/ answers 503 when an outbox message has been due this many seconds without being
# done: the relay or the workers are not keeping up (a message waiting for its retry is not due).
LIVC_OUTBOX_MAX_AGE_SECONDS = env_int("LIVC_OUTBOX_MAX_AGE_SECONDS", default=900, minimum=1)
# ... and when an audit entry has waited this many seconds to be sealed into its cell's chain (the
# sealer runs every 5 seconds: it is not running). The DPO's overview reports it too.
LIVC_AUDIT_SEAL_MAX_AGE_SECONDS = env_int("LIVC_AUDIT_SEAL_MAX_AGE_SECONDS", default=300, minimum=1)
# Without a broker no beat runs (the embedded default, `make run`): then each transaction that
# wrote audit entries seals its chains itself once it has committed (skipping a chain another
# sealer holds). With a broker the beat task does it, and requests never touch a chain's head.
LIVC_AUDIT_SEAL_AFTER_COMMIT = env_bool("LIVC_AUDIT_SEAL_AFTER_COMMIT", default=not REDIS_URL)

# --- Security headers ------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", *_OIDC_ORIGINS],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "livc.accounts.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every step of every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
