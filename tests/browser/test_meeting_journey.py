import io

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from tests.browser.helpers import logged_in_context, meeting_cell
from tests.cases.conftest import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_is_chaired_finalised_and_a_participant_gets_only_their_case(live_server, browser: Browser):
    cast, members = meeting_cell()
    bobs_case = make_case(members, pseudonym="Persoon Eik")
    other = make_case(members, pseudonym="Persoon Beuk", first_name="Bea", last_name="Verborgen")
    from cases.services.seats import seat_participant

    seat_participant(
        member=members["coordinator"], case=bobs_case, participant=members["participant"].participant
    )

    page = logged_in_context(browser, live_server.url, cast.alice).new_page()
    page.goto(f"{live_server.url}/c/alfa/meetings/new/")
    page.get_by_label("Operational table (case consultation)").check()
    page.get_by_label("Title:", exact=True).fill("Casusoverleg december")
    page.get_by_label("Starts at:", exact=True).fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Plan").click()
    expect(page.get_by_text("Meeting planned.")).to_be_visible()
    for case in (bobs_case, other):
        page.get_by_role("combobox", name="Case").select_option(value=str(case.pk))
        page.get_by_role("button", name="Add the case").click()
    page.get_by_role("button", name="Start the meeting").click()

    page.get_by_role("link", name="Agenda", exact=True).click()  # record attendance on the agenda page
    for name in ("Bob Bosmans", "Mira Maes", "Omar Oosterlinck", "Alice Aerts"):
        row = page.locator("tr", has_text=name)
        row.get_by_role("combobox").select_option("present")
        row.get_by_label("secrecy acknowledged in the room").check()
        row.get_by_role("button", name="Save").click()
        expect(page.get_by_text(f"Attendance of {name} saved.")).to_be_visible()

    page.get_by_role("link", name="Chair the meeting").click()
    expect(page.get_by_role("heading", level=2, name="2026-0001 — Persoon Eik")).to_be_visible()
    page.wait_for_load_state("load")  # htmx has set up the autosave
    page.get_by_label("Signals:", exact=True).fill("EIK-NOTULEN: signalen besproken.")
    # Saved by itself 1.5 s after the last keystroke, without pressing Save.
    expect(page.locator("#minutes-status")).to_have_text("Saved.", timeout=15_000)
    page.get_by_label("What is to be done:", exact=True).fill("Gesprek met de school.")
    page.get_by_role("combobox", name="Owner").select_option(label="Bob Bosmans (CLB Alfa)")
    page.get_by_label("Due on:", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("Action recorded.")).to_be_visible()
    page.get_by_role("combobox", name="Decision").select_option("ltf_feedback")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    for row in range(4):  # everyone present agrees, one at a time
        page.locator("article.decision li").nth(row).get_by_role("button", name="Agrees", exact=True).click()
    expect(page.get_by_text("Feedback to the Local Taskforce — Valid")).to_be_visible()

    page.get_by_role("link", name="Persoon Beuk").click()
    # The next item's page, not the one still on screen while it loads (both have "Signals:").
    expect(page.get_by_role("heading", level=2, name="2026-0002 — Persoon Beuk")).to_be_visible()
    page.wait_for_load_state("load")
    page.get_by_label("Signals:", exact=True).fill("BEUK-NOTULEN: niet voor Bob.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("link", name="Agenda", exact=True).click()
    page.get_by_role("button", name="End the meeting").click()
    page.get_by_role("link", name="Finalise the minutes").click()  # a confirmation page first
    page.get_by_role("button", name="Finalise the minutes").click()
    expect(page.get_by_text("The minutes are finalised")).to_be_visible()

    bob = logged_in_context(browser, live_server.url, cast.bob).new_page()
    bob.goto(page.url)
    bob.get_by_role("button", name="Make my PDF").click()
    expect(bob.get_by_role("link", name="Download your PDF")).to_be_visible()
    with bob.expect_download() as download:
        bob.get_by_role("link", name="Download your PDF").click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Bob Bosmans" in text and "EIK-NOTULEN" in text
    assert "BEUK-NOTULEN" not in text and "Persoon Beuk" not in text
