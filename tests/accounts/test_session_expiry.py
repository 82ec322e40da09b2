"""The idle timeout seen from the server: what a page, a script and htmx get after the expiry."""

import datetime
import json

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("cells:home", kwargs={"cell_slug": "alfa"})
LOGIN = reverse("accounts:login")
STATUS = reverse("accounts:session_status")
RENEW = reverse("accounts:session_renew")
HTMX = {"HTTP_HX_REQUEST": "true"}


def expire(client: Client) -> None:
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )


def expiry(client: Client) -> datetime.datetime:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_an_htmx_request_after_the_expiry_gets_a_401_and_an_event_not_the_login_page(as_user, cast):
    client = as_user(cast.alice)
    expire(client)
    response = client.post(HOME, {"text": "typed"}, **HTMX)
    assert response.status_code == 401
    assert json.loads(response["HX-Trigger"]) == {"livc:session-expired": {"login": LOGIN}}
    assert response["HX-Reswap"] == "none"
    content = response.content.decode()
    assert "<form" not in content and 'name="username"' not in content
    assert "no-store" in response["Cache-Control"]


def test_a_script_asking_for_json_after_the_expiry_gets_a_401_too(as_user, cast):
    client = as_user(cast.alice)
    expire(client)
    assert client.get(HOME, HTTP_ACCEPT="application/json").status_code == 401


def test_an_htmx_request_before_the_second_factor_gets_a_401(client, cast):
    client.force_login(cast.alice)
    response = client.get(HOME, **HTMX)
    assert response.status_code == 401
    assert "HX-Trigger" in response


def test_a_page_after_the_expiry_goes_to_the_login_page_with_next_and_says_it_expired(as_user, cast):
    client = as_user(cast.alice)
    expire(client)
    response = client.get(f"{HOME}?tab=x")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/c/alfa/%3Ftab%3Dx&expired=1"


def test_a_form_posted_after_the_expiry_without_javascript_goes_to_the_login_page(as_user, cast):
    client = as_user(cast.alice)
    expire(client)
    response = client.post(reverse("cases:referral_new", kwargs={"cell_slug": "alfa"}), {"signals": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=/c/alfa/referrals/new/")


def test_someone_never_logged_in_goes_to_the_login_page_without_the_expiry_notice(client, cast):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/c/alfa/"


def test_after_logging_out_the_login_page_does_not_speak_of_an_expiry(as_user, cast):
    client = as_user(cast.alice)
    client.post(reverse("accounts:logout"))
    assert "expired" not in client.get(HOME)["Location"]


def test_the_login_page_says_the_session_expired_when_asked(client):
    response = client.get(f"{LOGIN}?next=/c/alfa/&expired=1", HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "Your session has expired." in content
    assert "after 30 minutes without activity" in content
    assert 'name="next" value="/c/alfa/"' in content
    plain = client.get(f"{LOGIN}?next=/c/alfa/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your session has expired." not in plain


def test_the_status_says_how_long_is_left_without_renewing(as_user, cast):
    client = as_user(cast.alice)
    client.get(HOME)
    before = expiry(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        response = client.get(STATUS)
    assert response.status_code == 200
    assert 19 * 60 <= response.json()["remaining"] <= 20 * 60
    assert expiry(client) == before


def test_the_status_of_an_expired_or_absent_session_is_zero(as_user, cast, client):
    assert client.get(STATUS).json() == {"remaining": 0}
    expired = as_user(cast.alice)
    expire(expired)
    response = expired.get(STATUS)
    assert response.status_code == 200 and response.json() == {"remaining": 0}


def test_staying_logged_in_renews_the_session(as_user, cast):
    client = as_user(cast.alice)
    client.get(HOME)
    before = expiry(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        response = client.post(RENEW, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"remaining": settings.SESSION_COOKIE_AGE}
    assert expiry(client) - before >= datetime.timedelta(minutes=9)


def test_staying_logged_in_without_javascript_returns_to_the_page(as_user, cast):
    response = as_user(cast.alice).post(RENEW, {"next": HOME})
    assert response.status_code == 302 and response["Location"] == HOME


def test_staying_logged_in_takes_a_post_with_its_csrf_token(cast):
    from tests.base import login_verified

    client = login_verified(Client(enforce_csrf_checks=True), cast.alice)
    assert client.get(RENEW).status_code == 405
    assert client.post(RENEW, HTTP_ACCEPT="application/json").status_code == 403
    page = client.get(HOME)
    token = page.context["csrf_token"]
    assert (
        client.post(RENEW, {"csrfmiddlewaretoken": str(token)}, HTTP_ACCEPT="application/json").status_code
        == 200
    )


def test_staying_logged_in_takes_a_logged_in_and_verified_user(client, cast):
    assert client.post(RENEW, HTTP_ACCEPT="application/json").status_code == 401
    assert client.post(RENEW)["Location"].startswith(f"{LOGIN}?next=")
    client.force_login(cast.alice)  # password only
    assert client.post(RENEW, HTTP_ACCEPT="application/json").status_code == 401
    assert client.post(RENEW)["Location"].startswith(reverse("accounts:setup"))


def test_the_page_gives_its_script_the_timeout_the_warning_and_the_user(as_user, cast, settings):
    settings.SESSION_COOKIE_AGE = 60
    settings.LIVC_SESSION_WARNING_SECONDS = 120
    content = as_user(cast.alice).get(HOME).content.decode()
    assert 'data-timeout="60"' in content
    assert 'data-warning="30"' in content  # at most half the timeout
    assert f'data-user="{cast.alice.pk}"' in content
    assert "js/session.js" in content
    assert 'role="alertdialog"' in content


def test_a_user_before_the_second_factor_gets_no_session_script(client, cast):
    client.force_login(cast.alice)
    assert "js/session.js" not in client.get(reverse("accounts:setup")).content.decode()


def test_the_default_warning_comes_two_minutes_before_the_expiry(as_user, cast):
    user = UserFactory(email="eva@example.test")
    MembershipFactory(cell=cast.cell_a, user=user)
    assert 'data-warning="120"' in as_user(user).get(HOME).content.decode()
