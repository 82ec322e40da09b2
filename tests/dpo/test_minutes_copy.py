"""Whose copy is this: from the document number printed on a minutes PDF, the cell's DPO finds
its recipient, its meeting, when it was made and every download; nobody else finds anything."""

import datetime

import pytest
from django.urls import reverse
from django.utils import dateformat, formats, timezone

from livc.audit.models import LogEntry
from meetings.models import MinutesDocument
from tests.audit.conftest import console
from tests.meetings.conftest import acknowledged_again, agenda, end_and_finalise, meeting, rules, running  # noqa: F401  fixtures
from tests.retention.conftest import KEEP_UNTIL, case_a, clock, other_case, purge_on, scenario  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db


def meetings_url(name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def lookup(client, number, cell_slug="alfa"):
    return client.get(console("minutes_copy", cell_slug=cell_slug), {"number": number})


@pytest.fixture
def finalised(members, running, agenda):  # noqa: F811
    end_and_finalise(members, running)
    running.refresh_from_db()
    return running


@pytest.fixture
def bobs_copy(cast, as_user, finalised, django_capture_on_commit_callbacks):
    """Bob makes his PDF and downloads it twice; alice makes and downloads hers."""
    for user, downloads in ((cast.bob, 2), (cast.alice, 1)):
        client = as_user(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(meetings_url("pdf_request", pk=finalised.pk))
        for _ in range(downloads):
            assert client.get(meetings_url("pdf", pk=finalised.pk)).status_code == 200
    return MinutesDocument.objects.get(recipient=cast.bob)


def moment(entry):
    return dateformat.format(timezone.localtime(entry.timestamp), "c")


def test_the_dpo_finds_the_recipient_the_meeting_and_each_download_from_the_number(cast, as_user, bobs_copy):
    typed = bobs_copy.number.lower().replace("-", " ")  # as read aloud or retyped
    response = lookup(as_user(cast.dpo), typed)
    content = response.content.decode()
    assert response.status_code == 200
    assert f"Copy {bobs_copy.number}" in content
    assert "Bob Bosmans" in content and "Casusoverleg november" in content
    assert formats.date_format(timezone.localtime(bobs_copy.ready_at), "DATETIME_FORMAT") in content
    downloads = LogEntry.objects.filter(access_kind="download", additional_data__document=bobs_copy.number)
    assert downloads.count() == 2
    for entry in downloads:
        assert f'datetime="{moment(entry)}"' in content
    assert content.count("downloaded") == 2
    assert "Alice Aerts" not in content  # her copy, her downloads: not this number's


def test_the_lookup_is_logged_with_the_number_it_looked_for(cast, as_user, bobs_copy):
    lookup(as_user(cast.dpo), bobs_copy.number)
    entry = LogEntry.objects.filter(additional_data__view="audit:minutes_copy").get()
    assert entry.actor == cast.dpo and entry.additional_data["document_lookup"] == bobs_copy.number


def test_a_copy_made_again_is_still_traced_through_the_log(cast, as_user, bobs_copy, finalised,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    old = bobs_copy.number
    with django_capture_on_commit_callbacks(execute=True):
        as_user(cast.bob).post(meetings_url("pdf_request", pk=finalised.pk))
    assert MinutesDocument.objects.get(recipient=cast.bob).number != old
    content = lookup(as_user(cast.dpo), old).content.decode()
    assert "Bob Bosmans" in content and "Casusoverleg november" in content
    assert "The copy itself is no longer stored" in content
    assert content.count("downloaded") == 2


def test_a_purged_copy_is_still_traced_through_the_log(cast, as_user, clock, scenario):  # noqa: F811
    """The retention purge deletes the minutes PDFs of a purged case's meeting; the download
    entries (about the meeting, which stays) keep the number."""
    mayor = as_user(cast.mayor)
    assert mayor.get(meetings_url("pdf", pk=scenario["meeting"].pk)).status_code == 200
    number = MinutesDocument.objects.get(recipient=cast.mayor).number
    purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    assert not MinutesDocument.objects.exists()
    content = lookup(as_user(cast.dpo), number).content.decode()
    assert "Mira Maes" in content and "The copy itself is no longer stored" in content
    assert content.count("downloaded") == 1


def test_an_unknown_or_malformed_number_finds_nothing_and_says_so(cast, as_user, bobs_copy):
    client = as_user(cast.dpo)
    content = lookup(client, "LIVC-0000-0000").content.decode()
    assert "No copy of this cell's minutes carries this number" in content and "Bob Bosmans" not in content
    response = lookup(client, "2026-0004")
    content = response.content.decode()
    assert response.status_code == 200
    assert "A document number looks like LIVC-7KQ4-M2XA." in content
    assert 'value="2026-0004"' in content  # what was typed stays
    assert lookup(client, "x" * 500).status_code == 200  # too long: a message, not an error


def test_without_a_number_the_page_only_asks_for_one(cast, as_user):
    response = as_user(cast.dpo).get(console("minutes_copy"))
    content = response.content.decode()
    assert response.status_code == 200 and "Find the copy" in content
    assert "This field is required" not in content


@pytest.mark.parametrize("who", ["alice", "bob", "mayor", "officer", "charlie"])
def test_nobody_but_the_cells_dpo_reaches_the_lookup(cast, as_user, bobs_copy, who):
    assert lookup(as_user(getattr(cast, who)), bobs_copy.number).status_code == 404


def test_another_cells_dpo_finds_nothing_of_this_cells_copies(cast, as_user, bobs_copy, dpo_b):
    client = as_user(dpo_b)
    assert lookup(client, bobs_copy.number).status_code == 404  # cell A's address: not a member
    response = lookup(client, bobs_copy.number, cell_slug="bravo")
    content = response.content.decode()
    assert response.status_code == 200
    assert "No copy of this cell's minutes carries this number" in content
    assert "Bob Bosmans" not in content and "Casusoverleg" not in content and "downloaded" not in content
