"""The idle timeout is renewed at most once a minute, not by every request (issue 14): a page
within the minute writes no session row, one after it does (docs/adr/0007, "Renewal")."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livc.accounts.renewal import RENEWED_AT, renewal_seconds

pytestmark = pytest.mark.django_db

HOME = reverse("cells:home", kwargs={"cell_slug": "alfa"})
STATUS = reverse("accounts:session_status")


def expiry(client: Client) -> datetime.datetime:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def session_writes(client: Client, url: str = HOME, **extra) -> int:
    """How many times the request wrote the session row."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **extra).status_code == 200
    return sum(1 for query in queries if query["sql"].startswith('UPDATE "django_session"'))


def test_requests_within_a_minute_save_the_session_once_and_one_after_it_saves_again(as_user, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = as_user(cast.alice)
        assert session_writes(client) == 1  # the first page after the login renews
        first = expiry(client)
        assert first == start + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        clock.move_to(start + datetime.timedelta(seconds=30))
        assert session_writes(client) == 0
        assert session_writes(client, HOME, HTTP_HX_REQUEST="true") == 0  # htmx or not
        clock.move_to(start + datetime.timedelta(seconds=59))
        assert session_writes(client) == 0
        assert expiry(client) == first
        clock.move_to(start + datetime.timedelta(seconds=61))
        assert session_writes(client) == 1
        assert expiry(client) == first + datetime.timedelta(seconds=61)
        clock.move_to(start + datetime.timedelta(seconds=90))
        assert session_writes(client) == 0


def test_the_idle_timeout_stays_accurate_to_a_minute(as_user, cast):
    """However the requests fall, the session ends at most a minute before `timeout` after the
    last one, and never after it."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = as_user(cast.alice)
        for seconds in (0, 20, 45, 70, 100, 130, 131, 190):
            clock.move_to(start + datetime.timedelta(seconds=seconds))
            client.get(HOME)
            full = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
            assert full - datetime.timedelta(seconds=60) <= expiry(client) <= full


def test_asking_how_long_is_left_never_renews_even_after_the_minute(as_user, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = as_user(cast.alice)
        client.get(HOME)
        before = expiry(client)
        clock.move_to(start + datetime.timedelta(minutes=5))
        assert session_writes(client, STATUS) == 0
        assert expiry(client) == before


def test_a_session_that_changes_is_saved_at_once_and_counts_as_renewed(as_user, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = as_user(cast.alice)
        client.get(HOME)
        clock.move_to(start + datetime.timedelta(seconds=10))
        response = client.post(reverse("accounts:session_renew"), HTTP_ACCEPT="application/json")
        assert response.json() == {"remaining": settings.SESSION_COOKIE_AGE}
        assert expiry(client) == start + datetime.timedelta(seconds=10 + settings.SESSION_COOKIE_AGE)
        assert client.session[RENEWED_AT] == int((start + datetime.timedelta(seconds=10)).timestamp())


def test_a_stale_cookie_creates_no_session(client, cast):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-at-all-000000"
    client.get(reverse("accounts:login"))
    assert not Session.objects.exists()


def test_a_short_timeout_renews_more_often_and_the_page_knows(as_user, cast, settings):
    assert renewal_seconds() == 60
    settings.SESSION_COOKIE_AGE = 60
    assert renewal_seconds() == 6
    assert 'data-renewal="6"' in as_user(cast.alice).get(HOME).content.decode()
