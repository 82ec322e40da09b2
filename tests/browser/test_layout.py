import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.base import login_verified
from tests.factories import CellFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_home_as_coordinator(live_server, page: Page) -> list[str]:
    cell = CellFactory(name="Bovenlokale LIVC-R Met Een Heel Lange Naam Voor Kleine Schermen", slug="lang")
    coordinator = UserFactory(email="a-rather-long-address-for-a-coordinator@example.test", language="nl")
    MembershipFactory(cell=cell, user=coordinator, coordinator=True)
    for _ in range(5):
        MembershipFactory(cell=cell)
    client = login_verified(Client(), coordinator)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/c/lang/")
    return errors


def test_the_cell_home_fits_a_360_pixel_phone_without_sideways_scrolling(live_server, page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    open_home_as_coordinator(live_server, page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_the_page_breaks_no_content_security_rule_and_is_in_dutch_by_default(live_server, page: Page):
    errors = open_home_as_coordinator(live_server, page)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert errors == []


def test_the_skip_link_is_the_first_stop_for_the_keyboard(live_server, page: Page):
    open_home_as_coordinator(live_server, page)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
