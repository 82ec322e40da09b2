"""Passkeys (issue 17): registration and authentication ceremonies against the real JSON endpoints,
answered by a software authenticator (`tests/accounts/authenticator.py`).

Passkeys are added and removed from the security page after the password is asked again; they
verify a password login's second factor, and log a person in on their own, with the same locks,
counts and audit events as a password."""

import datetime
import json

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from livc.accounts import lockout, otp, reauth
from livc.accounts.models import PasswordFailure
from livc.audit.events import EventKind
from livc.audit.models import LogAction, LogEntry
from tests.accounts.authenticator import SoftwareAuthenticator, b64url
from tests.accounts.test_login import give_backup_codes, log_in
from tests.base import PASSWORD, login_verified

pytestmark = pytest.mark.django_db

SECURITY = reverse("accounts:security")
CONFIRM = reverse("accounts:confirm_password")
HOME = reverse("cells:home", kwargs={"cell_slug": "alfa"})


@pytest.fixture
def authenticator():
    return SoftwareAuthenticator(
        rp_id=settings.OTP_WEBAUTHN_RP_ID, origin=settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
    )


def post_json(client, name, body=None, query=""):
    return client.post(
        reverse(f"accounts:{name}") + query,
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def confirmed(client):
    """The client's session gave its password again just now."""
    session = client.session
    reauth.mark_confirmed(session)
    session.save()
    return client


def enrol(client, authenticator, name=""):
    options = post_json(client, "passkey_register_begin", {"name": name}).json()
    return post_json(client, "passkey_register_complete", authenticator.register(options))


def passkey_of(user, authenticator, name=""):
    """`user` registers the authenticator's passkey, in a session of their own."""
    response = enrol(confirmed(login_verified(Client(), user)), authenticator, name)
    assert response.status_code == 200, response.content
    return WebAuthnCredential.objects.get(user=user, credential_id=authenticator.credential_id)


def passkey_login(client, authenticator, **tampering):
    options = post_json(client, "passkey_login_begin").json()
    assert options["userVerification"] == "required"
    assert options.get("allowCredentials", []) == []  # the browser offers what it holds
    return post_json(client, "passkey_login_complete", authenticator.assertion(options, **tampering))


def events(kind, **filters):
    return LogEntry.objects.filter(action=LogAction.EVENT, event=kind, **filters)


def logged_in(client):
    return client.get(HOME).status_code == 200


# --- Enrolment ------------------------------------------------------------------------------------


def test_a_named_passkey_is_registered_after_the_password_is_confirmed(cast, authenticator):
    client = login_verified(Client(), cast.alice)
    add = reverse("accounts:passkey_add")
    asked = client.get(add)
    assert asked.status_code == 302 and asked["Location"].startswith(CONFIRM)
    assert post_json(client, "passkey_register_begin", {"name": "Laptop"}).status_code == 403
    assert client.post(CONFIRM, {"password": PASSWORD, "next": add})["Location"] == add
    page = client.get(add, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Create the passkey" in page and "js/passkeys.js" in page

    response = enrol(client, authenticator, name="  Laptop   at work ")
    assert response.json() == {"redirect": SECURITY}
    passkey = WebAuthnCredential.objects.get(user=cast.alice)
    assert passkey.name == "Laptop at work"
    assert otp.has_confirmed_device(cast.alice)
    entry = events(EventKind.PASSKEY_ADDED, object_pk=str(cast.alice.pk)).get()
    assert entry.additional_data == {"device": passkey.pk}  # never the name
    assert "Laptop" not in json.dumps(entry.additional_data)


def test_a_too_long_name_is_refused_before_the_browser_is_asked(cast):
    client = confirmed(login_verified(Client(), cast.alice))
    response = post_json(client, "passkey_register_begin", {"name": "x" * 65})
    assert response.status_code == 400
    assert "at most 64 characters" in response.json()["error"]


def test_two_passkeys_are_listed_with_their_names_and_dates(cast):
    passkey_of(cast.alice, SoftwareAuthenticator(rp_id="localhost", origin="http://localhost:8000"), "Phone")
    passkey_of(cast.alice, SoftwareAuthenticator(rp_id="localhost", origin="http://localhost:8000"))
    page = login_verified(Client(), cast.alice).get(SECURITY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Phone" in page and "Passkey 2" in page  # an empty name gets a numbered one
    assert page.count("not yet") == 2  # last used: never
    assert "Add a passkey" in page


def test_the_same_authenticator_cannot_be_registered_twice(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    client = confirmed(login_verified(Client(), cast.alice))
    options = post_json(client, "passkey_register_begin").json()
    assert [c["id"] for c in options["excludeCredentials"]]  # the browser is told which it has
    response = post_json(client, "passkey_register_complete", authenticator.register(options))
    assert response.status_code == 400
    assert WebAuthnCredential.objects.filter(user=cast.alice).count() == 1


def test_a_registration_answers_its_own_challenge_only(cast, authenticator):
    client = confirmed(login_verified(Client(), cast.alice))
    options = post_json(client, "passkey_register_begin").json()
    answer = authenticator.register({**options, "challenge": "bm90LXRoZS1jaGFsbGVuZ2U"})
    assert post_json(client, "passkey_register_complete", answer).status_code == 400
    assert post_json(client, "passkey_register_complete", authenticator.register(options)).status_code == 400
    assert not WebAuthnCredential.objects.filter(user=cast.alice).exists()  # the state went with the first


def test_a_passkey_can_be_renamed_by_its_owner_only(cast, authenticator):
    passkey = passkey_of(cast.alice, authenticator, "Old")
    rename = reverse("accounts:passkey_rename", args=[passkey.pk])
    assert login_verified(Client(), cast.bob).post(rename, {"name": "Bob's now"}).status_code == 404
    alice = login_verified(Client(), cast.alice)
    assert alice.post(rename, {"name": "   "})["Location"] == SECURITY
    assert alice.post(rename, {"name": "Work laptop"})["Location"] == SECURITY
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"


# --- Removal ----------------------------------------------------------------------------------------


def test_removing_asks_the_password_again_and_never_takes_the_last_second_factor(cast):
    first = passkey_of(cast.alice, SoftwareAuthenticator(rp_id="localhost", origin="http://localhost:8000"))
    second = passkey_of(cast.alice, SoftwareAuthenticator(rp_id="localhost", origin="http://localhost:8000"))
    client = login_verified(Client(), cast.alice)
    remove = reverse("accounts:passkey_remove", args=[first.pk])
    asked = client.post(remove)
    assert asked.status_code == 302 and asked["Location"].startswith(CONFIRM)
    assert WebAuthnCredential.objects.filter(pk=first.pk).exists()

    client.post(CONFIRM, {"password": PASSWORD, "next": remove})
    assert "Remove “Passkey 1”" in client.get(remove, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.post(remove)["Location"] == SECURITY
    assert not WebAuthnCredential.objects.filter(pk=first.pk).exists()
    entry = events(EventKind.PASSKEY_REMOVED, object_pk=str(cast.alice.pk)).get()
    assert entry.additional_data == {"device": first.pk}
    again = client.post(remove, HTTP_ACCEPT_LANGUAGE="en", follow=True)  # a double click
    assert "already been removed" in again.content.decode()

    last = reverse("accounts:passkey_remove", args=[second.pk])
    page = client.get(last, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "only second factor" in page and "Remove “Passkey 2”" not in page
    refused = client.post(last, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "only second factor" in refused.content.decode()
    assert WebAuthnCredential.objects.filter(pk=second.pk).exists()
    assert events(EventKind.PASSKEY_REMOVED).count() == 1


def test_the_last_passkey_can_go_when_an_authenticator_app_remains(cast, authenticator):
    passkey = passkey_of(cast.alice, authenticator)
    TOTPDevice.objects.create(user=cast.alice, name=otp.TOTP_NAME, confirmed=True)
    client = confirmed(login_verified(Client(), cast.alice))
    assert client.post(reverse("accounts:passkey_remove", args=[passkey.pk]))["Location"] == SECURITY
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_nobody_removes_someone_elses_passkey(cast, authenticator):
    passkey = passkey_of(cast.alice, authenticator)
    bob = confirmed(login_verified(Client(), cast.bob))
    remove = reverse("accounts:passkey_remove", args=[passkey.pk])
    assert bob.get(remove).status_code == 404
    bob.post(remove)
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_a_second_factor_reset_removes_the_passkeys_too(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    otp.second_factor_reset(user=cast.alice, actor=cast.charlie)
    assert not WebAuthnCredential.objects.filter(user=cast.alice).exists()


# --- Logging in with a passkey alone ------------------------------------------------------------------


def test_a_passkey_logs_in_and_verifies_the_session(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    client = Client()
    assert (
        "Log in with a passkey"
        in client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    post_json(client, "passkey_login_begin")
    key_before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = passkey_login(client, authenticator)
    assert response.status_code == 200
    assert response.json() == {"redirect": reverse("cells:pick")}
    assert logged_in(client)  # no code asked: the passkey is both factors
    assert not SessionStore().exists(key_before)
    entry = events(EventKind.LOGIN, object_pk=str(cast.alice.pk)).latest("pk")
    assert entry.additional_data == {"method": "passkey"}
    passkey = WebAuthnCredential.objects.get(user=cast.alice)
    assert passkey.last_used_at is not None and passkey.sign_count == authenticator.sign_count


def test_a_passkey_login_goes_back_to_the_page_asked_for_on_this_site_only(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    client = Client()
    options = post_json(client, "passkey_login_begin").json()
    answer = authenticator.assertion(options)
    response = post_json(client, "passkey_login_complete", answer, query=f"?next={HOME}")
    assert response.json() == {"redirect": HOME}
    other = Client()
    options = post_json(other, "passkey_login_begin").json()
    response = post_json(
        other, "passkey_login_complete", authenticator.assertion(options), query="?next=https://evil.test/"
    )
    assert response.json() == {"redirect": reverse("cells:pick")}


@pytest.mark.parametrize(
    "tampering",
    [
        {"tamper": True},
        {"challenge": "YW5vdGhlci1jaGFsbGVuZ2UtdGhhbi10aGUtc2VydmVycw"},
        {"origin": "https://evil.example"},
        {"rp_id": "evil.example"},
        {"user_verified": False},
    ],
    ids=[
        "tampered signature",
        "wrong challenge",
        "wrong origin",
        "wrong relying party",
        "no user verification",
    ],
)
def test_an_assertion_that_does_not_verify_is_refused_counted_and_logged(cast, authenticator, tampering):
    passkey_of(cast.alice, authenticator)
    client = Client()
    response = passkey_login(client, authenticator, **tampering)
    assert response.status_code == 400
    assert "could not be checked" in response.json()["error"]
    assert not logged_in(client)
    entry = events(EventKind.LOGIN_FAILED).get()
    assert entry.object_pk == str(cast.alice.pk)
    assert entry.additional_data == {
        "matched_account": True,
        "method": "passkey",
        "reason": "assertion_failed",
    }
    assert lockout.account_failures("alice@example.test") == 1  # counted like a wrong password


def test_failed_passkey_logins_make_the_session_wait(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    client = Client()
    assert passkey_login(client, authenticator, tamper=True).status_code == 400
    waiting = passkey_login(client, authenticator)  # the right passkey, too soon: not even checked
    assert waiting.status_code == 429 and "Wait 1 second" in waiting.json()["error"]
    assert not logged_in(client)
    assert [e.additional_data["reason"] for e in events(EventKind.LOGIN_FAILED)] == ["assertion_failed"]
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        assert passkey_login(client, authenticator).status_code == 200
        assert logged_in(client)


def test_an_assertion_answers_once(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    client = Client()
    options = post_json(client, "passkey_login_begin").json()
    answer = authenticator.assertion(options)
    assert post_json(client, "passkey_login_complete", answer).status_code == 200
    # A fresh signature over the same challenge, in the same session: its challenge is spent.
    same_challenge = authenticator.assertion(options)
    assert post_json(client, "passkey_login_complete", same_challenge).status_code == 400
    # The recorded answer in another session, against that session's own challenge.
    replayer = Client()
    post_json(replayer, "passkey_login_begin")
    assert post_json(replayer, "passkey_login_complete", answer).status_code == 400
    assert not logged_in(replayer)
    reasons = [e.additional_data["reason"] for e in events(EventKind.LOGIN_FAILED)]
    assert reasons == ["assertion_failed", "assertion_failed"]


def test_an_unknown_passkey_is_refused(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    stranger = SoftwareAuthenticator(rp_id=authenticator.rp_id, origin=authenticator.origin)
    client = Client()
    response = passkey_login(client, stranger)
    assert response.status_code == 400
    assert "not registered here" in response.json()["error"]
    entry = events(EventKind.LOGIN_FAILED).get()
    assert entry.additional_data == {
        "matched_account": False,
        "method": "passkey",
        "reason": "unknown_credential",
    }
    assert not logged_in(client)


def test_a_locked_out_account_cannot_log_in_with_a_passkey(cast, authenticator, settings):
    passkey_of(cast.alice, authenticator)
    settings.LIVC_ACCOUNT_FAILURE_LIMIT = 3
    for _ in range(3):
        lockout.record_failure("alice@example.test")
    client = Client()
    response = passkey_login(client, authenticator)
    assert response.status_code == 429
    assert "logging in with it is paused" in response.json()["error"]
    assert not logged_in(client)
    assert events(EventKind.LOGIN_FAILED).get().additional_data["reason"] == "locked_out"


def test_django_axes_lock_holds_for_passkeys_too(cast, authenticator, settings):
    passkey_of(cast.alice, authenticator)
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        log_in(Client(), "alice@example.test", "wrong password")
    client = Client()
    response = passkey_login(client, authenticator)
    assert response.status_code == 429
    assert "blocked after too many wrong passwords" in response.json()["error"]
    assert not logged_in(client)


def test_a_deactivated_account_cannot_log_in_with_a_passkey(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])
    client = Client()
    response = passkey_login(client, authenticator)
    assert response.status_code == 403
    assert "deactivated" in response.json()["error"]
    assert not logged_in(client)
    assert events(EventKind.LOGIN_FAILED).get().additional_data["reason"] == "inactive"


def test_passwordless_login_can_be_switched_off(cast, authenticator, settings):
    passkey_of(cast.alice, authenticator)
    settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
    client = Client()
    assert "Log in with a passkey" not in client.get(reverse("accounts:login")).content.decode()
    assert post_json(client, "passkey_login_begin").status_code == 403
    assert post_json(client, "passkey_login_complete", {}).status_code == 403


def test_the_librarys_own_endpoints_are_not_routed():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("otp_webauthn:credential-authentication-complete")


# --- The second factor after a password ------------------------------------------------------------------


def test_a_passkey_verifies_the_second_factor_after_the_password(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    client = Client()
    log_in(client, "alice@example.test")
    asked = client.get(reverse("cells:pick"))["Location"]
    assert asked.startswith(reverse("accounts:verify"))  # a passkey is a second factor
    page = client.get(asked, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Use a passkey" in page and "js/passkeys.js" in page
    key_after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    options = post_json(client, "passkey_verify_begin").json()
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(authenticator.credential_id)]
    done = post_json(client, "passkey_verify_complete", authenticator.assertion(options, user_verified=False))
    assert done.status_code == 200 and "redirect" in done.json()
    assert logged_in(client)
    assert not SessionStore().exists(key_after_password)


def test_a_failed_passkey_at_the_second_factor_is_throttled_and_logged(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    client = Client()
    log_in(client, "alice@example.test")
    options = post_json(client, "passkey_verify_begin").json()
    refused = post_json(client, "passkey_verify_complete", authenticator.assertion(options, tamper=True))
    assert refused.status_code == 400
    assert events(EventKind.SECOND_FACTOR_FAILED).get().additional_data == {"step": "passkey"}
    options = post_json(client, "passkey_verify_begin").json()
    waiting = post_json(client, "passkey_verify_complete", authenticator.assertion(options))
    assert waiting.status_code == 429 and "Wait" in waiting.json()["error"]
    assert not logged_in(client)


def test_someone_elses_passkey_does_not_verify_the_second_factor(cast, authenticator):
    passkey_of(cast.bob, SoftwareAuthenticator(rp_id=authenticator.rp_id, origin=authenticator.origin))
    passkey_of(cast.alice, authenticator)
    bob_key = SoftwareAuthenticator(rp_id=authenticator.rp_id, origin=authenticator.origin)
    client = Client()
    log_in(client, "alice@example.test")
    options = post_json(client, "passkey_verify_begin").json()
    assert post_json(client, "passkey_verify_complete", bob_key.assertion(options)).status_code == 400
    assert not logged_in(client)


def test_a_second_factor_challenge_never_logs_anyone_in(cast, authenticator):
    """The second factor does not require user verification: its challenge is of no use to the
    login without password, which does."""
    passkey_of(cast.alice, authenticator)
    client = Client()
    log_in(client, "alice@example.test")
    options = post_json(client, "passkey_verify_begin").json()
    response = post_json(
        client, "passkey_login_complete", authenticator.assertion(options, user_verified=False)
    )
    assert response.status_code == 400


def test_a_person_with_a_password_but_no_second_factor_registers_a_first_passkey_at_setup(
    cast, authenticator
):
    client = Client()
    log_in(client, "bob@example.test")
    assert client.get(reverse("cells:pick"))["Location"].startswith(reverse("accounts:setup"))
    page = client.get(reverse("accounts:setup"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Or use a passkey instead of an authenticator app" in page and "Passkey 1" in page
    key_after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    done = enrol(client, authenticator, "Phone")
    assert done.status_code == 200
    assert done.json()["redirect"].startswith(reverse("accounts:passkey_setup_done"))
    codes_page = client.get(done.json()["redirect"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Passkey ready" in codes_page and "Your backup codes" in codes_page
    assert otp.backup_codes_left(cast.bob) == settings.LIVC_BACKUP_CODE_COUNT
    assert client.get(reverse("accounts:passkey_setup_done"))["Location"] == SECURITY  # shown once
    assert logged_in(client)
    assert not SessionStore().exists(key_after_password)


def test_a_person_who_owes_a_second_factor_cannot_add_a_passkey_instead(cast, authenticator):
    give_backup_codes(cast.alice, "abcdefgh")
    client = Client()
    log_in(client, "alice@example.test")
    assert post_json(client, "passkey_register_begin").status_code == 403
    assert post_json(client, "passkey_register_complete", {}).status_code == 403
    assert not WebAuthnCredential.objects.filter(user=cast.alice).exists()


# --- Confirming with a passkey instead of the password ----------------------------------------------------


def test_a_person_without_a_password_confirms_with_a_passkey(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    cast.alice.set_unusable_password()
    cast.alice.save(update_fields=["password"])
    client = login_verified(Client(), cast.alice)
    add = reverse("accounts:passkey_add")
    page = client.get(f"{CONFIRM}?next={add}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confirm with a passkey" in page
    options = post_json(client, "passkey_confirm_begin").json()
    assert options["userVerification"] == "required"
    response = post_json(
        client, "passkey_confirm_complete", authenticator.assertion(options), query=f"?next={add}"
    )
    assert response.json() == {"redirect": add}
    assert client.get(add).status_code == 200  # no longer asked
    entry = events(EventKind.PASSWORD_CONFIRMED, object_pk=str(cast.alice.pk)).get()
    assert entry.additional_data["method"] == "passkey"


def test_a_confirmation_without_user_verification_is_refused(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    client = login_verified(Client(), cast.alice)
    options = post_json(client, "passkey_confirm_begin").json()
    response = post_json(
        client, "passkey_confirm_complete", authenticator.assertion(options, user_verified=False)
    )
    assert response.status_code == 400
    assert not reauth.recently_confirmed(client.session)
    assert events(EventKind.SECOND_FACTOR_FAILED).get().additional_data == {"step": "passkey_confirm"}


def test_no_password_failures_are_left_after_a_passkey_login(cast, authenticator):
    passkey_of(cast.alice, authenticator)
    assert passkey_login(Client(), authenticator).status_code == 200
    assert not PasswordFailure.objects.exists()
