"""Logging in through an OpenID Connect provider: the full authorization-code flow with PKCE,
against a real provider (oidc-provider-mock) on 127.0.0.1 (`tests/accounts/oidc_provider.py`).

Our side is Django's test client; the provider's login form is filled in with `requests`, and the
browser's way back (the provider's redirect to our callback) is followed by hand.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from livc.accounts import lockout, reauth
from livc.accounts.models import ProviderDevice, User
from livc.audit.events import EventKind
from livc.audit.models import LogEntry
from livc.cells.models import Membership
from participants import services
from participants.models import InvitationStatus
from tests.accounts.oidc_provider import Provider, running_provider
from tests.accounts.test_login import give_backup_codes, log_in
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
CALLBACK = f"{BASE}/accounts/oidc/mock/callback/"
PICK = reverse("cells:pick")
ALFA = reverse("cells:home", kwargs={"cell_slug": "alfa"})


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def idp(provider: Provider, settings):
    """The provider configured as "mock", for every cell."""
    client_id, secret = provider.register(CALLBACK)
    settings.LIVC_BASE_URL = BASE
    settings.LIVC_OIDC_PROVIDERS = {
        "mock": {"issuer": provider.url, "client_id": client_id, "client_secret": secret, "label": "Mock IdP"}
    }
    return provider


def start(client: Client, next_url: str = "") -> str:
    """Press "Log in with Mock IdP"; returns the provider's authorization URL."""
    response = client.post(reverse("accounts:oidc_login", kwargs={"provider": "mock"}), {"next": next_url})
    assert response.status_code == 302, response.content
    return str(response["Location"])


def back(client: Client, location: str):
    """The browser, sent back to us by the provider."""
    assert location.startswith(f"{BASE}/"), location
    return client.get(location.removeprefix(BASE), HTTP_ACCEPT_LANGUAGE="en")


def oidc_log_in(client: Client, idp: Provider, sub: str, next_url: str = ""):
    return back(client, idp.log_in(start(client, next_url), sub))


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_a_member_logs_in_with_pkce_and_the_audit_names_the_provider(client, cast, idp):
    idp.set_user("alice-sub", email="alice@example.test", email_verified=True, amr=["pwd", "mfa"])
    authorize = start(client, next_url=ALFA)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["response_type"] == ["code"] and query["redirect_uri"] == [CALLBACK]
    assert query["nonce"] and query["state"]
    assert "openid" in query["scope"][0].split()

    response = back(client, idp.log_in(authorize, "alice-sub"))
    assert response.status_code == 302
    assert response["Location"] == ALFA  # `next` kept through the round trip
    assert logged_in_user_id(client) == str(cast.alice.pk)
    assert client.get(ALFA).status_code == 200  # the provider proved MFA: verified at once
    entry = LogEntry.objects.filter(event=EventKind.LOGIN, actor=cast.alice).latest("pk")
    assert entry.additional_data == {"method": "oidc", "provider": "mock", "mfa": True}
    assert "alice@example.test" not in str(entry.additional_data)


def test_the_login_page_shows_one_button_per_provider(client, idp):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in with Mock IdP" in page
    assert reverse("accounts:oidc_login", kwargs={"provider": "mock"}) in page


def test_without_providers_the_login_page_is_as_before(client, settings):
    settings.LIVC_OIDC_PROVIDERS = {}
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/accounts/oidc/" not in page


def test_an_amr_without_mfa_leads_to_the_local_second_factor(client, cast, idp):
    idp.set_user("alice-pwd", email="alice@example.test", email_verified=True, amr=["pwd"])
    response = oidc_log_in(client, idp, "alice-pwd")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup"))  # alice has no device yet
    assert logged_in_user_id(client) == str(cast.alice.pk)
    assert client.get(ALFA)["Location"].startswith(reverse("accounts:setup"))  # no cell page yet
    assert not ProviderDevice.objects.filter(user=cast.alice).exists()

    give_backup_codes(cast.alice, "abcdefgh")
    again = Client()
    response = oidc_log_in(again, idp, "alice-pwd")
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert again.get(ALFA).status_code == 302


def test_a_provider_device_is_not_a_local_second_factor_for_the_password_login(client, cast, idp):
    idp.set_user("alice-mfa", email="alice@example.test", amr=["mfa"])
    oidc_log_in(Client(), idp, "alice-mfa")
    assert ProviderDevice.objects.filter(user=cast.alice, provider="mock").exists()
    log_in(client, "alice@example.test")
    assert client.get(PICK)["Location"].startswith(reverse("accounts:setup"))  # not "verify": no code


