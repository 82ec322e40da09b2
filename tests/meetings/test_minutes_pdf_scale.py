"""The minutes PDF of a big meeting (issue 14): every item for the coordinator, only her cases'
items for a participant, and a render whose number of queries does not grow with the items."""

import io
import re

import pytest
from pypdf import PdfReader

from meetings.minutes_pdf import render_minutes, render_phases
from tests.meetings.big_meeting import big_meeting, item_marker

pytestmark = pytest.mark.django_db

NUMBER = "LIVC-7KQ4-M2XA"
FIELDS = "SAG"  # signals, assessment, agreements


def pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def heading(number: int, index: int, n_items: int) -> str:
    """An item's title as the PDF prints it: the reader's number, the case's reference and pseudonym."""
    return f"{number}. {n_items:03d}-{index + 1:04d} — Persoon {index:03d}"


@pytest.fixture
def cell_meets(rules, acknowledged_again):
    """Rules of procedure in force, acknowledged by everyone: the cell may meet."""


@pytest.fixture
def hundred(members, seats, cell_meets):
    return big_meeting(members, seats, 100)


def test_the_coordinators_pdf_of_100_items_holds_every_items_title_and_texts(members, hundred):
    meeting, _bobs = hundred
    text = pdf_text(render_minutes(meeting, members["coordinator"], number=NUMBER))
    for index in range(100):
        assert heading(index + 1, index, 100) in text
        for field in FIELDS:
            assert item_marker(index, field) in text
        if index % 5 == 0:
            assert f"Besluit {index} " in text
        if index % 4 == 0:
            assert f"Actie {index} " in text


def test_a_participants_pdf_of_100_items_holds_her_cases_items_and_nothing_of_the_others(members, hundred):
    meeting, bobs = hundred
    text = pdf_text(render_minutes(meeting, members["participant"], number=NUMBER))
    for number, index in enumerate(bobs, start=1):
        assert heading(number, index, 100) in text
        for field in FIELDS:
            assert item_marker(index, field) in text
    for index in set(range(100)) - set(bobs):
        assert f"Persoon {index:03d}" not in text
        assert f"MARK{index:03d}" not in text
        assert f"Besluit {index} " not in text
        assert f"Actie {index} " not in text


@pytest.mark.parametrize("who", ["coordinator", "participant"])
def test_the_renders_queries_do_not_grow_with_the_items(members, seats, cell_meets, who):
    small, _ = big_meeting(members, seats, 10)
    large, _ = big_meeting(members, seats, 40)
    few = render_phases(small, members[who])
    many = render_phases(large, members[who])
    assert many["items"] > few["items"] > 0
    assert many["queries"] == few["queries"]
    for phase in ("query", "template", "layout", "total"):
        assert many[phase] > 0
    assert many["write"] == 0  # Typst lays out and writes the file in one call (ADR 9)
    assert many["pages"] > few["pages"]
