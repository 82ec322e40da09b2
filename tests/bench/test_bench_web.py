"""A tiny run of the web benchmark: a real gunicorn, a real login, wrk for a second per page."""

import shutil

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk: apt-get install -y wrk")
def test_a_short_run_logs_in_serves_the_pages_and_counts_the_access_entries(capsys):
    call_command("bench_web", workers=1, duration=1, connections=2, threads=1, smoke=True, scratch=True)
    out = capsys.readouterr().out
    assert "Logged in over HTTP" in out and "requests/s" in out
    assert "[PASS (not enforced)] non-2xx responses and socket errors: 0" in out
    assert "[PASS (not enforced)] access entries written - detail pages served: 0" in out


def test_without_wrk_it_says_how_to_install_it_and_fails(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="apt-get install -y wrk") as raised:
        call_command("bench_web", scratch=True)
    assert raised.value.returncode == 1
