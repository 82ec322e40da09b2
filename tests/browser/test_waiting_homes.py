"""The home pages in Chromium, at 1280 and 390 pixels: the waiting list first, the switcher in the
header for the information officer of two cells. Screenshots go to test-results/ (not tracked)."""

import os

import pytest
from django.apps import apps
from playwright.sync_api import Browser, expect

from livc.accounts.models import User
from livc.cells import demo
from tests.browser.conftest import CHROMIUM
from tests.browser.helpers import logged_in_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Chromium not installed: apt-get install chromium"
    ),
]

SHOTS = os.environ.get("LIVC_SCREENSHOTS", "test-results")  # another folder if test-results is shared
PEOPLE = {
    "coordinator": "coordinator@demostad.example",
    "mayor": "burgemeester@demostad.example",
    "participant": "clb@demostad.example",
    "officer": "io@pz-demo.example",
    "dpo": "dpo@demostad.example",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_every_roles_home_starts_with_what_waits_and_fits_the_screen(live_server, browser: Browser, width):
    data = demo.seed()
    for label in ("participants", "cases", "meetings"):
        apps.get_app_config(label).seed_demo(data)  # type: ignore[attr-defined]
    User.objects.filter(email__in=PEOPLE.values()).update(language="en")
    for who, email in PEOPLE.items():
        _look(browser, live_server.url, who, User.objects.get(email=email), width)


def _look(browser, url, who, user, width) -> None:
    context = logged_in_context(browser, url, user)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{url}/c/demostad/")
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    switcher = page.locator(".cell-switcher")
    if who == "officer":
        switcher.locator("summary").click()
        expect(switcher.get_by_role("link", name="Bovenlokale LIVC-R Kempenheide")).to_be_visible()
    else:
        expect(switcher).to_have_count(0)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=f"{SHOTS}/home-{who}-{width}.png", full_page=True)
    assert overflow <= 0, f"{who} at {width}px scrolls sideways by {overflow}px"
    context.close()
