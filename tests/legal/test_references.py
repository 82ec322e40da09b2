"""The law named on screens and in PDFs (`livc/legal.py::references`): every cell page's footer,
the minutes PDF and the statistics annual report name the instruments the cell works under. A
"federal law only" cell names the federal law and never the Flemish decree, in any of the four
languages; a Flemish cell names the decree as before. A German-speaking recipient reads both PDFs
in German, with Belgian German dates."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from livc import legal
from livc.cells.models import Cell
from livc.legal import LegalFramework
from meetings.minutes_pdf import render_minutes
from meetings.services import actions as action_services
from meetings.services import decisions as decision_services
from participants.rules import acknowledgement_record
from tests.cases.conftest import case_a, members, other_case, seats
from tests.factories import MembershipFactory
from tests.meetings.conftest import acknowledged_again, agenda, meeting, rules, running, write_minutes
from tests.retention.conftest import BRUSSELS

__all__ = [
    "acknowledged_again",
    "agenda",
    "case_a",
    "meeting",
    "members",
    "other_case",
    "rules",
    "running",
    "seats",
]

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "fr", "en", "de")
# The decree, or Flanders, in any of the four languages.
DECREE = re.compile(r"decree|decreet|d[ée]cret|dekret|flemish|vlaams|flamand|fl[äa]misch", re.IGNORECASE)
CELL_PAGES = ["cells:home", "cases:list", "meetings:list", "participants:rules", "participants:participants"]
NUMBER = "LIVC-7KQ4-M2XA"
TODAY = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=BRUSSELS)


def make_federal(cell: Cell) -> Cell:
    Cell.objects.filter(pk=cell.pk).update(legal_framework=LegalFramework.FEDERAL)
    cell.refresh_from_db()
    return cell


def acknowledge(cell: Cell, *users) -> None:
    """The secrecy statement of the cell's framework, acknowledged: the pages open."""
    for user in users:
        acknowledgement_record(cell=cell, user=user)


def speak(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def framework_line(cell: Cell, language: str) -> str:
    with translation.override(language):
        return collapsed(str(legal.references(cell).framework))


def collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def footer_of(html: str) -> str:
    found = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.DOTALL)
    assert found, "the page has no footer"
    return collapsed(re.sub(r"<[^>]+>", " ", found.group(1)))


