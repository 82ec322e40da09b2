import csv

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from livc.audit.models import AccessKind, LogEntry
from livc.cells.models import Membership
from tests.audit.conftest import make_access
from tests.base import make_cast
from tests.browser.helpers import logged_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dpo_filters_the_log_by_object_and_downloads_csv_and_pdf(live_server, browser: Browser):
    cast = make_cast()
    membership = Membership.objects.get(user=cast.bob)
    make_access(cast.cell_a, cast.alice, membership)
    make_access(cast.cell_a, cast.mayor, membership)
    make_access(cast.cell_a, cast.mayor, cast.cell_a)
    context = logged_in_context(browser, live_server.url, cast.dpo)
    page = context.new_page()
    page.goto(f"{live_server.url}/c/alfa/")
    page.get_by_role("link", name="Audit trail").click()
    # The overview verifies nothing itself: the DPO asks for the new entries to be verified.
    page.get_by_role("button", name="Verify the new entries now").click()
    expect(page.get_by_text("Intact.")).to_be_visible()
    page.get_by_role("link", name="Access log", exact=True).click()

    page.get_by_label("Object type").select_option(label="Membership")
    page.get_by_label("Object id").fill(str(membership.pk))
    page.get_by_label("Action").select_option(label="any access")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Audit entries")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two accesses
    expect(table).to_contain_text("Alice Aerts")
    expect(table).to_contain_text("Mira Maes")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    with open(download_info.value.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert {row[3] for row in rows[1:]} == {"Alice Aerts", "Mira Maes"}

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    text = PdfReader(download_info.value.path()).pages[0].extract_text()
    assert "Dina Dewulf" in text and f"Object id: {membership.pk}" in text

    exports = LogEntry.objects.filter(access_kind=AccessKind.EXPORT, actor=cast.dpo)
    assert sorted(entry.additional_data["format"] for entry in exports) == ["csv", "pdf"]
    assert ContentType.objects.get_for_model(Membership).pk == int(
        exports[0].additional_data["filter"]["object_type"]
    )
    context.close()


def test_the_console_fits_a_360_pixel_phone_and_breaks_no_content_security_rule(
    live_server, browser: Browser
):
    cast = make_cast()
    context = logged_in_context(browser, live_server.url, cast.dpo)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["audit/log/", "audit/people/", "audit/breaches/new/", "audit/unusual/"]:
        page.goto(f"{live_server.url}/c/alfa/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    assert errors == []
    context.close()


def test_the_dpo_filters_the_log_by_case_reference_and_downloads_csv_and_pdf(live_server, browser: Browser):
    from django.test import Client
    from django.urls import reverse

    from participants.rules import acknowledgement_record
    from tests.base import login_verified
    from tests.cases.conftest import make_case
    from tests.factories import OrganisationFactory, ParticipantFactory

    cast = make_cast()
    members = {
        m.role if m.user != cast.bob else "participant": m
        for m in Membership.objects.filter(cell=cast.cell_a).exclude(user=cast.dries)
    }
    organisation = OrganisationFactory(cell=cast.cell_a)
    for role in ("participant", "coordinator"):
        ParticipantFactory(membership=members[role], organisation=organisation)
    for user in (cast.alice, cast.mayor):
        acknowledgement_record(cell=cast.cell_a, user=user)
    watched = make_case(members, pseudonym="Persoon Eik")
    other = make_case(members, pseudonym="Persoon Beuk", first_name="Bea", last_name="Verborgen")
    for user, case in ((cast.alice, watched), (cast.mayor, watched), (cast.mayor, other)):
        login_verified(Client(), user).get(
            reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": case.pk})
        )

    context = logged_in_context(browser, live_server.url, cast.dpo)
    page = context.new_page()
    page.goto(f"{live_server.url}/c/alfa/audit/log/")
    page.get_by_label("Case reference").fill(watched.reference)
    page.get_by_label("Action").select_option(label="any access")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Audit entries")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and the two looks at this case
    expect(table).to_contain_text("Alice Aerts")
    expect(table).not_to_contain_text("Persoon")  # objects by type and number, never their content

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    with open(download_info.value.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert sorted(row[3] for row in rows[1:]) == ["Alice Aerts", "Mira Maes"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    text = PdfReader(download_info.value.path()).pages[0].extract_text()
    assert "Dina Dewulf" in text and watched.reference in text and "Testeling" not in text
    context.close()
