import re

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from livc.accounts.models import User
from livc.cells import demo
from tests.base import login_verified
from tests.browser.helpers import logged_in_context
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


def open_demo_page_as_coordinator(live_server, browser: Browser, path: str, **context_options) -> Page:
    """The demo cell Demostad (its referrals and cases), on a 390 pixel phone."""
    data = demo.seed()
    for label in ("participants", "cases"):
        apps.get_app_config(label).seed_demo(data)  # type: ignore[attr-defined]
    User.objects.filter(email="coordinator@demostad.example").update(language="en")  # the names below
    coordinator = User.objects.get(email="coordinator@demostad.example")
    context = logged_in_context(browser, live_server.url, coordinator)
    if context_options:  # a second context with the same session cookie, e.g. without JavaScript
        cookies = context.cookies()
        context.close()
        context = browser.new_context(locale="en-GB", **context_options)
        context.add_cookies(cookies)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/c/demostad{path}")
    return page


def test_at_390_pixels_the_cell_menu_is_collapsed_and_opens_with_its_button(live_server, browser: Browser):
    page = open_demo_page_as_coordinator(live_server, browser, "/cases/")
    menu = page.get_by_role("navigation", name="Cell")
    button = menu.get_by_role("button", name="Menu")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    assert button.get_attribute("aria-controls") == "cell-nav-list"
    expect(menu.get_by_role("link", name="Cases", exact=True)).to_be_hidden()

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Cases", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Meetings")).to_be_visible()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(menu.get_by_role("link", name="Cases", exact=True)).to_be_hidden()

    page.set_viewport_size({"width": 1280, "height": 800})  # on a wide screen: no button, the menu
    expect(button).to_be_hidden()
    expect(menu.get_by_role("link", name="Cases", exact=True)).to_be_visible()


def test_without_javascript_the_menu_is_simply_shown(live_server, browser: Browser):
    page = open_demo_page_as_coordinator(live_server, browser, "/cases/", java_script_enabled=False)
    menu = page.get_by_role("navigation", name="Cell")
    expect(menu.get_by_role("link", name="Cases", exact=True)).to_be_visible()
    expect(menu.get_by_role("button", name="Menu")).to_be_hidden()


def test_at_390_pixels_a_table_row_is_a_block_of_cells_labelled_with_their_column(
    live_server, browser: Browser
):
    page = open_demo_page_as_coordinator(live_server, browser, "/cases/")
    table = page.get_by_role("table")
    first_row = table.locator("tbody tr").first
    labels = first_row.locator("td").evaluate_all("cells => cells.map(cell => cell.dataset.label)")
    assert labels == ["Reference", "Pseudonym", "Status", "Next review", "Last discussed"]
    shown = first_row.locator("td").first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert shown == '"Reference"'
    assert table.locator("thead").evaluate("head => head.getBoundingClientRect().height") <= 1
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


@pytest.mark.parametrize("width", [390, 1280])
def test_no_case_reference_and_no_column_header_breaks_mid_word(live_server, browser: Browser, width: int):
    page = open_demo_page_as_coordinator(live_server, browser, "/cases/")
    page.set_viewport_size({"width": width, "height": 844})
    references = page.locator("tbody tr td:first-child a")
    assert references.count() >= 3
    for reference in references.all():
        assert re.fullmatch(r"\d{4}-\d{4}", reference.inner_text())
        # one line box: an inline element broken over two lines has two client rectangles
        assert reference.evaluate("link => link.getClientRects().length") == 1, reference.inner_text()
    for header in page.locator("thead th").all():
        if header.is_visible():
            assert header.evaluate(
                "th => th.getClientRects().length === 1 && th.scrollWidth <= th.clientWidth"
            )


def test_the_error_summary_gets_the_focus_and_links_each_field_to_its_input(live_server, browser: Browser):
    page = open_demo_page_as_coordinator(live_server, browser, "/referrals/new/")
    page.get_by_role("button", name="Send the referral").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    links = summary.get_by_role("link")
    assert links.count() >= 1
    for link in links.all():
        target = link.get_attribute("href")
        assert target and page.locator(target).count() == 1, target
    links.first.click()
    focused = page.evaluate("document.activeElement.id")
    assert f"#{focused}" == links.first.get_attribute("href")
