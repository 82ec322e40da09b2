import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from livc.audit import events as event_registry
from livc.audit.chain import seal_all_pending, verify_chain
from livc.audit.events import EventKind, record_event, register_kind
from livc.audit.models import LogAction, LogEntry
from tests.base import PASSWORD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def log_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR="192.0.2.7")


def events(kind):
    return LogEntry.objects.filter(action=LogAction.EVENT, event=kind)


def test_a_successful_login_is_logged_in_each_cell_of_the_account(client, cast):
    MembershipFactory(cell=cast.cell_b, user=cast.alice)
    StaticDevice.objects.create(user=cast.alice, name="backup", confirmed=True)
    assert log_in(client, "alice@example.test").status_code == 302
    entries = events(EventKind.LOGIN)
    assert {entry.cell for entry in entries} == {cast.cell_a, cast.cell_b}
    assert all(entry.actor == cast.alice and entry.remote_addr == "192.0.2.7" for entry in entries)
    assert all(entry.additional_data == {"method": "password"} for entry in entries)


def test_a_failed_login_records_the_account_but_never_the_typed_address_or_password(client, cast):
    log_in(client, "alice@example.test", "wrong password")
    entry = events(EventKind.LOGIN_FAILED).get()
    assert entry.cell == cast.cell_a
    assert entry.object_pk == str(cast.alice.pk)
    assert entry.actor is None
    assert entry.additional_data == {"matched_account": True, "method": "password"}
    stored = str(LogEntry.objects.filter(pk=entry.pk).values().get())
    assert "alice@example.test" not in stored and "wrong password" not in stored


def test_a_failed_login_for_no_account_records_only_that(client, cast):
    log_in(client, "nobody.at.all@example.test", "guess")
    entry = events(EventKind.LOGIN_FAILED).get()
    assert (entry.cell, entry.object_pk, entry.actor) == (None, "", None)
    assert entry.additional_data == {"matched_account": False, "method": "password"}
    assert "nobody.at.all" not in str(LogEntry.objects.filter(pk=entry.pk).values().get())


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_lockout_is_logged(client, cast):
    for _ in range(3):
        log_in(client, "alice@example.test", "wrong password")
    entry = events(EventKind.LOCKED_OUT).first()
    assert entry is not None
    assert entry.cell == cast.cell_a and entry.object_pk == str(cast.alice.pk)


def test_a_wrong_second_factor_is_logged(client, cast):
    device = StaticDevice.objects.create(user=cast.alice, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token="abcdefgh")
    log_in(client, "alice@example.test")
    client.post(reverse("accounts:verify"), {"code": "zzzzzzzz"})
    entry = events(EventKind.SECOND_FACTOR_FAILED).get()
    assert (entry.cell, entry.actor, entry.additional_data) == (cast.cell_a, cast.alice, {"step": "verify"})


def test_a_wrong_code_while_enrolling_is_logged(client, cast):
    log_in(client, "bob@example.test")
    client.get(reverse("accounts:setup"))
    client.post(reverse("accounts:setup"), {"code": "000000"})
    assert (
        events(EventKind.SECOND_FACTOR_FAILED)
        .filter(actor=cast.bob, additional_data={"step": "setup"})
        .exists()
    )


def test_other_apps_record_their_events_such_as_a_key_rotation(cast):
    entry = record_event(EventKind.KEYS_ROTATED, data={"rows": 12, "version": 3})
    assert entry.cell is None and entry.object_pk == "" and entry.chain_seq is None  # waiting
    seal_all_pending()
    entry.refresh_from_db()
    assert entry.chain_seq and verify_chain(0).ok


def test_apps_register_their_own_kinds_and_unknown_kinds_are_refused(cast, monkeypatch):
    monkeypatch.setattr(
        event_registry, "_kinds", dict(event_registry._kinds)
    )  # the registry is the process's: leave it as found
    with pytest.raises(ValueError, match="Unknown event kind"):
        record_event("invented_kind")
    register_kind("seat_changed", "seat changed")
    assert record_event("seat_changed", cell=cast.cell_a).event == "seat_changed"
