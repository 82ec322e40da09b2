"""Login hardening (issue 12, point 7): (a) the second-factor throttle is per login session,
(b) a per-account cap on wrong passwords across addresses, (c) a new session key at the second
factor, (d) the password asked again before the second factor or the backup codes change."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from livc.accounts.forms import account_paused_message
from livc.accounts.models import PasswordFailure
from livc.audit.events import EventKind
from livc.audit.models import LogEntry
from tests.accounts.test_login import current_totp, give_backup_codes, log_in
from tests.base import PASSWORD

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:verify")
SECURITY = reverse("accounts:security")
SETUP = reverse("accounts:setup")
CONFIRM = reverse("accounts:confirm_password")


def verify(client, code):
    return client.post(VERIFY, {"code": code}, HTTP_ACCEPT_LANGUAGE="en")


# --- (a) the throttle belongs to the session, not to the device ----------------------------------


def test_an_attackers_wrong_codes_do_not_make_the_rightful_user_wait(cast):
    give_backup_codes(cast.alice, "abcdefgh", "ijklmnop")
    attacker, alice = Client(), Client()
    log_in(attacker, "alice@example.test", REMOTE_ADDR="203.0.113.9")  # knows the password
    for _ in range(6):
        verify(attacker, "wrongcode")
    assert "Wait" in verify(attacker, "wrongcode").content.decode()  # the attacker's session waits

    log_in(alice, "alice@example.test", REMOTE_ADDR="198.51.100.7")
    response = verify(alice, "abcdefgh")
    assert response.status_code == 302  # her own session has had no wrong code: checked at once
    assert alice.get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).status_code == 200


def test_the_attackers_session_keeps_waiting_after_the_rightful_user_logged_in(cast):
    give_backup_codes(cast.alice, "abcdefgh", "ijklmnop")
    attacker, alice = Client(), Client()
    log_in(attacker, "alice@example.test")
    verify(attacker, "wrongcode")
    log_in(alice, "alice@example.test")
    assert verify(alice, "abcdefgh").status_code == 302
    response = verify(attacker, "ijklmnop")  # even a right code waits out this session's throttle
    assert response.status_code == 200
    assert "Wait 1 second" in response.content.decode()


def test_the_wait_doubles_with_each_wrong_code_but_never_exceeds_the_cap(cast):
    give_backup_codes(cast.alice, "abcdefgh")
    client = Client()
    log_in(client, "alice@example.test")
    start = timezone.now()
    for step in range(12):  # far apart: each one is checked, and wrong; 2**11 s would be 34 minutes
        with time_machine.travel(start + datetime.timedelta(minutes=20 * step), tick=False):
            verify(client, "wrongcode")
    cap = settings.LIVC_SECOND_FACTOR_MAX_DELAY_SECONDS
    with time_machine.travel(start + datetime.timedelta(minutes=20 * 11), tick=False):
        response = verify(client, "abcdefgh")
    assert f"Wait {cap} seconds" in response.content.decode()
    with time_machine.travel(start + datetime.timedelta(minutes=20 * 11, seconds=cap + 1), tick=False):
        assert verify(client, "abcdefgh").status_code == 302


def test_a_right_code_clears_the_sessions_count(cast):
    give_backup_codes(cast.alice, "abcdefgh")
    client = Client()
    log_in(client, "alice@example.test")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        verify(client, "wrongcode")
    with time_machine.travel(start + datetime.timedelta(seconds=2), tick=False):
        assert verify(client, "abcdefgh").status_code == 302
    assert "livc_second_factor_failures" not in client.session


def test_enrolment_is_throttled_per_session_too(cast):
    first, second = Client(), Client()
    log_in(first, "alice@example.test")
    first.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.alice, confirmed=False)
    first.post(SETUP, {"code": "000000"})
    assert "Wait 1 second" in first.post(SETUP, {"code": "000000"}).content.decode()
    log_in(second, "alice@example.test")
    done = second.post(SETUP, {"code": current_totp(device)})
    assert done.status_code == 200
    assert "backup" in done.content.decode().lower()
    device.refresh_from_db()
    assert device.confirmed


# --- (b) a cap per account across all addresses ---------------------------------------------------


@pytest.fixture
def small_cap(settings):
    settings.LIVC_ACCOUNT_FAILURE_LIMIT = 4
    settings.LIVC_ACCOUNT_FAILURE_WINDOW = datetime.timedelta(minutes=60)
    return 4


def spread_guesses(email, count):
    for n in range(count):  # one guess per address: django-axes alone never locks
        log_in(Client(), email, "a wrong guess", REMOTE_ADDR=f"192.0.2.{n + 1}")


def test_wrong_passwords_from_many_addresses_pause_the_account(cast, small_cap):
    give_backup_codes(cast.alice, "abcdefgh")
    spread_guesses("alice@example.test", small_cap)
    client = Client()
    response = log_in(client, "Alice@Example.test", REMOTE_ADDR="198.51.100.200")  # right password
    content = response.content.decode()
    assert "logging in with it is paused" in content
    assert "paused for at most 60 minutes" in content
    assert 'value="Alice@Example.test"' in content  # the typed address is kept
    assert "_auth_user_id" not in client.session
    events = LogEntry.objects.filter(event=EventKind.LOCKED_OUT, object_pk=str(cast.alice.pk))
    assert events.count() == 1  # once, in alice's one cell
    assert events.get().additional_data == {"matched_account": True, "scope": "account"}


def test_one_guess_fewer_than_the_cap_does_not_pause(cast, small_cap):
    give_backup_codes(cast.alice, "abcdefgh")
    spread_guesses("alice@example.test", small_cap - 1)
    assert log_in(Client(), "alice@example.test", REMOTE_ADDR="198.51.100.200").status_code == 302


def test_the_pause_ends_when_the_guesses_leave_the_window(cast, small_cap):
    give_backup_codes(cast.alice, "abcdefgh")
    spread_guesses("alice@example.test", small_cap)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert log_in(Client(), "alice@example.test", REMOTE_ADDR="198.51.100.200").status_code == 302


def test_the_pause_says_nothing_about_whether_the_account_exists(cast, small_cap):
    spread_guesses("alice@example.test", small_cap)
    spread_guesses("nobody@example.test", small_cap)
    existing = log_in(Client(), "alice@example.test", "still wrong", REMOTE_ADDR="198.51.100.9")
    missing = log_in(Client(), "nobody@example.test", "still wrong", REMOTE_ADDR="198.51.100.9")
    message = escape(account_paused_message())
    assert message in existing.content.decode()
    assert message in missing.content.decode()
    assert existing.status_code == missing.status_code == 200


def test_no_typed_address_is_stored_for_the_cap(cast, small_cap):
    spread_guesses("Someone.Mistyped@example.test", 2)
    stored = " ".join(PasswordFailure.objects.values_list("key", flat=True))
    assert PasswordFailure.objects.count() == 2
    assert "mistyped" not in stored.lower()


def test_the_pause_covers_confirming_the_password_again(as_user, cast, small_cap):
    client = as_user(cast.alice)
    spread_guesses("alice@example.test", small_cap)
    response = client.post(CONFIRM, {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "paused" in response.content.decode()
    assert client.post(SECURITY)["Location"].startswith(CONFIRM)


# --- (c) the session key changes at the second factor -------------------------------------------


def test_the_session_key_changes_when_the_second_factor_is_verified(cast):
    give_backup_codes(cast.alice, "abcdefgh")
    client = Client()
    log_in(client, "alice@example.test")
    key_after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert verify(client, "abcdefgh").status_code == 302
    key_after_code = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after_code != key_after_password
    assert not SessionStore().exists(key_after_password)  # the old key opens nothing
    # Someone holding the pre-verification cookie does not get the verified session.
    intruder = Client()
    intruder.cookies[settings.SESSION_COOKIE_NAME] = key_after_password
    response = intruder.get(reverse("cells:home", kwargs={"cell_slug": "alfa"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_session_key_changes_when_a_first_authenticator_is_confirmed(cast):
    client = Client()
    log_in(client, "alice@example.test")
    client.get(SETUP)
    key_before = client.cookies[settings.SESSION_COOKIE_NAME].value
    device = TOTPDevice.objects.get(user=cast.alice, confirmed=False)
    assert client.post(SETUP, {"code": current_totp(device)}).status_code == 200
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key_before
    assert not SessionStore().exists(key_before)


# --- (d) the password again before the second factor or the backup codes change ----------------


def codes_of(user):
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_new_backup_codes_ask_for_the_password_first(as_user, cast):
    client = as_user(cast.alice)
    before = codes_of(cast.alice)
    response = client.post(SECURITY)
    assert response.status_code == 302
    assert response["Location"].startswith(CONFIRM)
    assert codes_of(cast.alice) == before  # nothing renewed

    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "Confirm your password" in page.content.decode()
    confirmed = client.post(response["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == SECURITY
    renewed = client.post(SECURITY)
    assert renewed.status_code == 200
    new = codes_of(cast.alice)
    assert len(new) == 10 and not new & before
    assert LogEntry.objects.filter(event=EventKind.PASSWORD_CONFIRMED, actor=cast.alice).exists()


def test_replacing_the_authenticator_asks_for_the_password_first(as_user, cast):
    TOTPDevice.objects.create(user=cast.alice, name="authenticator", confirmed=True)
    client = as_user(cast.alice)
    response = client.get(SETUP)
    assert response["Location"].startswith(CONFIRM)
    assert not TOTPDevice.objects.filter(user=cast.alice, confirmed=False).exists()  # no new key made
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(CONFIRM)
    client.post(CONFIRM, {"password": PASSWORD})
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()


def test_a_wrong_password_is_refused_and_counted_like_a_failed_login(as_user, cast):
    client = as_user(cast.alice)
    response = client.post(CONFIRM, {"password": "not it"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "That password is not correct." in response.content.decode()
    assert client.post(SECURITY)["Location"].startswith(CONFIRM)
    assert LogEntry.objects.filter(event=EventKind.LOGIN_FAILED, object_pk=str(cast.alice.pk)).exists()
    assert PasswordFailure.objects.count() == 1


def test_the_confirmation_lasts_a_few_minutes_only(as_user, cast):
    client = as_user(cast.alice)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(CONFIRM, {"password": PASSWORD})
    minutes = settings.LIVC_REAUTH_MINUTES
    with time_machine.travel(start + datetime.timedelta(minutes=minutes - 1), tick=False):
        assert client.post(SECURITY).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=minutes, seconds=30), tick=False):
        assert client.post(SECURITY)["Location"].startswith(CONFIRM)


def test_the_confirmation_goes_back_only_to_this_site(as_user, cast):
    client = as_user(cast.alice)
    response = client.post(CONFIRM + "?next=https://evil.example/", {"password": PASSWORD})
    assert response["Location"] == SECURITY


def test_a_first_enrolment_right_after_the_password_is_not_asked_again(cast):
    client = Client()
    log_in(client, "alice@example.test")  # no device yet: the password was just given
    assert client.get(SETUP).status_code == 200
