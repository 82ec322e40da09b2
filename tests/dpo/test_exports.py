import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from pypdf import PdfReader

from livc.audit.models import AccessKind, LogAction, LogEntry
from livc.cells.models import Membership
from livc.pdf import StaticFilesOnly
from livc.spreadsheets import neutralise
from tests.audit.conftest import console, make_access
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def download_csv(client, **query):
    response = client.get(console("log_csv"), query)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_holds_the_filtered_entries_newest_first(cast, as_user):
    first = make_access(cast.cell_a, cast.bob, object_pk=5)
    second = make_access(cast.cell_a, cast.bob, object_pk=6, kind="download")
    make_access(cast.cell_a, cast.alice, object_pk=7)
    table = download_csv(as_user(cast.dpo), user=cast.bob.pk, action="access")
    assert table[0][:3] == ["entry", "time", "user id"]
    assert [row[0] for row in table[1:]] == [str(second.pk), str(first.pk)]
    assert table[1][3:5] == ["Bob Bosmans", "downloaded"] and table[1][6] == "6"
    assert table[1][1] == timezone.localtime(second.timestamp).strftime("%Y-%m-%d %H:%M:%S")  # Brussels time


def test_the_csv_stays_well_formed_with_commas_quotes_and_newlines(cast, as_user):
    awkward = UserFactory(email="awkward@example.test", name='De Smet, "Jos"\nline two')
    MembershipFactory(cell=cast.cell_a, user=awkward)
    make_access(cast.cell_a, awkward, object_pk="a,b")
    table = download_csv(as_user(cast.dpo), user=awkward.pk)
    assert len(table) == 2
    assert table[1][3] == 'De Smet, "Jos"\nline two'
    assert table[1][6] == "a,b"
    assert all(len(row) == len(table[0]) for row in table)


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_a_spreadsheet_would_run_as_a_formula_are_neutralised(cast, as_user, dangerous):
    user = UserFactory(email="formula@example.test", name=dangerous)
    MembershipFactory(cell=cast.cell_a, user=user)
    make_access(cast.cell_a, user, object_pk=dangerous, view=dangerous)
    row = download_csv(as_user(cast.dpo), user=user.pk)[1]
    assert row[3] == "'" + dangerous and row[6] == "'" + dangerous and row[8] == "'" + dangerous


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("Bob") == "Bob" and neutralise("") == "" and neutralise("a=b") == "a=b"


def test_each_export_is_itself_logged_with_its_filter(cast, as_user):
    client = as_user(cast.dpo)
    b"".join(client.get(console("log_csv"), {"user": cast.bob.pk}).streaming_content)
    client.get(console("log_pdf"), {"action": "access"})
    exports = LogEntry.objects.filter(action=LogAction.ACCESS, access_kind=AccessKind.EXPORT).order_by("id")
    assert [entry.additional_data["format"] for entry in exports] == ["csv", "pdf"]
    assert exports[0].additional_data["filter"] == {"user": str(cast.bob.pk)}
    assert all(entry.actor == cast.dpo and entry.cell == cast.cell_a for entry in exports)


def test_an_export_with_a_bad_filter_goes_back_to_the_form(cast, as_user):
    response = as_user(cast.dpo).get(console("log_csv"), {"date_from": "not a date"})
    assert response.status_code == 302 and "date_from=not+a+date" in response["Location"]
    assert not LogEntry.objects.filter(access_kind=AccessKind.EXPORT).exists()


def pdf_pages(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def test_every_page_of_the_pdf_names_the_dpo_the_filter_and_the_time(cast, as_user):
    membership = cast.bob.memberships.get()
    for _ in range(120):
        make_access(cast.cell_a, cast.bob, membership)
    ct = ContentType.objects.get_for_model(Membership)
    pages = pdf_pages(
        as_user(cast.dpo).get(console("log_pdf"), {"object_type": ct.pk, "object_id": membership.pk})
    )
    assert len(pages) > 1
    for text in pages:
        assert "Dina Dewulf" in text
        assert f"Object id: {membership.pk}" in text and "Object type: Membership" in text
        assert "Exported by" in text
    assert "Bob Bosmans" in pages[0]


def test_the_authorised_persons_pdf_lists_the_members(cast, as_user):
    text = "".join(pdf_pages(as_user(cast.dpo).get(console("people_pdf"))))
    assert "Alice Aerts" in text and "Omar Oosterlinck" in text and "Dina Dewulf" in text
    assert "Charlie Claes" not in text


def test_the_pdf_fetcher_serves_static_files_only():
    fetcher = StaticFilesOnly()
    assert b"audit-pdf" in fetcher.fetch("https://static.livc.invalid/static/css/audit.css").read()
    for url in [
        "https://example.org/x.css",
        "file:///etc/passwd",
        "https://static.livc.invalid/static/../../x",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