def pdf_text(pdf: bytes) -> str:
    return collapsed(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def minutes_text(meeting, member, language: str) -> str:
    speak(member.user, language)
    member.user.refresh_from_db()
    return pdf_text(render_minutes(meeting, member, number=NUMBER))


def statistics_pdf(client) -> bytes:
    url = reverse("statistics:pdf", kwargs={"cell_slug": "alfa"})
    response = client.get(f"{url}?year={datetime.date.today().year}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


# --- Every cell page's footer ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_federal_cells_pages_name_the_federal_law_and_not_the_decree(cast, as_user, rules, language):
    cell = make_federal(cast.cell_a)
    acknowledge(cell, cast.alice)
    speak(cast.alice, language)
    client = as_user(cast.alice)
    expected = framework_line(cell, language)
    assert "2018" in expected and "458ter" in expected
    for name in CELL_PAGES:
        response = client.get(reverse(name, kwargs={"cell_slug": "alfa"}))
        assert response.status_code == 200, name
        footer = footer_of(response.content.decode())
        assert expected in footer, (name, footer)
        assert not DECREE.search(footer), (name, footer)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_flemish_cells_pages_name_the_decree_as_before(cast, as_user, rules, language):
    acknowledge(cast.cell_a, cast.alice)
    speak(cast.alice, language)
    client = as_user(cast.alice)
    expected = framework_line(cast.cell_a, language)
    assert DECREE.search(expected)
    for name in CELL_PAGES:
        footer = footer_of(client.get(reverse(name, kwargs={"cell_slug": "alfa"})).content.decode())
        assert expected in footer and "458ter" in footer, (name, footer)


def test_the_footer_follows_each_cells_own_framework(cast, as_user):
    """A member of two cells reads each cell's own law under its pages."""
    make_federal(cast.cell_b)
    MembershipFactory(cell=cast.cell_b, user=cast.alice, coordinator=True)
    client = as_user(cast.alice)
    flemish = footer_of(client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).content.decode())
    federal = footer_of(client.get(reverse("cells:home", kwargs={"cell_slug": "bravo"})).content.decode())
    assert DECREE.search(flemish) and not DECREE.search(federal)


# --- The minutes PDF ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_federal_cells_minutes_name_the_federal_law_and_not_the_decree(
    cast, members, running, agenda, language
):
    make_federal(cast.cell_a)
    running.refresh_from_db()
    write_minutes(members, agenda["case_a"], "Bespreking.")
    text = minutes_text(running, members["participant"], language)
    assert framework_line(cast.cell_a, language) in text, text
    assert not DECREE.search(text), DECREE.search(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_flemish_cells_minutes_name_the_decree_as_before(cast, members, running, agenda, language):
    write_minutes(members, agenda["case_a"], "Bespreking.")
    text = minutes_text(running, members["participant"], language)
    expected = framework_line(cast.cell_a, language)
    assert DECREE.search(expected) and expected in text, text


def test_every_page_of_the_minutes_names_the_law_in_its_footer(cast, members, running, agenda):
    make_federal(cast.cell_a)
    running.refresh_from_db()
    write_minutes(
        members, agenda["case_a"], "\n".join(f"Regel {n} van een lang verslag." for n in range(160))
    )
    reader = PdfReader(io.BytesIO(render_minutes(running, members["coordinator"], number=NUMBER)))
    assert len(reader.pages) > 1
    expected = framework_line(cast.cell_a, "en")
    for page in reader.pages:
        assert expected in collapsed(page.extract_text())


# --- The statistics annual report ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_federal_cells_annual_report_names_the_federal_law_and_not_the_decree(cast, as_user, language):
    cell = make_federal(cast.cell_a)
    speak(cast.alice, language)
    text = pdf_text(statistics_pdf(as_user(cast.alice)))
    assert framework_line(cell, language) in text, text
    assert not DECREE.search(text), DECREE.search(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_flemish_cells_annual_report_names_the_decree_as_before(cast, as_user, language):
    speak(cast.alice, language)
    text = pdf_text(statistics_pdf(as_user(cast.alice)))
    expected = framework_line(cast.cell_a, language)
    assert DECREE.search(expected) and expected in text, text


# --- German PDFs ---------------------------------------------------------------------------------------


@pytest.fixture
def seventh_of_december(time_machine):
    time_machine.move_to(TODAY, tick=False)
    return time_machine


def test_a_german_recipient_reads_the_minutes_in_german(
    seventh_of_december, cast, members, seats, running, agenda
):
    coordinator = members["coordinator"]
    write_minutes(members, agenda["case_a"], "Besprechung.")
    decision_services.decision_record(
        member=coordinator, item=agenda["case_a"], kind="follow_up_plan", text="Plan."
    )
    action_services.action_create(member=coordinator, case=agenda["case_a"].case, description="Anrufen.",
                                  owner=seats["participant"], due_on=datetime.date(2026, 12, 21),
                                  item=agenda["case_a"])  # fmt: skip
    speak(cast.bob, "de")
    members["participant"].user.refresh_from_db()
    pdf = render_minutes(running, members["participant"], number=NUMBER)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "de"  # Typst hyphenates German words
    text = pdf_text(pdf)
    for label in (
        "Protokoll: Casusoverleg november",
        "Nur für Bob Bosmans",
        f"Dokument Nr. {NUMBER}",
        "Anwesenheit",
        "Signale",
        "7. Dezember 2026",  # when the meeting began, and when this copy was made
        "21.12.2026",  # the action's due date
    ):
        assert label in text, (label, text)
    assert "December" not in text and "december" not in text


def test_a_german_reader_reads_the_annual_report_in_german(seventh_of_december, cast, as_user):
    speak(cast.alice, "de")
    reader = PdfReader(io.BytesIO(statistics_pdf(as_user(cast.alice))))
    assert reader.trailer["/Root"]["/Lang"] == "de"
    first = collapsed(reader.pages[0].extract_text())
    for label in ("JAHRESBERICHT", "Statistik 2026", "Erstellt am", "7. Dezember 2026"):  # kicker in capitals
        assert label in first, (label, first)
