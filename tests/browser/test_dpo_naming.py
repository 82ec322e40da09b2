"""The access log in Chromium at 1280 and 390 pixels: cases by reference, pages by title.
Screenshots go to test-results/ (or $LIVC_SCREENSHOTS)."""

import os
import uuid

import pytest
from playwright.sync_api import Browser, expect

from tests.audit.conftest import console, make_access
from tests.browser.conftest import CHROMIUM
from tests.browser.helpers import logged_in_context
from tests.cases import conftest as cases_fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Chromium not installed: apt-get install chromium"
    ),
]

SHOTS = os.environ.get("LIVC_SCREENSHOTS", "test-results")
members, seats, case_a = cases_fixtures.members, cases_fixtures.seats, cases_fixtures.case_a


def test_the_access_log_reads_as_references_and_page_titles(cast, live_server, browser: Browser, case_a):
    make_access(cast.cell_a, cast.bob, case_a, view="cases:detail")
    make_access(cast.cell_a, cast.alice, case_a, object_pk=uuid.uuid4(), view="cases:table")
    make_access(cast.cell_a, cast.mayor, view="participants:approvals")
    for width in (1280, 390):
        context = logged_in_context(browser, live_server.url, cast.dpo)
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + console("log"))
        expect(page.get_by_role("link", name=f"Case {case_a.reference}").first).to_be_visible()
        page.screenshot(path=f"{SHOTS}/dpo-log-{width}.png", full_page=True)
        expect(page.locator("td span[title='participants:approvals']")).to_have_text("Approvals")
        context.close()
