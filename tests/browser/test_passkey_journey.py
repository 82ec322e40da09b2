"""Passkeys in Chromium, with its virtual authenticator (DevTools protocol, `WebAuthn` domain):
`static/js/passkeys.js` registers a passkey from the security page, logs in with it alone from the
login page, and verifies a password login's second factor with it. Screenshots go to
test-results/ (or $LIVC_SCREENSHOTS)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.base import PASSWORD
from tests.browser.helpers import logged_in_context
from tests.factories import CellFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("LIVC_SCREENSHOTS", "test-results"))


def virtual_authenticator(page: Page) -> None:
    """A platform authenticator that holds discoverable credentials and verifies its user at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})


def test_a_passkey_is_added_then_logs_in_alone_and_as_second_factor(live_server, browser, settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    SHOTS.mkdir(parents=True, exist_ok=True)
    cell = CellFactory(name="LIVC-R Sleutelstad", slug="sleutelstad")
    user = UserFactory(email="pia@example.test", name="Pia Passkey", language="en")
    MembershipFactory(cell=cell, user=user, coordinator=True)
    home = f"{live_server.url}/c/sleutelstad/"

    page = logged_in_context(browser, live_server.url, user).new_page()
    virtual_authenticator(page)
    page.goto(f"{live_server.url}/accounts/security/")
    page.get_by_role("link", name="Add a passkey").click()
    page.get_by_label("Password").fill(PASSWORD)  # asked again first
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name of the passkey").fill("Work laptop")
    page.get_by_role("button", name="Create the passkey").click()
    expect(page.get_by_text("Passkey “Work laptop” added.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Work laptop")).to_be_visible()
    page.screenshot(path=str(SHOTS / "passkey-security.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    page.screenshot(path=str(SHOTS / "passkey-login.png"), full_page=True)
    page.get_by_role("button", name="Log in with a passkey").click()
    page.wait_for_url(home)
    expect(page.get_by_role("heading", level=1)).to_have_text("LIVC-R Sleutelstad")

    page.get_by_role("button", name="Log out").click()
    page.get_by_label("E-mail address").fill("pia@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    page.screenshot(path=str(SHOTS / "passkey-verify.png"), full_page=True)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(home)


def test_a_browser_without_a_passkey_hears_so_in_the_page(live_server, browser, settings):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    page = browser.new_context(locale="en-GB").new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")  # an authenticator with no passkey of this site: the user cancels
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
            }
        },
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Log in with a passkey").click()
    expect(page.get_by_role("alert")).to_be_visible(timeout=15_000)
    page.screenshot(path=str(SHOTS / "passkey-login-error.png"), full_page=True)
