"""Health endpoints for operators, container engines and load balancers (django-health-check).

`/health/live/` (liveness) says that the process answers and checks nothing else: a database or
Redis outage must never make an orchestrator restart healthy web processes. `/health/ready/`
(readiness) checks what serving requests and handing work on needs: the database and the key
store (the `keys` database, docs/adr/0010), every migration applied to each, Redis as the
cache and as the Celery broker when `REDIS_URL` configures them
(without it the cache is local memory and tasks run in-process: reported, not failed), and the
outbox's messages not due for longer than `LIVC_OUTBOX_MAX_AGE_SECONDS`, and no audit entry
waiting to be sealed into its chain for longer than `LIVC_AUDIT_SEAL_MAX_AGE_SECONDS` (the
sealer beat task is not running: `livc/audit/chain.py`). It answers 200, or
503 when anything fails, with one short line per component ("Redis cache: unreachable").

Both are open to anyone (no login, no second factor, no HTTPS redirect: a probe calls the
process directly) and never cached. They name components and counts only: no personal data, no
host name, no error text (the failing check's details go to the log).
"""

import asyncio
import dataclasses
import datetime
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check import Database, HealthCheck
from health_check.contrib.redis import Redis
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from livc.accounts.decorators import second_factor_not_required
from livc.audit.chain import sealing_status
from livc.crypto.routers import KEYS
from livc.outbox.selectors import outbox_status

# Connecting to Redis and its answer to PING each get this long, without retries: a Redis that is
# down or cut off fails the readiness check within about a second, never hangs it.
REDIS_TIMEOUT_SECONDS = 1.0
# The wall-clock budget of each check (the library adds a second for the check's own timeout).
CHECK_TIMEOUT = datetime.timedelta(seconds=2)
REDIS_SCHEMES = {"redis", "rediss"}


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The migrations on disk that the database has not applied, as `app.name`, in `migrate`'s order."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def cache_redis_url() -> str | None:
    """The Redis server of the default cache, or None when the cache is not Redis (local memory)."""
    cache = settings.CACHES["default"]
    if not cache["BACKEND"].endswith(".RedisCache"):
        return None
    location = cache["LOCATION"]
    servers = location.split(",") if isinstance(location, str) else list(location)
    return str(servers[0]).strip()  # the first server takes the writes


def broker_redis_url() -> str | None:
    """The Celery broker's Redis, or None without one (`memory://`: tasks run in-process)."""
    url = str(settings.CELERY_BROKER_URL or "")
    return url if urlparse(url).scheme in REDIS_SCHEMES else None


@dataclasses.dataclass
class NotConfigured(HealthCheck):
    """A component this deployment does without: reported, never failed."""

    name: str = ""
    reason: str = ""

    async def run(self) -> None:
        return None

    def pretty_status(self) -> str:
        return self.reason


@dataclasses.dataclass
class DatabaseReachable(Database):
    """The library's `SELECT 1`, its error (which names the host) replaced by one word."""

    name: str = "Database"
    timeout = CHECK_TIMEOUT

    def run(self) -> None:
        try:
            super().run()
        except HealthCheckException as exc:
            raise ServiceUnavailable("unreachable") from exc


@dataclasses.dataclass
class RedisReachable(Redis):
    """The library's PING of a Redis server, with short timeouts and no retries."""

    name: str = "Redis"
    timeout = CHECK_TIMEOUT

    async def run(self) -> None:
        try:
            await super().run()
        except Exception as exc:  # refused, timed out, or an error reply: all mean not usable
            raise ServiceUnavailable("unreachable") from exc


