"""Each minutes PDF copy carries a document number of its own on every page, next to its
recipient's name, and each download is logged with it: a leaked copy is traced to its recipient."""

import pytest
from django.urls import reverse

from livc.audit.models import LogEntry
from meetings import minutes_pdf
from meetings.document_numbers import document_number_new, document_number_normalise
from meetings.minutes_pdf import render_minutes
from meetings.models import MinutesDocument
from tests.meetings.conftest import end_and_finalise, write_minutes
from tests.meetings.pdf_margins import NUMBER, assert_every_page_names

pytestmark = pytest.mark.django_db

LONG = "\n".join(f"Regel {number}: wat de tafel besprak en afsprak." for number in range(120))


def url(name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": "alfa", **kwargs})


@pytest.fixture
def finalised(members, running, agenda):
    write_minutes(members, agenda["case_a"], LONG)  # several pages
    write_minutes(members, agenda["topic"], "Planning van het jaar.")
    end_and_finalise(members, running)
    running.refresh_from_db()
    return running


def download(client, meeting, capture):
    with capture(execute=True):
        client.post(url("pdf_request", pk=meeting.pk))
    response = client.get(url("pdf", pk=meeting.pk))
    assert response.status_code == 200
    return response.content


def test_each_recipients_copy_names_them_and_its_own_number_on_every_page(
    cast, as_user, finalised, django_capture_on_commit_callbacks
):
    bobs = download(as_user(cast.bob), finalised, django_capture_on_commit_callbacks)
    alices = download(as_user(cast.alice), finalised, django_capture_on_commit_callbacks)
    bob_number = MinutesDocument.objects.get(recipient=cast.bob).number
    alice_number = MinutesDocument.objects.get(recipient=cast.alice).number
    assert NUMBER.fullmatch(bob_number) and NUMBER.fullmatch(alice_number)
    assert bob_number != alice_number
    assert_every_page_names(bobs, name="Bob Bosmans", number=bob_number, min_pages=2)
    assert_every_page_names(alices, name="Alice Aerts", number=alice_number, min_pages=2)


def test_each_download_is_logged_with_the_copys_number_and_nothing_else(
    cast, as_user, finalised, django_capture_on_commit_callbacks
):
    client = as_user(cast.bob)
    download(client, finalised, django_capture_on_commit_callbacks)
    assert client.get(url("pdf", pk=finalised.pk)).status_code == 200  # a second download
    number = MinutesDocument.objects.get(recipient=cast.bob).number
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, access_kind="download")
    assert [(e.actor, e.object_pk) for e in entries] == [(cast.bob, str(finalised.pk))] * 2
    assert all(e.additional_data == {"view": "meetings:pdf", "document": number} for e in entries)


def test_making_the_copy_again_gives_it_a_new_number_and_the_log_keeps_the_old_one(
    cast, as_user, finalised, django_capture_on_commit_callbacks
):
    client = as_user(cast.bob)
    first = download(client, finalised, django_capture_on_commit_callbacks)
    old = MinutesDocument.objects.get(recipient=cast.bob).number
    second = download(client, finalised, django_capture_on_commit_callbacks)
    new = MinutesDocument.objects.get(recipient=cast.bob).number
    assert old != new
    assert_every_page_names(first, name="Bob Bosmans", number=old)
    assert_every_page_names(second, name="Bob Bosmans", number=new)
    logged = LogEntry.objects.filter(access_kind="download").order_by("timestamp", "id")
    assert [entry.additional_data["document"] for entry in logged] == [old, new]


def test_the_page_check_fails_when_one_page_lacks_the_margin(members, running, agenda, monkeypatch, tmp_path):
    """The check reads each page's margin: a copy whose second page lost the recipient's margin
    box fails it, though the name and number still stand on the other pages (and the name in the
    first page's body)."""
    write_minutes(members, agenda["case_a"], LONG)
    pdf = render_minutes(running, members["participant"], number="LIVC-7KQ4-M2XA")
    assert_every_page_names(pdf, name="Bob Bosmans", number="LIVC-7KQ4-M2XA", min_pages=2)
    template = (minutes_pdf.TEMPLATE_DIR / minutes_pdf.TEMPLATE).read_text()
    header = "text(size: 8pt)[#data.recipient #linebreak() #box(text(tracking: 0.03em)[#data.number])],"
    assert header in template
    stripped = template.replace(header, "context if here().page() == 2 { [] } else { " + header[:-1] + " },")
    (tmp_path / minutes_pdf.TEMPLATE).write_text(stripped)
    monkeypatch.setattr(minutes_pdf, "TEMPLATE_DIR", tmp_path)
    pdf = render_minutes(running, members["participant"], number="LIVC-7KQ4-M2XA")
    with pytest.raises(AssertionError, match="page 2 lacks the name"):
        assert_every_page_names(pdf, name="Bob Bosmans", number="LIVC-7KQ4-M2XA", min_pages=2)


def test_numbers_are_random_not_a_sequence():
    numbers = {document_number_new() for _ in range(500)}
    assert len(numbers) == 500
    assert all(NUMBER.fullmatch(number) for number in numbers)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("LIVC-7KQ4-M2XA", "LIVC-7KQ4-M2XA"),
        (" livc 7kq4 m2xa ", "LIVC-7KQ4-M2XA"),
        ("livc7kq4m2xa", "LIVC-7KQ4-M2XA"),
        ("7KQ4M2XA", None),  # the prefix is printed: a bare code may be anything else
        ("LIVC\u20137KQ4\u2013M2XA", "LIVC-7KQ4-M2XA"),  # en dashes, as a PDF viewer may copy them
        ("LIVC-OKQ4-M2XA", "LIVC-0KQ4-M2XA"),  # O read as 0
        ("LIVC-7KQ4-M2XU", None),  # no U in the alphabet
        ("LIVC-7KQ4", None),
        ("2026-0004", None),  # a case reference
        ("", None),
    ],
)
def test_a_typed_number_is_read_leniently_or_refused(typed, stored):
    assert document_number_normalise(typed) == stored
