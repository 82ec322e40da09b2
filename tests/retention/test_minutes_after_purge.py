"""Finalised minutes keep their structure: the purged case's item keeps its place and says when
it was removed, on the minutes page and in another recipient's PDF."""

import base64
import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.minutes_pdf import document_fill
from meetings.models import MinutesDocument
from tests.retention.conftest import KEEP_UNTIL, purge_on

pytestmark = pytest.mark.django_db

REMOVED = "Removed under the retention rule on 21 November 2027"


def test_the_minutes_page_keeps_the_item_and_says_when_it_was_removed(clock, scenario, cast, as_user):
    purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    url = reverse("meetings:minutes", kwargs={"cell_slug": "alfa", "pk": scenario["meeting"].pk})
    content = as_user(cast.mayor).get(url).content.decode()
    assert content.count(REMOVED) == 2
    assert "1. <em>" + REMOVED in content and "2. <em>" + REMOVED in content
    assert "3. Jaarplanning" in content and "Planning van het jaar." in content
    assert (
        "MINUTEN-GEHEIM" not in content and "CORRECTIE-GEHEIM" not in content and "Persoon Eik" not in content
    )


def test_another_recipients_pdf_says_the_same(clock, scenario, cast):
    purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    assert not MinutesDocument.objects.exists()  # made before the purge, with the text: gone
    document = document_fill(
        MinutesDocument.objects.create(meeting=scenario["meeting"], recipient=cast.mayor)
    )
    reader = PdfReader(io.BytesIO(base64.b64decode(document.content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count(REMOVED) == 2 and "3. Jaarplanning" in text
    assert "MINUTEN-GEHEIM" not in text and "Persoon Eik" not in text and "Mira Maes" in text


def test_a_participant_sees_the_removed_lines_too_and_nothing_else_new(clock, scenario, cast, as_user):
    url = reverse("meetings:minutes", kwargs={"cell_slug": "alfa", "pk": scenario["meeting"].pk})
    before = as_user(cast.bob).get(url).content.decode()
    assert "MINUTEN-GEHEIM" in before and REMOVED not in before  # bob sits at case_a's table only
    purge_on(clock, KEEP_UNTIL + datetime.timedelta(days=1))
    content = as_user(cast.bob).get(url).content.decode()
    assert "1. <em>" + REMOVED in content and "2. <em>" + REMOVED in content
    assert "MINUTEN-GEHEIM" not in content and "Persoon Eik" not in content


def test_a_pdf_rendered_while_the_purge_deleted_its_document_is_not_stored(scenario, cast, monkeypatch):
    from meetings import minutes_pdf

    document = MinutesDocument.objects.get(meeting=scenario["meeting"], recipient=cast.mayor)
    render = minutes_pdf.render_minutes

    def purged_during_rendering(meeting, member, *, number, content=None):
        pdf = render(meeting, member, number=number, content=content)  # the purge had not run yet
        MinutesDocument.objects.filter(pk=document.pk).delete()  # the purge, meanwhile
        return pdf

    monkeypatch.setattr(minutes_pdf, "render_minutes", purged_during_rendering)
    assert document_fill(document) is None
    assert not MinutesDocument.objects.filter(pk=document.pk).exists()
