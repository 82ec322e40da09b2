"""Development: a generated `.env` holds the secrets, SQLite unless DATABASE_URL says otherwise."""

from livc.settings.env import ensure_dev_env_file, env_bool, read_env_file
from livc.settings.paths import BASE_DIR

ensure_dev_env_file(BASE_DIR / ".env")
read_env_file(BASE_DIR / ".env")

from livc.settings.base import *  # noqa: E402,F403

DEBUG = env_bool("DEBUG", default=True)
# A missing page shows the project's own 404 page, as in production; `?debug-404` shows Django's.
MIDDLEWARE = [*MIDDLEWARE, "livc.devtools.ProjectNotFoundMiddleware"]  # noqa: F405
# The benchmarks (`make bench`); never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
