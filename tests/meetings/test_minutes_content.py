"""The complete minutes, on the page and in the PDF: attendance, the minutes of each item, the
decisions with who agreed, the follow-up actions; each reader only their items (rules 6, 8, 12)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from meetings.minutes_pdf import render_minutes
from meetings.selectors import minutes_content
from meetings.services import actions as action_services
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, UserFactory
from tests.meetings.conftest import write_minutes
from tests.meetings.pdf_margins import assert_every_page_names

pytestmark = pytest.mark.django_db

ODD_NAME = 'Ann D\'Hondt-Ünal "Test" \\ <b>'
FONT = r"/[A-Z]{6}\+DejaVu-?Sans(-Bold|-Oblique|-BoldOblique)?"  # subset prefix + a DejaVu Sans face
DUE = timezone.localdate() + datetime.timedelta(days=14)
NUMBER = "LIVC-7KQ4-M2XA"


def url(name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": "alfa", **kwargs})


@pytest.fixture
def excused(cast, members, running):
    """A fifth participant of cell A, excused for this meeting."""
    user = UserFactory(email="eva@example.test", name="Eva Excuus")
    membership = MembershipFactory(cell=cast.cell_a, user=user)
    participant = ParticipantFactory(
        membership=membership, organisation=OrganisationFactory(cell=cast.cell_a, name="OCMW Alfa")
    )
    meeting_services.attendance_record(
        member=members["coordinator"], meeting=running, participant=participant, status="excused"
    )
    return participant


@pytest.fixture
def complete(members, seats, running, agenda, excused):
    """Minutes, decisions and actions on both case items; the mayor disagrees with the feedback."""
    coordinator = members["coordinator"]
    write_minutes(members, agenda["case_a"], "Bespreking EIK-GEHEIM.")
    write_minutes(members, agenda["other"], "Bespreking BEUK-GEHEIM.")
    meeting_services.minutes_save(
        member=coordinator, item=agenda["topic"], version=0, agreements="Planning van het jaar."
    )
    feedback = decision_services.decision_record(
        member=coordinator, item=agenda["case_a"], kind="ltf_feedback", text="EIK-TERUGKOPPELING"
    )
    for name, agrees in (("participant", True), ("coordinator", True), ("officer", True), ("mayor", False)):
        decision_services.agreement_record(
            member=coordinator, decision=feedback, participant=seats[name], agrees=agrees
        )
    informing = decision_services.decision_record(
        member=coordinator, item=agenda["case_a"], kind="inform_subject"
    )
    decision_services.officer_objection(member=members["officer"], decision=informing, objects=True)
    decision_services.decision_record(
        member=coordinator, item=agenda["other"], kind="follow_up_plan", text="BEUK-BESLUIT"
    )
    action_services.action_create(member=coordinator, case=agenda["case_a"].case, item=agenda["case_a"],
                                  description="EIK-ACTIE: gesprek met de school", owner=seats["participant"],
                                  due_on=DUE)  # fmt: skip
    action_services.action_create(member=coordinator, case=agenda["other"].case, item=agenda["other"],
                                  description="BEUK-ACTIE", owner=seats["officer"], due_on=DUE)  # fmt: skip
    meeting_services.meeting_advance(member=coordinator, meeting=running)  # held
    meeting_services.meeting_finalise(member=coordinator, meeting=running)
    running.refresh_from_db()
    return running


def normalised(text):
    return re.sub(r"\s+", " ", text)


def pdf_pages(pdf):
    return [normalised(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def assert_complete(text, due):
    # attendance, with organisation, present / excused
    assert re.search(r"Alice Aerts\W+Gemeente Alfa\W+Present", text)
    assert re.search(r"Bob Bosmans\W+CLB Alfa\W+Present", text)
    assert re.search(r"Eva Excuus\W+OCMW Alfa\W+Excused", text)
    # the item's minutes, its decisions with who agreed and who did not
    assert "EIK-GEHEIM" in text and "Planning van het jaar." in text
    assert "Feedback to the Local Taskforce — Refused" in text and "EIK-TERUGKOPPELING" in text
    assert re.search(
        r"Agreed: Alice Aerts \(Gemeente Alfa\), Bob Bosmans \(CLB Alfa\), Omar Oosterlinck", text
    )
    assert "Did not agree: Mira Maes (Gemeente Alfa)" in text
    assert "Inform the person — Refused" in text
    assert "The information officer objects (secrecy of an investigation)." in text
    # the action, with owner, organisation and due date
    assert re.search(
        rf"EIK-ACTIE: gesprek met de school\W+Bob Bosmans\W+CLB Alfa\W+{re.escape(due)}\W+Open", text
    )


def web_text(client, meeting):
    response = client.get(url("minutes", pk=meeting.pk))
    assert response.status_code == 200
    html = response.content.decode()
    return normalised(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"'))


def test_the_web_minutes_show_attendance_decisions_with_who_agreed_and_actions(cast, as_user, complete):
    text = web_text(as_user(cast.alice), complete)
    assert_complete(text, formats.date_format(DUE, "SHORT_DATE_FORMAT"))
    assert "BEUK-GEHEIM" in text and "BEUK-BESLUIT" in text and "BEUK-ACTIE" in text


def test_the_pdf_shows_attendance_decisions_with_who_agreed_and_actions(members, complete):
    pages = pdf_pages(render_minutes(complete, members["coordinator"], number=NUMBER))
    assert_complete(" ".join(pages), formats.date_format(DUE, "SHORT_DATE_FORMAT"))
    assert "BEUK-BESLUIT" in " ".join(pages)


def test_a_reader_not_at_a_cases_table_sees_nothing_of_its_item_on_the_page(cast, as_user, complete):
    text = web_text(as_user(cast.bob), complete)
    assert_complete(text, formats.date_format(DUE, "SHORT_DATE_FORMAT"))
    for secret in ("BEUK-GEHEIM", "BEUK-BESLUIT", "BEUK-ACTIE", "Persoon Beuk", "Follow-up plan"):
        assert secret not in text


def test_a_reader_not_at_a_cases_table_sees_nothing_of_its_item_in_the_pdf(members, complete):
    text = " ".join(pdf_pages(render_minutes(complete, members["participant"], number=NUMBER)))
    assert_complete(text, formats.date_format(DUE, "SHORT_DATE_FORMAT"))
    for secret in ("BEUK-GEHEIM", "BEUK-BESLUIT", "BEUK-ACTIE", "Persoon Beuk", "Follow-up plan"):
        assert secret not in text


def test_the_attendance_lists_only_the_readers_items_by_their_own_numbers(members, seats, complete, agenda):
    everything = minutes_content(member=members["coordinator"], meeting=complete)
    own = minutes_content(member=members["participant"], meeting=complete)
    assert [row.item for row in own.items] == [agenda["case_a"], agenda["topic"]]
    officer = lambda content: next(row for row in content.attendance if row.participant == seats["officer"])
    assert officer(everything).item_numbers == [1, 2, 3]
    assert officer(own).item_numbers == [1, 2]  # case_a and the topic, as bob numbers them
    assert {row.participant for row in own.attendance} == {row.participant for row in everything.attendance}
    assert [row.attendance.status for row in own.attendance][-1] == "excused"


def test_every_page_of_a_long_pdf_names_the_recipient_the_copy_and_the_cell(cast, members, running, agenda):
    cast.bob.name = ODD_NAME
    cast.bob.save(update_fields=["name"])
    long_text = "\n".join(f"Regel {number}: wat de tafel besprak en afsprak." for number in range(160))
    write_minutes(members, agenda["case_a"], long_text)
    members["participant"].user.refresh_from_db()
    pdf = render_minutes(running, members["participant"], number=NUMBER)
    pages = assert_every_page_names(pdf, name=ODD_NAME, number=NUMBER, min_pages=3)  # page by page
    for page in pages:
        assert "LIVC-R Alfa" in page.top_margin and "458ter" in page.text
        assert "u002D" not in page.text and "\\u" not in page.text and "\\0027" not in page.text


def test_the_pdf_is_tagged_with_title_and_language(members, complete):
    reader = PdfReader(io.BytesIO(render_minutes(complete, members["participant"], number=NUMBER)))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"  # the recipient's language
    assert reader.metadata.title == "Minutes: Casusoverleg november · LIVC-R Alfa"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)


def page_fonts(pdf):
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_pdf_uses_one_font_family_header_and_footer_included(members, complete):
    fonts = page_fonts(render_minutes(complete, members["coordinator"], number=NUMBER))
    assert fonts and all(re.fullmatch(FONT, f) for f in fonts), fonts


def test_the_dpo_pdfs_are_tagged_and_in_the_same_font(cast, as_user):
    response = as_user(cast.dpo).get(reverse("audit:people_pdf", kwargs={"cell_slug": "alfa"}))
    assert response.status_code == 200
    catalog = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert (
        catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
        and "/StructTreeRoot" in catalog
        and catalog["/Lang"]
    )
    fonts = page_fonts(response.content)
    assert fonts and all(re.fullmatch(FONT, f) for f in fonts), fonts
