"""A participant can never read another case's item: not in the page, the PDF, or by URL."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from livc.audit.models import LogEntry
from meetings.models import MinutesDocument
from tests.meetings.conftest import end_and_finalise, write_minutes
from tests.meetings.pdf_margins import assert_every_page_names

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"cell_slug": "alfa", **kwargs})


@pytest.fixture
def finalised(members, running, agenda):
    write_minutes(members, agenda["case_a"], "Bespreking EIK-GEHEIM van Persoon Eik.")
    write_minutes(members, agenda["other"], "Bespreking BEUK-GEHEIM van Persoon Beuk.")
    write_minutes(members, agenda["topic"], "Planning van het jaar.")
    end_and_finalise(members, running)
    running.refresh_from_db()
    return running


def test_the_minutes_page_shows_bob_only_his_cases_item_and_the_topic(cast, as_user, finalised):
    content = as_user(cast.bob).get(url("minutes", pk=finalised.pk)).content.decode()
    assert "EIK-GEHEIM" in content and "Planning van het jaar." in content
    assert "BEUK-GEHEIM" not in content and "Persoon Beuk" not in content
    everything = as_user(cast.alice).get(url("minutes", pk=finalised.pk)).content.decode()
    assert "BEUK-GEHEIM" in everything


def test_guessing_the_url_of_another_cases_item_is_a_404(cast, as_user, finalised, agenda):
    client = as_user(cast.bob)
    assert client.get(
        url("item", pk=finalised.pk, item_pk=agenda["other"].pk), HTTP_HX_REQUEST="true"
    ).status_code in (403, 404)
    assert client.post(url("minutes_save", pk=finalised.pk, item_pk=agenda["other"].pk), {}).status_code in (
        403,
        404,
    )


def test_the_pdf_holds_the_recipients_name_and_only_their_items(cast, as_user, finalised,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    client = as_user(cast.bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("pdf_request", pk=finalised.pk))
    document = MinutesDocument.objects.get(recipient=cast.bob)
    assert document.status == "ready"
    response = client.get(url("pdf", pk=finalised.pk))
    assert response["Content-Type"] == "application/pdf"
    assert_every_page_names(response.content, name="Bob Bosmans", number=document.number)  # page by page
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "EIK-GEHEIM" in text and "458ter" in text
    assert "BEUK-GEHEIM" not in text and "Persoon Beuk" not in text
    assert f"version {finalised.rules.version}" in text
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, access_kind="download").get()
    assert entry.actor == cast.bob
    assert entry.additional_data["document"] == document.number


def test_someone_elses_pdf_cannot_be_downloaded(cast, as_user, finalised, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_user(cast.alice).post(url("pdf_request", pk=finalised.pk))
    assert as_user(cast.bob).get(url("pdf", pk=finalised.pk)).status_code == 404


def test_the_pdf_is_stored_encrypted(cast, as_user, finalised, django_capture_on_commit_callbacks):
    from django.db import connection

    with django_capture_on_commit_callbacks(execute=True):
        as_user(cast.bob).post(url("pdf_request", pk=finalised.pk))
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM meetings_minutesdocument")
        stored = cursor.fetchone()[0]
    assert stored.startswith("k1.") and "JVBER" not in stored  # its own data key; no base64 "%PDF" in clear


def test_two_tabs_do_not_silently_overwrite_each_other(cast, as_user, members, running, agenda):
    item = agenda["case_a"]
    first, second = as_user(cast.alice), as_user(cast.alice)
    data = {"version": 0, "signals": "", "assessment": "", "agreements": ""}
    saved = first.post(url("minutes_save", pk=running.pk, item_pk=item.pk), {**data, "signals": "Tab een."},
                       HTTP_HX_REQUEST="true")  # fmt: skip
    assert saved.status_code == 200 and "Saved." in saved.content.decode()
    conflict = second.post(url("minutes_save", pk=running.pk, item_pk=item.pk), {**data, "signals": "Tab twee."},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert conflict.status_code == 409
    assert "someone else saved these minutes meanwhile" in conflict.content.decode()
    assert "Tab een." in conflict.content.decode()
    item.refresh_from_db()
    assert item.signals == "Tab een." and item.version == 1


def test_the_minutes_are_encrypted_at_rest(members, running, agenda):
    from django.db import connection

    write_minutes(members, agenda["case_a"], "ZEER-VERTROUWELIJK")
    with connection.cursor() as cursor:
        cursor.execute("SELECT signals FROM meetings_agendaitem")
        assert all("ZEER" not in (row[0] or "") for row in cursor.fetchall())


def test_without_javascript_a_conflict_shows_the_whole_page_and_keeps_the_typed_text(cast, as_user, members, running,
                                                                                     agenda):  # fmt: skip
    item = agenda["case_a"]
    write_minutes(members, item, "Eerst bewaard.")
    response = as_user(cast.alice).post(
        url("minutes_save", pk=running.pk, item_pk=item.pk),
        {"version": 0, "signals": "Mijn getypte tekst.", "assessment": "", "agreements": ""},
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "someone else saved these minutes meanwhile" in content
    assert "Mijn getypte tekst." in content and "Eerst bewaard." in content


def test_a_bad_decision_comes_back_with_its_message(cast, as_user, running, agenda):
    response = as_user(cast.alice).post(url("decision_new", pk=running.pk, item_pk=agenda["case_a"].pk),
                                        {"kind": "close_case", "text": ""})  # fmt: skip
    assert response.status_code == 400
    assert "Give the reason for closing the case." in response.content.decode()
