import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, expect

from livc.cells.models import Membership
from tests.base import PASSWORD, make_cast
from tests.browser.helpers import current_totp, logged_in_context
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_proposed_approved_accepted_and_the_new_participant_is_in(live_server, browser: Browser, settings):
    settings.LIVC_BASE_URL = live_server.url
    cast = make_cast()
    OrganisationFactory(cell=cast.cell_a, name="Jeugddienst Alfa", type="youth_service")

    coordinator = logged_in_context(browser, live_server.url, cast.alice).new_page()
    coordinator.goto(f"{live_server.url}/c/alfa/invitations/new/")
    coordinator.get_by_label("Name:", exact=True).fill("Ilse Invité")
    coordinator.get_by_label("E-mail address:", exact=True).fill("ilse@example.test")
    coordinator.get_by_role("combobox", name="Organisation").select_option(label="Jeugddienst Alfa")
    coordinator.get_by_label("Function:", exact=True).fill("Jeugdconsulent")
    coordinator.get_by_label("What does this function contribute?", exact=True).fill(
        "Kent de jongeren in de wijk."
    )
    coordinator.get_by_role("button", name="Propose to the mayor").click()
    expect(coordinator.get_by_text("Awaiting the mayor")).to_be_visible()

    mayor = logged_in_context(browser, live_server.url, cast.mayor).new_page()
    mayor.goto(f"{live_server.url}/c/alfa/approvals/")
    mayor.get_by_role("button", name="Approve and send to Ilse Invité").click()
    expect(mayor.get_by_text("Invitation approved and sent.")).to_be_visible()

    # The invitation to Ilse, and the notification that told the mayor one waited (rule 19).
    assert sorted(message.to[0] for message in mail.outbox) == sorted([cast.mayor.email, "ilse@example.test"])
    [invitation] = [message for message in mail.outbox if message.to == ["ilse@example.test"]]
    link = re.search(r"http://\S+/invitation/\S+/", invitation.body).group(0)
    invitee = browser.new_context(locale="en-GB").new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_contain_text("LIVC-R Alfa")
    invitee.get_by_label("Your name").fill("Ilse Invité")
    invitee.get_by_label("Choose a password").fill(PASSWORD)
    invitee.get_by_label("Password again").fill(PASSWORD)
    invitee.get_by_label("I have read the statement").check()
    invitee.get_by_role("button", name="Accept the invitation").click()

    expect(invitee.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    device = TOTPDevice.objects.get(user__email="ilse@example.test", confirmed=False)
    invitee.get_by_label("Code shown in the app").fill(current_totp(device))
    invitee.get_by_role("button", name="Confirm").click()
    expect(invitee.get_by_text("Your backup codes")).to_be_visible()
    invitee.get_by_role("link", name="Continue").click()

    expect(invitee.get_by_role("heading", level=1)).to_have_text("LIVC-R Alfa")
    assert invitee.url == f"{live_server.url}/c/alfa/"
    assert Membership.objects.get(user__email="ilse@example.test").role == "participant"
