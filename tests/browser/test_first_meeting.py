"""The coordinator's first whole meeting in Chromium, from planning it to the minutes PDF, and
what a person sees on the way: every button readable, dates filled in, nothing typed lost."""

import datetime
import io
import os
import re

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

from cases.services.seats import seat_participant
from meetings.models import AgendaItem, Meeting, MinutesDocument
from tests.browser.helpers import logged_in_context, meeting_cell
from tests.cases.conftest import make_case
from tests.meetings.pdf_margins import assert_every_page_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRESENT = ("Bob Bosmans", "Mira Maes", "Omar Oosterlinck", "Alice Aerts")
AGREEMENT_TEXT = "EIK-AFSPRAAK: de school volgt op en belt de ouders."
TOPIC_TEXT = "TOPIC-NOTULEN: infosessie voor de scholen in het voorjaar."
LONG_SIGNALS = "\n".join(f"BEUK-SIGNAAL {n}: besproken aan tafel, zonder nieuwe feiten." for n in range(90))

# The colour of the text and of what is behind it, whichever ancestor paints the background.
COLOURS = """element => {
  const style = getComputedStyle(element);
  let node = element, background = "rgba(0, 0, 0, 0)";
  while (node && node.nodeType === 1) {
    const paint = getComputedStyle(node).backgroundColor;
    if (paint && paint !== "rgba(0, 0, 0, 0)" && paint !== "transparent") { background = paint; break; }
    node = node.parentElement;
  }
  if (background === "rgba(0, 0, 0, 0)") background = "rgb(255, 255, 255)";
  return [style.color, background, style.visibility, style.opacity];
}"""


def readable(button: Locator) -> None:
    """Shown, and its words in another colour than what is behind them."""
    expect(button).to_be_visible()
    assert button.is_visible()
    colour, background, visibility, opacity = button.evaluate(COLOURS)
    assert visibility == "visible" and float(opacity) > 0.5, button
    assert colour != background, (button, colour, background)


def every_button_readable(page: Page) -> None:
    buttons = page.locator("main button, main a.button, main input[type=submit]")
    for index in range(buttons.count()):
        if buttons.nth(index).is_visible():
            readable(buttons.nth(index))


def shoot(page: Page, name: str) -> None:
    """Desktop and phone width, to look at; in test-results/ unless LIVC_SCREENSHOTS names a folder."""
    folder = os.environ.get("LIVC_SCREENSHOTS", "test-results")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/first-meeting-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def click(page: Page, name: str, **kwargs: object) -> None:
    button = page.get_by_role("button", name=name, **kwargs)  # type: ignore[arg-type]
    readable(button)
    button.click()


