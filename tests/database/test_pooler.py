"""Behind PgBouncer in transaction pooling mode (docker-compose.yml): what a request's scope sets
stays in its transaction, even when the next transaction on the same server connection is
another client's. A real PgBouncer is started on 127.0.0.1 with one server connection."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from livc.database.tenancy import CELL, PERSON

pytestmark = pytest.mark.postgres
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pooler():
    if not Path(PGBOUNCER).exists():
        pytest.fail("pgbouncer is not installed (.ci/run installs Debian's pgbouncer)")
    main = settings.DATABASES["default"]
    port = _free_port()
    tmp_path = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    tmp_path.chmod(0o777)  # PgBouncer refuses to run as root: as root, it runs as postgres (-u)
    (tmp_path / "users.txt").write_text(f'"{main["USER"]}" ""\n')
    (tmp_path / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"pooled = host={main.get('HOST') or '127.0.0.1'} port={main.get('PORT') or 5432} dbname=postgres\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {tmp_path / 'users.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 1\nmax_client_conn = 10\n"
        f"logfile = {tmp_path / 'pgbouncer.log'}\npidfile = {tmp_path / 'pgbouncer.pid'}\n"
    )
    as_user = ["-u", "postgres"] if os.geteuid() == 0 else []
    process = subprocess.Popen([PGBOUNCER, *as_user, str(tmp_path / "pgbouncer.ini")])
    url = f"postgresql://{main['USER']}@127.0.0.1:{port}/pooled"
    try:
        for _ in range(50):
            try:
                psycopg.connect(url, connect_timeout=1).close()
                break
            except psycopg.OperationalError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(tmp_path, ignore_errors=True)


def _backend_and(connection: psycopg.Connection, setting: str) -> tuple[int, str]:
    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_setting(%s, true)", [setting])
        pid, value = cursor.fetchone()
        return pid, value or ""


def test_a_transaction_s_cell_does_not_reach_the_next_client_on_the_same_server_connection(pooler):
    with (
        psycopg.connect(pooler, prepare_threshold=None) as first,
        psycopg.connect(pooler, prepare_threshold=None) as second,
    ):
        with first.transaction(), first.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '41', true), set_config(%s, '7', true)", [CELL, PERSON])
            cursor.execute("SELECT pg_backend_pid(), current_setting(%s, true)", [CELL])
            pid, cell = cursor.fetchone()
            assert cell == "41"
        other_pid, seen = _backend_and(second, CELL)
        assert other_pid == pid  # one server connection: the second client got the first one's
        assert seen == ""


def test_a_session_setting_would_have_leaked_there(pooler):
    """The test above can fail: what is set on the session reaches the next client."""
    with (
        psycopg.connect(pooler, prepare_threshold=None) as first,
        psycopg.connect(pooler, prepare_threshold=None) as second,
    ):
        with first.transaction(), first.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '41', false)", [CELL])
        _pid, seen = _backend_and(second, CELL)
        assert seen == "41"
        with second.transaction(), second.cursor() as cursor:
            cursor.execute("RESET ALL")