def test_an_acr_configured_as_multi_factor_is_enough(client, cast, idp, settings):
    settings.LIVC_OIDC_PROVIDERS = {
        "mock": {**settings.LIVC_OIDC_PROVIDERS["mock"], "mfa_acr": "urn:example:eid"}
    }
    idp.set_user("alice-eid", email="alice@example.test", acr="urn:example:eid")
    assert oidc_log_in(client, idp, "alice-eid")["Location"] == PICK


def test_a_person_without_membership_is_refused_with_a_clear_page(client, idp):
    stranger = UserFactory(email="stranger@example.test")
    idp.set_user("stranger-sub", email="stranger@example.test", amr=["mfa"])
    users = User.objects.count()
    response = oidc_log_in(client, idp, "stranger-sub")
    assert response.status_code == 403
    assert "not a member of a cell" in response.content.decode()
    assert logged_in_user_id(client) is None
    assert User.objects.count() == users
    failed = LogEntry.objects.filter(event=EventKind.LOGIN_FAILED, object_pk=str(stranger.pk)).latest("pk")
    assert failed.additional_data["reason"] == "no_membership"
    assert failed.additional_data["provider"] == "mock"


def test_a_person_without_account_is_refused_and_nobody_is_created(client, idp):
    idp.set_user("nobody-sub", email="nobody@example.test", email_verified=True, amr=["mfa"])
    users = User.objects.count()
    response = oidc_log_in(client, idp, "nobody-sub")
    assert response.status_code == 403
    assert "You have no account here" in response.content.decode()
    assert User.objects.count() == users
    failed = LogEntry.objects.filter(event=EventKind.LOGIN_FAILED).latest("pk")
    assert failed.additional_data == {
        "method": "oidc",
        "provider": "mock",
        "reason": "no_account",
        "matched_account": False,
    }


def test_an_unverified_address_is_not_believed(client, cast, idp):
    idp.set_user("alice-unverified", email="alice@example.test", email_verified=False, amr=["mfa"])
    response = oidc_log_in(client, idp, "alice-unverified")
    assert response.status_code == 403
    assert logged_in_user_id(client) is None


def test_a_deactivated_account_is_refused(client, cast, idp):
    User.objects.filter(pk=cast.alice.pk).update(is_active=False)
    idp.set_user("alice-gone", email="alice@example.test", amr=["mfa"])
    response = oidc_log_in(client, idp, "alice-gone")
    assert response.status_code == 403
    assert "deactivated" in response.content.decode()


def test_a_tampered_id_token_is_refused(client, cast, idp):
    idp.set_user("alice-tampered", email="alice@example.test", amr=["mfa"])
    authorize = start(client)
    location = idp.log_in(authorize, "alice-tampered")
    idp.tamper_next_id_token()
    response = back(client, location)
    assert response.status_code == 400
    assert "could not be verified" in response.content.decode()
    assert logged_in_user_id(client) is None
    failed = LogEntry.objects.filter(event=EventKind.LOGIN_FAILED).latest("pk")
    assert failed.additional_data["reason"] == "invalid_token"


def test_an_answer_for_a_login_started_elsewhere_is_refused(cast, idp):
    idp.set_user("alice-csrf", email="alice@example.test", amr=["mfa"])
    location = idp.log_in(start(Client()), "alice-csrf")  # started in the attacker's browser
    victim = Client()
    response = back(victim, location)
    assert response.status_code == 400
    assert "not started in this browser" in response.content.decode()
    assert logged_in_user_id(victim) is None
    assert (
        LogEntry.objects.filter(event=EventKind.LOGIN_FAILED).latest("pk").additional_data["reason"]
        == "state_mismatch"
    )


def test_the_same_answer_does_not_log_in_twice(client, cast, idp):
    idp.set_user("alice-twice", email="alice@example.test", amr=["mfa"])
    location = idp.log_in(start(client), "alice-twice")
    assert back(client, location).status_code == 302
    client.post(reverse("accounts:logout"))
    assert back(client, location).status_code == 400


def test_a_cancelled_login_at_the_provider_is_refused_politely(client, idp):
    response = back(client, idp.deny(start(client)))
    assert response.status_code == 403
    assert "was cancelled" in response.content.decode()


