"""The web stack under load: gunicorn serving a participant, measured with wrk.

Migrates the configured database (a scratch one: its name contains "bench", or pass
--yes-this-is-a-scratch-database), seeds a small world (a cell, a participant with a password,
a TOTP device and a seat on one case, their secrecy acknowledgement), starts gunicorn (this
virtualenv's, `livc.wsgi`, `--workers` workers, these settings with DEBUG off, on a free port of
127.0.0.1), logs in over HTTP as a browser does (login form with its CSRF token, then the
6-digit code computed from the device's secret), and runs wrk with the session cookie against
a trivial logged-in view (the session's status: every middleware, the session and the user, no
page: the baseline), the cell's home page and the case's detail page.

Targets (a miss exits with status 1; `--smoke` checks without enforcing):
  - the case detail's throughput is at least 30 % of the trivial logged-in view's;
  - no non-2xx response and no socket error (gunicorn's access log has every status);
  - the access entries written for the case equal the detail pages served (counted in
    gunicorn's access log: wrk does not count the requests still in flight when it stops).

wrk is the Debian package `wrk` (`apt-get install wrk`); without it the command says so and
exits with status 1. gunicorn is stopped at the end, whatever happens.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.seeding import add_scratch_argument, require_scratch_database
from bench.targets import Targets, add_smoke_argument
from cases.models import Case, CaseUserObjectPermission, Seat, Subject
from livc import legal
from livc.accounts.models import User
from livc.audit.models import LogAction, LogEntry
from livc.cells.models import Cell, Membership, Role
from participants.models import ConfidentialityAcknowledgement, Organisation, Participant

RATIO_TARGET = 0.30
PASSWORD = "bench-web-password-" + "x" * 12
WRK_MISSING = "wrk is not installed: apt-get install -y wrk (Debian/Ubuntu), then run this again."


@dataclass
class World:
    cell: Cell
    user: User
    case: Case
    totp_key: str


@dataclass
class WrkResult:
    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int
    output: str

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
        parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per page")
        parser.add_argument("--connections", type=int, default=6, help="wrk connections")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads")
        add_smoke_argument(parser)
        add_scratch_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        name = require_scratch_database(options, writes="a cell, accounts and audit entries")
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError(WRK_MISSING, returncode=1)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        if not gunicorn.exists():
            raise CommandError(f"No gunicorn next to {sys.executable}: pip install the project first.")
        self.stdout.write(f"Database: {connection.vendor} {name}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("migrate", database="keys", interactive=False, verbosity=0)
        world = self._seed()
        targets = Targets(self.stdout, enforce=not options["smoke"])
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory(prefix="bench-web-") as scratch:
            access_log = Path(scratch) / "access.log"
            server = self._start(gunicorn, port, options["workers"], access_log)
            try:
                _wait_until_up(base, server)
                cookie = self._log_in(base, world)
                trivial = reverse("accounts:session_status")  # the whole stack, session and user, no page
                home = reverse("cells:home", kwargs={"cell_slug": world.cell.slug})
                detail = reverse("cases:detail", kwargs={"cell_slug": world.cell.slug, "pk": world.case.pk})
                for path in (trivial, home, detail):  # warm every worker up, and check the session works
                    for _ in range(options["workers"] * 2):
                        _check_page(base + path, cookie)
                # gunicorn writes a request's access-log line just after the response has gone:
                # wait for the warm-up's last lines, or one would count as served during wrk.
                _wait_for_lines(access_log, f"200 {detail}", options["workers"] * 2)
                entries_before = self._entries(world.case)
                logged_before = _lines(access_log)
                results = {}
                pages = (("trivial logged-in view", trivial), ("cell home", home), ("case detail", detail))
                for label, path in pages:
                    results[label] = self._wrk(wrk, base + path, cookie, options)
            finally:
                _stop(server)
            during = _lines(access_log)[len(logged_before) :]  # what wrk asked, nothing before
            statuses = _statuses(during)
            served = during.count(f"200 {detail}")
            entries = self._entries(world.case) - entries_before
        for label, result in results.items():
            self.stdout.write(
                f"  {label}: {result.requests:,} requests in {result.seconds:.1f} s = "
                f"{result.per_second:,.1f} "
                f"requests/s; {result.non_2xx} non-2xx/3xx, {result.socket_errors} socket errors"
            )
        self.stdout.write(f"  statuses in gunicorn's access log: {dict(sorted(statuses.items()))}")
        self.stdout.write(
            f"  case detail: {served:,} pages served (wrk counted {results['case detail'].requests:,}), "
            f"{entries:,} access entries written for the case\n"
        )
        trivial_rate = results["trivial logged-in view"].per_second
        detail_rate = results["case detail"].per_second
        home_rate = results["cell home"].per_second
        per_home = detail_rate / home_rate if home_rate else 0.0
        self.stdout.write(f"  case detail / cell home: {per_home:.2f} (for information)")
        ratio = detail_rate / trivial_rate if trivial_rate else 0.0
        targets.check("case detail throughput / trivial logged-in view's", ratio, ">=", RATIO_TARGET)
        failures = sum(r.non_2xx + r.socket_errors for r in results.values())
        failures += sum(count for status, count in statuses.items() if not status.startswith("2"))
        targets.check("non-2xx responses and socket errors", failures, "==", 0)
        targets.check("access entries written - detail pages served", entries - served, "==", 0)
        targets.finish()

    # --- the world ---------------------------------------------------------------------------

    @transaction.atomic
    def _seed(self) -> World:
        tag = uuid.uuid4().hex[:8]
        cell = Cell.objects.create(name=f"Bench web {tag}", slug=f"bench-web-{tag}")
        coordinator = User.objects.create_user(email=f"coord-{tag}@bench-web.invalid", name="Coordinator")
        user = User.objects.create_user(
            email=f"participant-{tag}@bench-web.invalid", name="Bench Participant", password=PASSWORD
        )
        Membership.objects.create(cell=cell, user=coordinator, role=Role.COORDINATOR)
        membership = Membership.objects.create(cell=cell, user=user, role=Role.PARTICIPANT)
        organisation = Organisation.objects.create(cell=cell, name="CLB", type="clb")
        participant = Participant.objects.create(
            cell=cell, membership=membership, organisation=organisation, function="B"
        )
        ConfidentialityAcknowledgement.objects.create(
            cell=cell, user=user, statement_version=legal.secrecy_statement(cell).version
        )
        subject = Subject.objects.create(cell=cell, pseudonym="Persoon 1")
        case = Case.objects.create(
            cell=cell,
            reference="2026-0001",
            subject=subject,
            aim_signals="Bench signals.",
            created_by=coordinator,
        )
        Seat.objects.create(case=case, participant=participant)
        CaseUserObjectPermission.objects.create(
            user=user,
            permission=Permission.objects.get(codename="view_case", content_type__app_label="cases"),
            content_object=case,
        )
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        return World(cell=cell, user=user, case=case, totp_key=device.key)

    def _entries(self, case: Case) -> int:
        """Access entries about the case, sealed or still waiting to be."""
        return LogEntry.objects.filter(
            action=LogAction.ACCESS, cell=case.cell, object_pk=str(case.pk)
        ).count()

    # --- gunicorn --------------------------------------------------------------------------

    def _start(self, gunicorn: Path, port: int, workers: int, access_log: Path) -> subprocess.Popen[bytes]:
        db = connection.settings_dict
        user = urllib.parse.quote(str(db["USER"] or ""))
        password = f":{urllib.parse.quote(str(db['PASSWORD']))}" if db["PASSWORD"] else ""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "livc.settings.dev"),
            # The database this process uses (under the test runner, the test database).
            "DATABASE_URL": (
                f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # As in production: sealing audit entries is the beat task's (ADR 8), so no request
            # touches its cell's chain head. (Without a broker the embedded default seals after
            # each commit, which would serialise the readers this benchmark measures.)
            "LIVC_AUDIT_SEAL_AFTER_COMMIT": "false",
        }
        command = [
            str(gunicorn),
            "livc.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(s)s %(U)s",
            "--log-level",
            "warning",
        ]
        self.stdout.write(
            f"Starting gunicorn ({workers} workers, {env['DJANGO_SETTINGS_MODULE']}, DEBUG off) "
            f"on port {port}"
        )
        return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603

    # --- logging in as a browser does ----------------------------------------------------------

    def _log_in(self, base: str, world: World) -> str:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = base + reverse("accounts:login")
        verify = base + reverse("accounts:verify")
        opener.open(login, timeout=30).read()
        opener.open(
            _post(
                login,
                {
                    "csrfmiddlewaretoken": _cookie(jar, "csrftoken"),
                    "username": world.user.email,
                    "password": PASSWORD,
                },
            ),
            timeout=30,
        ).read()
        code = f"{TOTP(bytes.fromhex(world.totp_key)).token():06d}"
        answer = opener.open(
            _post(verify, {"csrfmiddlewaretoken": _cookie(jar, "csrftoken"), "code": code}), timeout=30
        )
        answer.read()
        if answer.url.rstrip("/").endswith(reverse("accounts:verify").rstrip("/")):
            raise CommandError("Logging in failed: the second factor was not accepted.")
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        self.stdout.write(f"Logged in over HTTP as {world.user.email} (password, then the TOTP code).")
        return cookie

    # --- wrk -------------------------------------------------------------------------------------

    def _wrk(self, wrk: str, url: str, cookie: str, options: dict[str, Any]) -> WrkResult:
        command = [
            wrk,
            f"-t{options['threads']}",
            f"-c{options['connections']}",
            f"-d{options['duration']}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ]
        timeout = options["duration"] + 60
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)  # noqa: S603
        if done.returncode != 0:
            raise CommandError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
        result = _parse_wrk(done.stdout)
        self.stdout.write(f"\nwrk {url}:\n{done.stdout.rstrip()}")
        return result


def _parse_wrk(output: str) -> WrkResult:
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    if total is None:
        raise CommandError(f"Cannot read wrk's output:\n{output}")
    seconds = float(total.group(2)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[total.group(3)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=seconds,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        output=output,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn stopped at start (status {server.returncode}).")
        try:
            with urllib.request.urlopen(base + reverse("health_live"), timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer within {timeout:.0f} s.")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn (its arbiter stops the workers), killing it if it does not go in time."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def _post(url: str, data: dict[str, str]) -> urllib.request.Request:
    return urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")  # noqa: S310


def _cookie(jar: http.cookiejar.CookieJar, suffix: str) -> str:
    for cookie in jar:
        if cookie.name.endswith(suffix):
            return str(cookie.value)
    raise CommandError(f"The login page set no {suffix} cookie.")


def _check_page(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with _NoRedirect().open(request, timeout=30) as answer:
        if answer.status != 200:
            raise CommandError(f"{url} answered {answer.status} to the logged-in session.")


class _NoRedirect:
    """An opener that reports a redirect (to the login page, say) instead of following it."""

    def open(self, request: urllib.request.Request, timeout: float) -> Any:
        class Refuse(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        try:
            return urllib.request.build_opener(Refuse()).open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            raise CommandError(
                f"{request.full_url} answered {error.code} to the logged-in session."
            ) from error


def _lines(access_log: Path) -> list[str]:
    """gunicorn's access log, one "<status> <path>" line per response (written as it goes)."""
    return access_log.read_text().splitlines() if access_log.exists() else []


def _wait_for_lines(access_log: Path, line: str, count: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while _lines(access_log).count(line) < count:
        if time.monotonic() > deadline:
            raise CommandError(f"gunicorn's access log does not show the {count} warm-up requests.")
        time.sleep(0.05)
    time.sleep(0.2)  # and the cell home's, logged before the detail's


def _statuses(lines: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in lines:
        status = line.split(" ", 1)[0]
        counts[status] = counts.get(status, 0) + 1
    return counts
