"""What every login method shares (livc/accounts/signin.py): the locks hold for each method,
a failure is counted like a wrong password, and the audit log says how the login happened."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django_otp.plugins.otp_static.models import StaticDevice

from livc.accounts import lockout, signin
from livc.audit.events import EventKind
from livc.audit.models import LogAction, LogEntry
from tests.accounts.test_login import log_in

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def a_request(address="192.0.2.44"):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)
    request.session = {}
    return request


def events(kind):
    return LogEntry.objects.filter(action=LogAction.EVENT, event=kind)


def test_a_failure_by_another_method_is_logged_with_its_method_provider_and_reason(cast):
    signin.failed(
        a_request(),
        method=signin.OIDC,
        reason="no_membership",
        address="Alice@Example.test",
        provider="entra",
    )
    entry = events(EventKind.LOGIN_FAILED).get()
    assert entry.object_pk == str(cast.alice.pk)
    assert entry.additional_data == {
        "matched_account": True,
        "method": "oidc",
        "provider": "entra",
        "reason": "no_membership",
    }
    assert "alice@example.test" not in str(LogEntry.objects.filter(pk=entry.pk).values().get()).lower()


def test_a_failure_without_a_known_address_is_logged_for_no_account(cast):
    signin.failed(a_request(), method=signin.PASSKEY, reason="unknown_credential")
    entry = events(EventKind.LOGIN_FAILED).get()
    assert (entry.object_pk, entry.cell) == ("", None)
    assert entry.additional_data == {
        "matched_account": False,
        "method": "passkey",
        "reason": "unknown_credential",
    }


def test_an_unknown_reason_is_a_programming_error(cast):
    with pytest.raises(ValueError, match="reason"):
        signin.failed(a_request(), method=signin.OIDC, reason="because")


def test_failures_by_other_methods_count_towards_the_per_account_cap(cast, settings):
    settings.LIVC_ACCOUNT_FAILURE_LIMIT = 3
    for n in range(3):
        signin.failed(
            a_request(f"192.0.2.{n + 1}"),
            method=signin.PASSKEY,
            reason="assertion_failed",
            address="alice@example.test",
        )
    assert lockout.account_paused("alice@example.test")
    assert signin.refused(a_request("198.51.100.9"), "alice@example.test")
    assert not signin.refused(a_request("198.51.100.9"), "bob@example.test")


def test_failures_by_other_methods_count_towards_the_lock_per_account_and_address(cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        signin.failed(a_request(), method=signin.OIDC, reason="invalid_token", address="alice@example.test")
    assert signin.refused(a_request(), "alice@example.test")
    assert not signin.refused(a_request("198.51.100.9"), "alice@example.test")  # another address


def test_wrong_passwords_lock_the_other_methods_too(cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        log_in(Client(), "alice@example.test", "wrong", REMOTE_ADDR="192.0.2.44")
    assert signin.refused(a_request("192.0.2.44"), "alice@example.test")


def test_a_login_by_another_method_is_logged_with_its_details(cast):
    StaticDevice.objects.create(user=cast.alice, name="backup", confirmed=True)
    request = a_request()
    request.user = cast.alice
    request.session = SessionStore()
    signin.succeeded(
        request, cast.alice, method=signin.OIDC, backend=MODEL_BACKEND, provider="entra", mfa=True
    )
    assert request.session["_auth_user_id"] == str(cast.alice.pk)
    entry = events(EventKind.LOGIN).get()
    assert entry.additional_data == {"method": "oidc", "provider": "entra", "mfa": True}
