"""`manage.py purge_expired`: the same purge for cron-only installations; --dry-run lists."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case
from retention import services
from tests.retention.conftest import KEEP_UNTIL, at

pytestmark = pytest.mark.django_db


def test_the_help_says_exactly_what_it_deletes():
    from retention.management.commands.purge_expired import Command

    for words in ("seats and", "object permissions", "information items", "identity requests", "minutes PDFs",
                  "audit", "--dry-run", "not retained"):  # fmt: skip
        assert words in " ".join(Command.help.split()), words


def test_a_dry_run_lists_references_and_dates_and_deletes_nothing(clock, scenario, not_retained, capsys):
    clock.move_to(at(KEEP_UNTIL + datetime.timedelta(days=1), hour=3), tick=False)
    call_command("purge_expired", "--dry-run")
    out = capsys.readouterr().out
    assert "Would purge case 2026-0001 of cell alfa" in out and "Would purge case 2026-0002" in out
    assert "kept until 2027-11-20" in out and "Would purge a referral" in out
    assert "2 cases and 1 referrals would go. Nothing was deleted." in out
    assert "Persoon" not in out and Case.objects.count() == 2


def test_it_purges_and_prints_what_it_deleted(clock, scenario, capsys):
    clock.move_to(at(KEEP_UNTIL + datetime.timedelta(days=1), hour=3), tick=False)
    call_command("purge_expired")
    out = capsys.readouterr().out
    assert "Purged case 2026-0001 of cell alfa (kept until 2027-11-20, one_year): " in out
    assert "1 information item" in out and "audit entries scrubbed" in out
    assert "Purged 2 cases and 0 referrals." in out
    assert not Case.objects.exists()


def test_it_says_so_when_another_run_holds_the_lock(clock, scenario, monkeypatch):
    def locked(**kwargs):
        return services.PurgeRun(today=datetime.date.today(), locked_out=True)

    monkeypatch.setattr(services, "purge_expired", locked)
    with pytest.raises(CommandError, match="Another purge is running"):
        call_command("purge_expired")


def test_it_fails_loudly_when_a_case_could_not_be_purged(clock, scenario, monkeypatch):
    clock.move_to(at(KEEP_UNTIL + datetime.timedelta(days=1), hour=3), tick=False)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "cases_purge", broken)
    with pytest.raises(CommandError, match="2 purges failed"):
        call_command("purge_expired")
    assert Case.objects.count() == 2
