"""A coordinator double-clicks "Plan" on the new-meeting form: the browser sends the form twice,
one meeting is made, and the page says the second sending saved nothing."""

import os
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from meetings.models import Meeting
from meetings.services import meetings as meeting_services
from tests.browser.helpers import logged_in_context, meeting_cell

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LIVC_SCREENSHOTS", "test-results")


def test_a_double_click_on_plan_makes_one_meeting(live_server, browser: Browser, monkeypatch):
    cast, _members = meeting_cell()
    # A server under load: the first sending is still being saved when the second click lands
    # (on a quick server the browser may have left the form before the second click).
    create = meeting_services.meeting_create

    def slow_create(**kwargs):
        time.sleep(1)
        return create(**kwargs)

    monkeypatch.setattr(meeting_services, "meeting_create", slow_create)
    page = logged_in_context(browser, live_server.url, cast.alice).new_page()
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.goto(f"{live_server.url}/c/alfa/meetings/new/")
    page.get_by_label("Operational table (case consultation)").check()
    page.get_by_label("Title:", exact=True).fill("Casusoverleg januari")
    page.get_by_label("Starts at:", exact=True).fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    # The second click lands 300 ms after the first, while the first is still being saved
    # (Playwright's own click would wait for the navigation the first one started).
    page.evaluate("""() => {
        const plan = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === "Plan");
        let clicks = 0;
        plan.form.addEventListener("submit", () => { if (clicks++ === 0) setTimeout(() => plan.click(), 300); });
    }""")
    page.get_by_role("button", name="Plan").click()
    expect(page.get_by_text("This form had already been sent: it was saved once.")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/double-click-plan.png", full_page=True)
    assert len(posts) == 2  # the browser did send it twice
    assert Meeting.objects.filter(title="Casusoverleg januari").count() == 1
