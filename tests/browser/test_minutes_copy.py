"""A leaked minutes PDF traced in Chromium: bob downloads his copy; the DPO types the document
number printed on it and finds bob and his download. At 1280 and 390 pixels; screenshots go to
test-results/ (or $LIVC_SCREENSHOTS)."""

import os

import pytest
from playwright.sync_api import Browser, expect

from meetings.minutes_pdf import document_fill
from meetings.models import MinutesDocument
from meetings.services import meetings as meeting_services
from participants.rules import acknowledgement_record
from tests.base import earlier_today
from tests.browser.conftest import CHROMIUM
from tests.browser.helpers import logged_in_context, meeting_cell
from tests.meetings.pdf_margins import NUMBER, pdf_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Chromium not installed: apt-get install chromium"
    ),
]

SHOTS = os.environ.get("LIVC_SCREENSHOTS", "test-results")


def test_the_dpo_traces_a_copy_from_the_number_printed_on_it(live_server, browser: Browser):
    cast, members = meeting_cell()
    coordinator = members["coordinator"]
    meeting = meeting_services.meeting_create(member=coordinator, kind="operational", title="Casusoverleg januari",
                                              starts_at=earlier_today(hours=2))  # fmt: skip
    meeting_services.agenda_add_topic(member=coordinator, meeting=meeting, topic="Jaarplanning")
    meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    meeting_services.meeting_end(member=coordinator, meeting=meeting)
    meeting_services.meeting_finalise(member=coordinator, meeting=meeting)
    document_fill(MinutesDocument.objects.create(meeting=meeting, recipient=cast.bob))
    acknowledgement_record(cell=cast.cell_a, user=cast.bob)  # (meeting_cell may key dries as "participant")

    bob = logged_in_context(browser, live_server.url, cast.bob).new_page()
    bob.goto(f"{live_server.url}/c/alfa/meetings/{meeting.pk}/")
    with bob.expect_download() as download:
        bob.get_by_role("link", name="Download your PDF").click()
    margin = pdf_pages(download.value.path().read_bytes())[0].top_margin
    printed = NUMBER.search(margin).group(0)  # what a finder of the leaked copy reads off it

    for width in (1280, 390):
        context = logged_in_context(browser, live_server.url, cast.dpo)
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/c/alfa/audit/")
        page.get_by_role("link", name="Whose copy is this").click()
        page.get_by_label("Document number").fill(printed.lower())
        page.get_by_role("button", name="Find the copy").click()
        expect(page.get_by_role("heading", name=f"Copy {printed}")).to_be_visible()
        expect(page.get_by_role("link", name="Bob Bosmans").first).to_be_visible()
        expect(page.get_by_text("Casusoverleg januari")).to_be_visible()
        expect(page.get_by_role("table").get_by_text("downloaded")).to_have_count(1)
        page.screenshot(path=f"{SHOTS}/dpo-minutes-copy-{width}.png", full_page=True)
        page.get_by_label("Document number").fill("2026-0004")
        page.get_by_role("button", name="Find the copy").click()
        expect(page.get_by_text("A document number looks like LIVC-7KQ4-M2XA.").first).to_be_visible()
        expect(page.get_by_label("Document number")).to_have_value("2026-0004")
        page.screenshot(path=f"{SHOTS}/dpo-minutes-copy-error-{width}.png", full_page=True)
        context.close()
