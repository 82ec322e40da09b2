"""The invitee's link: accept with a new or existing account, decline, and every bad link."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from livc.cells.models import Membership
from participants import services
from participants.models import InvitationStatus
from tests.base import PASSWORD
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(cast, org, members, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(cell=cast.cell_a, organisation=org, proposed_by=cast.alice,
                                   status=InvitationStatus.PENDING, email="ilse@example.test", name="Ilse Invité")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_approve(member=members["mayor"], invitation=invitation)
    invitation.refresh_from_db()
    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    return invitation, link.replace("http://127.0.0.1:8000", "")


def test_a_new_invitee_creates_an_account_and_goes_on_to_the_second_factor(client, sent, cast):
    _, link = sent
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "458ter" in page.content.decode()
    response = client.post(
        link, {"name": "Ilse Invité", "password1": PASSWORD, "password2": PASSWORD, "acknowledge": "on"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup"))
    membership = Membership.objects.get(user__email="ilse@example.test")
    assert membership.cell == cast.cell_a
    # Logged in, but no cell page before the second factor.
    home = client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"}))
    assert home["Location"].startswith(reverse("accounts:setup"))


def test_mismatched_passwords_and_a_missing_tick_keep_the_typed_name(client, sent):
    _, link = sent
    response = client.post(link, {"name": "Ilse Typed", "password1": PASSWORD, "password2": "other"},
                           HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    content = response.content.decode()
    assert "The two passwords differ" in content
    assert "Tick the box to confirm" in content
    assert 'value="Ilse Typed"' in content
    assert not Membership.objects.filter(user__email="ilse@example.test").exists()


def test_a_weak_password_is_explained_on_the_password_field(client, sent):
    _, link = sent
    response = client.post(link, {"name": "Ilse", "password1": "short", "password2": "short", "acknowledge": "on"},
                           HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "too short" in response.content.decode()


def test_someone_with_an_account_is_asked_to_log_in_first(client, sent):
    _invitation, link = sent
    UserFactory(email="ilse@example.test")
    response = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert "Log in first" in response.content.decode()
    assert client.post(link, {"acknowledge": "on"}).status_code == 200
    assert not Membership.objects.filter(user__email="ilse@example.test").exists()


def test_a_logged_in_invitee_accepts_with_one_tick(as_user, sent, cast):
    _invitation, link = sent
    user = UserFactory(email="ilse@example.test")
    client = as_user(user)
    response = client.post(link, {"acknowledge": "on"})
    assert response["Location"] == reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert client.get(response["Location"]).status_code == 200


def test_another_logged_in_user_cannot_accept_someone_elses_invitation(as_user, sent, cast):
    _, link = sent
    response = as_user(cast.charlie).post(link, {"acknowledge": "on"})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=cast.charlie, cell=cast.cell_a).exists()


def test_declining_without_motivation_keeps_the_page_and_says_what_is_missing(client, sent):
    invitation, link = sent
    response = client.post(link + "decline/", {"motivation": "   "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "write why you decline" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    response = client.post(link + "decline/", {"motivation": "Geen mandaat van mijn directie."})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert invitation.decline_motivation == "Geen mandaat van mijn directie."


def test_a_tampered_link_gets_a_clear_page(client, sent):
    _, link = sent
    response = client.get(link[:-5] + "XXXX/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert client.get("/invitation/garbage/", HTTP_ACCEPT_LANGUAGE="en").status_code == 400


def test_a_used_link_gets_a_clear_page(client, sent):
    _, link = sent
    client.post(link, {"name": "Ilse", "password1": PASSWORD, "password2": PASSWORD, "acknowledge": "on"})
    client.post(reverse("accounts:logout"))
    response = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_an_expired_link_gets_a_clear_page_and_the_invitation_is_marked_expired(client, sent):
    invitation, link = sent
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED
