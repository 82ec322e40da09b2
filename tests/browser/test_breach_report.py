"""A participant reports a suspected breach from the menu, on a phone and on a desktop: bad input
is explained with what was typed kept, the confirmation gives the number, the DPO is mailed.
Screenshots go to test-results/ (or $LIVC_SCREENSHOTS)."""

import os

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from dpo.models import Breach
from tests.base import make_cast
from tests.browser.helpers import logged_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LIVC_SCREENSHOTS", "test-results")
SEEN = "A printout of the minutes was left on the printer of the youth centre."


def sideways(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_participant_reports_a_breach_from_the_menu(browser, live_server, width):
    cast = make_cast()
    cast.bob.language = "en"
    cast.bob.save(update_fields=["language"])
    page = logged_in_context(browser, live_server.url, cast.bob).new_page()
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/c/alfa/")
    menu = page.get_by_role("navigation", name="Cell")
    if width < 700:
        menu.get_by_role("button", name="Menu").click()
    menu.get_by_role("link", name="Report a data breach").click()
    expect(page.get_by_role("heading", name="Report a suspected data breach")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/breach-report-form-{width}.png", full_page=True)
    page.get_by_label("When did it happen, if you know?").fill("2099-01-01T10:00")
    page.get_by_role("button", name="Send the report").click()
    expect(
        page.get_by_role("link", name="What did you see, or what happened?: Describe what you saw")
    ).to_be_visible()
    expect(page.get_by_label("When did it happen, if you know?")).to_have_value("2099-01-01T10:00")
    page.screenshot(path=f"{SHOTS}/breach-report-errors-{width}.png", full_page=True)
    page.get_by_label("What did you see, or what happened?").fill(SEEN)
    page.get_by_label("When did it happen, if you know?").fill("")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Your report was received")).to_be_visible()
    expect(page.get_by_text("Breach 1", exact=True)).to_be_visible()
    assert sideways(page) <= 0
    page.screenshot(path=f"{SHOTS}/breach-report-done-{width}.png", full_page=True)
    assert Breach.objects.get().description == SEEN
    assert [message.to for message in mail.outbox] == [[cast.dpo.email]]
    assert errors == []