def test_an_unreachable_provider_gets_a_clear_page(client, settings):
    settings.LIVC_OIDC_PROVIDERS = {
        "mock": {"issuer": "http://127.0.0.1:9", "client_id": "x", "client_secret": "y", "label": "Gone"}
    }
    response = client.post(
        reverse("accounts:oidc_login", kwargs={"provider": "mock"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 502
    assert "could not be reached" in response.content.decode()


def test_a_locked_out_account_is_refused(client, cast, idp, settings):
    for _ in range(settings.LIVC_ACCOUNT_FAILURE_LIMIT):
        lockout.record_failure("alice@example.test")
    idp.set_user("alice-locked", email="alice@example.test", amr=["mfa"])
    response = oidc_log_in(client, idp, "alice-locked")
    assert response.status_code == 429
    assert logged_in_user_id(client) is None


def test_a_provider_restricted_to_cells_refuses_a_member_of_another_cell(client, cast, idp, settings):
    settings.LIVC_OIDC_PROVIDERS = {"mock": {**settings.LIVC_OIDC_PROVIDERS["mock"], "cells": "bravo"}}
    idp.set_user("alice-alfa", email="alice@example.test", amr=["mfa"])
    idp.set_user("charlie-bravo", email="charlie@example.test", amr=["mfa"])
    assert oidc_log_in(client, idp, "alice-alfa").status_code == 403
    assert oidc_log_in(client, idp, "charlie-bravo")["Location"] == PICK
    assert logged_in_user_id(client) == str(cast.charlie.pk)


def test_a_platform_administrator_may_log_in_through_an_unrestricted_provider(client, idp):
    admin = UserFactory(email="admin@example.test", is_staff=True)
    idp.set_user("admin-sub", email="admin@example.test", amr=["pwd"])
    response = oidc_log_in(client, idp, "admin-sub")
    assert response["Location"].startswith(reverse("accounts:setup"))
    assert logged_in_user_id(client) == str(admin.pk)


def test_logout_ends_the_session_and_then_the_providers(client, cast, idp):
    idp.set_user("alice-out", email="alice@example.test", amr=["mfa"])
    oidc_log_in(client, idp, "alice-out")
    id_token = client.session["livc_oidc_id_token"]
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    assert client.get(ALFA)["Location"].startswith(reverse("accounts:login"))
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{idp.url}/oauth2/end_session"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [f"{BASE}/accounts/login/"]
    assert query["client_id"] == [settings.LIVC_OIDC_PROVIDERS["mock"]["client_id"]]


def test_a_password_login_logs_out_locally_only(client, cast, idp):
    give_backup_codes(cast.alice, "abcdefgh")
    log_in(client, "alice@example.test")
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")


def test_the_password_is_confirmed_again_by_a_fresh_provider_login(cast, idp, as_user):
    client = as_user(cast.alice)
    idp.set_user("alice-again", email="alice@example.test", amr=["mfa"])
    security = reverse("accounts:security")
    page = client.get(reverse("accounts:confirm_password"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confirm with Mock IdP" in page
    response = client.post(reverse("accounts:oidc_reauth", kwargs={"provider": "mock"}), {"next": security})
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["prompt"] == ["login"] and query["max_age"] == ["0"]
    answer = back(client, idp.log_in(response["Location"], "alice-again"))
    assert answer["Location"] == security
    assert reauth.recently_confirmed(client.session)
    confirmed = LogEntry.objects.filter(event=EventKind.PASSWORD_CONFIRMED, actor=cast.alice).latest("pk")
    assert confirmed.additional_data == {"method": "oidc", "provider": "mock"}


def test_another_account_at_the_provider_confirms_nothing(cast, idp, as_user):
    client = as_user(cast.alice)
    idp.set_user("bob-again", email="bob@example.test", amr=["mfa"])
    response = client.post(reverse("accounts:oidc_reauth", kwargs={"provider": "mock"}))
    answer = back(client, idp.log_in(response["Location"], "bob-again"))
    assert answer.status_code == 403
    assert not reauth.recently_confirmed(client.session)
    assert logged_in_user_id(client) == str(cast.alice.pk)


# --- Invitations ---------------------------------------------------------------------------------


@pytest.fixture
def invitation_link(cast, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(
        cell=cast.cell_a,
        organisation=OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb"),
        proposed_by=cast.alice,
        status=InvitationStatus.PENDING,
        email="ilse@example.test",
        name="Ilse Invité",
    )
    mayor = Membership.objects.get(user=cast.mayor, cell=cast.cell_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_approve(member=mayor, invitation=invitation)
    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    return "/" + link.split("/", 3)[3]


def accept_with_provider(client: Client, link: str) -> str:
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accept with Mock IdP" in page
    response = client.post(f"{link}provider/mock/", {"provider-acknowledge": "on"})
    assert response.status_code == 302, response.content
    return str(response["Location"])


def test_an_invitation_accepted_with_a_provider_login_makes_an_account_without_password(
    client, cast, idp, invitation_link
):
    idp.set_user("ilse-sub", email="Ilse@Example.test", email_verified=True, amr=["pwd"])
    back_from_provider = back(client, idp.log_in(accept_with_provider(client, invitation_link), "ilse-sub"))
    assert back_from_provider["Location"] == f"{invitation_link}provider/"
    response = client.get(back_from_provider["Location"])
    assert response["Location"].startswith(reverse("accounts:setup"))  # no MFA proven: set one up
    ilse = User.objects.get(email="ilse@example.test")
    assert not ilse.has_usable_password()
    assert Membership.objects.get(user=ilse).cell == cast.cell_a
    assert logged_in_user_id(client) == str(ilse.pk)
    login = LogEntry.objects.filter(event=EventKind.LOGIN, actor=ilse).latest("pk")
    assert login.additional_data == {"method": "oidc", "provider": "mock", "mfa": False}
    assert client.get(response["Location"].removeprefix(BASE)).status_code == 200  # the setup page
    assert "livc_oidc_proof" not in client.session  # the proof is used up


def test_an_invitation_accepted_with_multi_factor_enters_the_cell_at_once(client, cast, idp, invitation_link):
    idp.set_user("ilse-mfa", email="ilse@example.test", amr=["mfa"])
    location = back(client, idp.log_in(accept_with_provider(client, invitation_link), "ilse-mfa"))["Location"]
    assert client.get(location)["Location"] == ALFA
    assert client.get(ALFA, follow=True).status_code == 200


def test_a_provider_login_with_another_address_creates_nothing(client, idp, invitation_link):
    idp.set_user("someone-else", email="someone@example.test", amr=["mfa"])
    users = User.objects.count()
    location = back(client, idp.log_in(accept_with_provider(client, invitation_link), "someone-else"))[
        "Location"
    ]
    response = client.get(location, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "not the one the invitation was sent to" in response.content.decode()
    assert User.objects.count() == users
    assert logged_in_user_id(client) is None
    assert client.get(invitation_link).status_code == 200  # still open


def test_accepting_with_a_provider_needs_the_acknowledgement(client, idp, invitation_link):
    response = client.post(f"{invitation_link}provider/mock/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()


def test_an_invitee_with_an_account_logs_in_through_the_provider_and_comes_back(
    client, cast, idp, invitation_link
):
    ilse = UserFactory(email="ilse@example.test")
    MembershipFactory(cell=cast.cell_b, user=ilse)  # a member of another cell, invited to this one
    assert "Log in first" in client.get(invitation_link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    idp.set_user("ilse-member", email="ilse@example.test", amr=["mfa"])
    response = oidc_log_in(client, idp, "ilse-member", next_url=invitation_link)
    assert response["Location"] == invitation_link
    page = client.get(invitation_link, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'name="acknowledge"' in page.content.decode()


def test_the_session_is_verified_through_the_provider_device(client, cast, idp):
    idp.set_user("alice-device", email="alice@example.test", amr=["mfa"])
    oidc_log_in(client, idp, "alice-device")
    device = ProviderDevice.objects.get(user=cast.alice)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert not device.verify_token("123456")


# --- Configuration ---------------------------------------------------------------------------------


def test_a_provider_set_up_wrong_stops_the_process_at_start(settings):
    from livc.accounts.oidc import check_providers

    settings.LIVC_OIDC_PROVIDERS = {"entra": {"issuer": "http://login.example/tenant/v2.0", "client_id": "x"}}
    (error,) = check_providers()
    assert "LIVC_OIDC_ENTRA_ISSUER" in error.msg
    settings.LIVC_OIDC_PROVIDERS = {"entra": {"issuer": "https://login.example/t/v2.0", "client_id": "x"}}
    (error,) = check_providers()
    assert "LIVC_OIDC_ENTRA_CLIENT_SECRET" in error.msg


def test_a_providers_defaults_and_lists_are_read_from_its_settings():
    from livc.accounts.oidc import parse

    entra = parse(
        "entra", {"issuer": "https://login.example/t/v2.0/", "client_id": "c", "client_secret": "s"}
    )
    assert entra.issuer == "https://login.example/t/v2.0"
    assert entra.scopes == "openid email profile" and entra.email_claim == "email"
    assert entra.mfa_amr == {"mfa"} and not entra.mfa_acr and not entra.cells
    assert entra.label == "entra"
    assert entra.proves_mfa({"amr": ["pwd", "mfa"]}) and not entra.proves_mfa({"amr": ["pwd"]})
    fas = parse(
        "fas",
        {
            "issuer": "https://idp.example",
            "client_id": "c",
            "client_secret": "s",
            "mfa_acr": "urn:level:450, urn:level:500",
            "cells": "alfa,bravo",
        },
    )
    assert fas.proves_mfa({"acr": "urn:level:500"}) and not fas.proves_mfa({"acr": "urn:level:100"})
    assert fas.allows_cell("alfa") and not fas.allows_cell("charlie")