def test_a_coordinators_first_meeting_from_planning_to_the_pdf(live_server, browser: Browser):
    cast, members = meeting_cell()
    eik = make_case(members, pseudonym="Persoon Eik")
    beuk = make_case(members, pseudonym="Persoon Beuk", first_name="Bea", last_name="Verborgen")
    seat_participant(member=members["coordinator"], case=eik, participant=members["participant"].participant)
    base = f"{live_server.url}/c/alfa"
    page = logged_in_context(browser, live_server.url, cast.alice).new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text} at {message.location}")
            if message.type == "error"
            else None
        ),
    )

    # --- Plan it: for tomorrow, then correct its title; starting today asks first. ---
    page.goto(f"{base}/meetings/new/")
    page.get_by_label("Operational table (case consultation)").check()
    page.get_by_label("Title:", exact=True).fill("Casusoverleg")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Starts at:", exact=True).fill(f"{tomorrow.isoformat()}T14:00")
    click(page, "Plan")
    expect(page.get_by_text("Meeting planned.")).to_be_visible()
    page.get_by_role("link", name="Change date, title or location").click()
    expect(page.get_by_label("Starts at:", exact=True)).to_have_value(f"{tomorrow.isoformat()}T14:00")
    page.get_by_label("Title:", exact=True).fill("Casusoverleg december")
    click(page, "Save the changes")
    expect(page.get_by_text("Meeting changed.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Casusoverleg december")).to_be_visible()

    # --- The agenda: cases, a topic, reordered; every change confirmed. ---
    case_select = page.get_by_role("combobox", name="Case")
    expect(case_select.locator("option").first).to_have_text("Choose…")
    for case in (eik, beuk):
        page.get_by_role("combobox", name="Case").select_option(value=str(case.pk))
        click(page, "Add the case")
        expect(page.get_by_text(f"Case {case.reference} added to the agenda.")).to_be_visible()
    expect(page.get_by_text("Every open case is already on this agenda.")).to_be_visible()
    page.get_by_label("Topic:", exact=True).fill("Jaarplanning scholen")
    click(page, "Add the topic")
    expect(page.get_by_text("Topic added to the agenda.")).to_be_visible()
    page.locator("ol.agenda li", has_text="Jaarplanning scholen").get_by_role(
        "button", name="Move up"
    ).click()
    expect(page.get_by_text("Item moved up.")).to_be_visible()
    expect(page.locator("ol.agenda > li")).to_have_text([re.compile("Persoon Eik"), re.compile("Jaarplanning"),
                                                         re.compile("Persoon Beuk")])  # fmt: skip
    every_button_readable(page)
    shoot(page, "agenda")

    page.get_by_role("link", name="Start the meeting").click()
    expect(page.get_by_role("heading", name="Start the meeting on another day?")).to_be_visible()
    every_button_readable(page)
    shoot(page, "start-confirmation")
    click(page, "Yes, start it today")
    expect(page.get_by_text("The meeting has started.")).to_be_visible()
    meeting = Meeting.objects.get(title="Casusoverleg december")
    assert timezone.localtime(meeting.starts_at).date() == timezone.localdate()
    with translation.override("en"):
        started = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    expect(page.locator("main header").first).to_contain_text(started)  # the real start, not the planned one

    # --- Attendance, every select opening on "Choose…". ---
    for name in PRESENT:
        row = page.locator("tr", has_text=name)
        expect(row.get_by_role("combobox").locator("option:checked")).to_have_text("Choose…")
        row.get_by_role("combobox").select_option("present")
        row.get_by_label("secrecy acknowledged in the room").check()
        readable(row.get_by_role("button", name="Save"))
        row.get_by_role("button", name="Save").click()
        expect(page.get_by_text(f"Attendance of {name} saved.")).to_be_visible()
    expect(page.get_by_role("button", name="Finalise the minutes")).to_have_count(0)  # not while it runs
    expect(page.get_by_role("link", name="Finalise the minutes")).to_have_count(0)
    readable(page.get_by_role("button", name="End the meeting"))

    # --- Chair it. Typed, then at once "Record the decision": the text is saved first. ---
    page.get_by_role("link", name="Chair the meeting").click()
    expect(page.get_by_role("heading", level=2, name=f"{eik.reference} — Persoon Eik")).to_be_visible()
    page.wait_for_load_state("load")
    expect(page.get_by_role("combobox", name="Decision").locator("option:checked")).to_have_text("Choose…")
    expect(page.get_by_role("combobox", name="Owner").locator("option:checked")).to_have_text("Choose…")
    due = timezone.localdate() + datetime.timedelta(days=14)
    expect(page.get_by_label("Due on:", exact=True)).to_have_value(due.isoformat())  # pre-filled
    every_button_readable(page)
    page.get_by_label("Agreements:", exact=True).fill(AGREEMENT_TEXT)
    page.get_by_role("combobox", name="Decision").select_option("ltf_feedback")
    page.get_by_role("button", name="Record the decision").click()  # well within the 1.5 s of the autosave
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.get_by_label("Agreements:", exact=True)).to_have_value(AGREEMENT_TEXT)
    assert AgendaItem.objects.get(meeting=meeting, case=eik).agreements == AGREEMENT_TEXT
    for row in range(len(PRESENT)):  # everyone present agrees, one at a time
        agrees = page.locator("article.decision li").nth(row).get_by_role("button", name="Agrees", exact=True)
        readable(agrees)
        agrees.click()
    expect(page.get_by_text("Feedback to the Local Taskforce — Valid")).to_be_visible()

    page.get_by_label("What is to be done:", exact=True).fill("Gesprek met de school plannen.")
    page.get_by_role("combobox", name="Owner").select_option(label="Bob Bosmans (CLB Alfa)")
    expect(page.get_by_label("Due on:", exact=True)).to_have_value(due.isoformat())
    click(page, "Record the action")
    expect(page.get_by_text("Action recorded.")).to_be_visible()
    with translation.override("en"):
        expect(page.get_by_text(f"due {formats.date_format(due, 'DATE_FORMAT')}")).to_be_visible()
    shoot(page, "chairing")

    # --- The topic has one "Minutes" field; typed, then at once the next item: saved first. ---
    page.locator(".run__agenda").get_by_role("link", name="Jaarplanning scholen").click()
    expect(page.get_by_role("heading", level=2, name="Jaarplanning scholen")).to_be_visible()
    expect(page.get_by_label("Signals:", exact=True)).to_have_count(0)
    page.get_by_label("Minutes:", exact=True).fill(TOPIC_TEXT)
    page.locator(".run__agenda").get_by_role("link", name="Persoon Beuk").click()
    expect(page.get_by_role("heading", level=2, name=f"{beuk.reference} — Persoon Beuk")).to_be_visible()
    assert AgendaItem.objects.get(meeting=meeting, kind="topic").agreements == TOPIC_TEXT

    # --- Leaving with unsaved text asks first. ---
    page.get_by_label("Signals:", exact=True).fill(LONG_SIGNALS)
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert not page.is_closed()
    # Then the coordinator goes to the agenda: the minutes are saved on the way.
    page.get_by_role("link", name="Agenda", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Agenda")).to_be_visible()
    assert AgendaItem.objects.get(meeting=meeting, case=beuk).signals.replace("\r\n", "\n") == LONG_SIGNALS

    # --- End, confirm, finalise. ---
    click(page, "End the meeting")
    expect(page.get_by_text("The meeting has ended.")).to_be_visible()
    finalise = page.get_by_role("link", name="Finalise the minutes")
    readable(finalise)
    finalise.click()
    expect(page.get_by_role("heading", name="Finalise the minutes?")).to_be_visible()
    expect(page.get_by_text("the minutes of the 3 agenda items become read-only;")).to_be_visible()
    every_button_readable(page)
    shoot(page, "finalise-confirmation")
    click(page, "Finalise the minutes")
    expect(page.get_by_text("The minutes are finalised and read-only")).to_be_visible()
    expect(page.locator("main form.attendance-form")).to_have_count(0)
    expect(page.locator("main textarea")).to_have_count(0)
    shoot(page, "finalised")
    page.goto(f"{base}/meetings/{meeting.pk}/run/")
    expect(page.get_by_text("The minutes were finalised on")).to_be_visible()
    expect(page.locator("main textarea")).to_have_count(0)
    expect(page.get_by_text(AGREEMENT_TEXT)).to_be_visible()
    shoot(page, "run-finalised")
    eik.refresh_from_db()
    assert eik.last_discussed_on == timezone.localdate()

    # --- The minutes PDF: attendance, decisions with who agreed, actions, the name on every page. ---
    page.get_by_role("link", name="Agenda", exact=True).click()
    click(page, "Make my PDF")
    download_link = page.get_by_role("link", name="Download your PDF")
    readable(download_link)
    with page.expect_download() as download:
        download_link.click()
    pdf_bytes = download.value.path().read_bytes()
    pdf = PdfReader(io.BytesIO(pdf_bytes))
    pages = [each.extract_text() for each in pdf.pages]
    text = "\n".join(pages)
    assert AGREEMENT_TEXT in text and TOPIC_TEXT in text and "BEUK-SIGNAAL 89" in text  # nothing lost
    # Page by page, in the margin: the recipient's name and the copy's document number.
    number = MinutesDocument.objects.get(meeting=meeting, recipient=cast.alice).number
    assert_every_page_names(pdf_bytes, name="Alice Aerts", number=number, min_pages=2)
    with translation.override(cast.alice.language):
        due_texts = {formats.date_format(due, "DATE_FORMAT"), formats.date_format(due, "SHORT_DATE_FORMAT")}
    for name in PRESENT:
        assert name in text, f"attendance: {name}"
    flat = " ".join(text.split())
    assert re.search(r"Feedback to the Local Taskforce|Terugkoppeling", flat), "the decision"
    decision_part = flat[flat.find("Feedback to the Local Taskforce") :]
    assert all(name in decision_part for name in PRESENT), "who agreed with the decision"
    assert "Gesprek met de school plannen." in flat, "the action"
    action_part = flat[flat.find("Gesprek met de school plannen.") - 300 :][:600]
    assert "Bob Bosmans" in action_part, "the action's owner"
    assert any(due_text in action_part for due_text in due_texts), "the action's due date"
    assert errors == []