def redis_check(name: str, url: str | None, *, without: str) -> HealthCheck:
    if url is None:
        return NotConfigured(name=name, reason=without)

    def client() -> RedisClient:
        return RedisClient.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),
        )

    return RedisReachable(name=name, client_factory=client)


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration on disk is applied (a process newer than the schema must not serve)."""

    name: str = "Migrations"
    alias: str = DEFAULT_DB_ALIAS
    timeout = CHECK_TIMEOUT

    async def run(self) -> None:
        try:
            missing = await sync_to_async(unapplied_migrations)(self.alias)
        except DatabaseError as exc:
            raise ServiceUnavailable("database unreachable") from exc
        if missing:
            raise ServiceUnavailable(f"{len(missing)} unapplied")


@dataclasses.dataclass
class OutboxFlowing(HealthCheck):
    """No outbox message has been due longer than the limit: the relay and workers keep up. (A
    message waiting for its retry after a failure, e.g. a mail server down, is not due yet.)"""

    name: str = "Outbox"
    max_age_seconds: int = 900
    summary: str = dataclasses.field(default="", init=False, repr=False)
    timeout = CHECK_TIMEOUT

    async def run(self) -> None:
        try:
            status = await sync_to_async(outbox_status)()
        except DatabaseError as exc:
            raise ServiceUnavailable("database unreachable") from exc
        late = int(status.overdue.total_seconds()) if status.overdue is not None else None
        if late is not None and late >= self.max_age_seconds:
            raise ServiceUnavailable(
                f"a message has been due for {late} s (limit {self.max_age_seconds} s), "
                f"{status.pending} pending"
            )
        self.summary = f"{status.pending} pending, {status.failed} given up"

    def pretty_status(self) -> str:
        return f"OK ({self.summary})"


@dataclasses.dataclass
class AuditSealing(HealthCheck):
    """No audit entry has waited longer than the limit to be sealed: the sealer keeps up."""

    name: str = "Audit sealing"
    max_age_seconds: int = 300
    summary: str = dataclasses.field(default="", init=False, repr=False)
    timeout = CHECK_TIMEOUT

    async def run(self) -> None:
        try:
            status = await sync_to_async(sealing_status)()
        except DatabaseError as exc:
            raise ServiceUnavailable("database unreachable") from exc
        age = int((timezone.now() - status.oldest).total_seconds()) if status.oldest is not None else None
        if age is not None and age >= self.max_age_seconds:
            raise ServiceUnavailable(
                f"an entry has waited {age} s to be sealed (limit {self.max_age_seconds} s), "
                f"{status.pending} waiting"
            )
        self.summary = f"{status.pending} waiting"

    def pretty_status(self) -> str:
        return f"OK ({self.summary})"


class ReadinessView(HealthCheckView):
    """Runs the checks side by side; 200 or 503, one plain-text line per component.

    The library's own answer (500, or an HTML page that the Content Security Policy would strip,
    and feeds that say 200 whatever fails) does not suit a load balancer; its checks, their time
    budget and its never-cache headers do.
    """

    def get_checks(self) -> Iterator[HealthCheck]:
        yield DatabaseReachable()
        yield MigrationsApplied()
        yield DatabaseReachable(name="Key store", alias=KEYS)
        yield MigrationsApplied(name="Key store migrations", alias=KEYS)
        yield redis_check("Redis cache", cache_redis_url(), without="not configured (local memory)")
        yield redis_check("Redis broker", broker_redis_url(), without="not configured (tasks run in-process)")
        yield OutboxFlowing(max_age_seconds=settings.LIVC_OUTBOX_MAX_AGE_SECONDS)
        yield AuditSealing(max_age_seconds=settings.LIVC_AUDIT_SEAL_MAX_AGE_SECONDS)

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        lines = [
            f"{result.check.name}: {result.error.message if result.error else result.check.pretty_status()}"
            for result in results
        ]
        failed = any(result.error for result in results)
        return HttpResponse(
            "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8", status=503 if failed else 200
        )


@login_not_required
@second_factor_not_required
@require_safe
@never_cache
def live(request: HttpRequest) -> HttpResponse:
    """The process answers; nothing else is checked."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


ready = login_not_required(second_factor_not_required(ReadinessView.as_view()))
