"""The retention pages on a phone: no sideways scrolling, no Content Security Policy error; the
DPO goes from the monthly report to the month's purge records."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from retention.models import PurgeRecord
from tests.base import make_cast
from tests.browser.helpers import logged_in_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(browser, live_server, user, path: str) -> tuple[Page, list[str]]:
    page = logged_in_context(browser, live_server.url, user).new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}{path}")
    return page, errors


def sideways(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_dpo_reads_the_report_and_the_months_records_on_a_phone(browser, live_server):
    cast = make_cast()
    now = timezone.now()
    PurgeRecord.objects.create(
        cell=cast.cell_a, kind="case", reference="2025-0042", basis="one_year",
        keep_until=timezone.localdate() - datetime.timedelta(days=1), purged_at=now,
        counts={"deleted": {"cases.Case": 1, "cases.Seat": 3, "cases.InformationItem": 4},
                "erased": {"meetings.AgendaItem": 2}, "audit_entries_scrubbed": 31},
    )  # fmt: skip
    page, errors = open_as(browser, live_server, cast.dpo, "/c/alfa/retention/report/")
    expect(page.get_by_role("heading", name="Retention report")).to_be_visible()
    assert sideways(page) <= 0
    page.get_by_role("link", name=now.strftime("%B %Y")).click()
    expect(page.get_by_role("rowheader", name="Case 2025-0042")).to_be_visible()
    expect(page.get_by_text("4 information items")).to_be_visible()
    assert sideways(page) <= 0
    assert errors == []
    page.get_by_label("Month").fill("2025-13")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Give a month as year and month, e.g. 2026-11.", exact=True)).to_be_visible()
    assert [error for error in errors if "400 (Bad Request)" not in error] == []  # the answer to bad input


def test_the_coordinator_sets_the_cells_periods_on_a_phone(browser, live_server):
    cast = make_cast()
    page, errors = open_as(browser, live_server, cast.alice, "/c/alfa/retention/")
    expect(page.get_by_role("heading", name="Upcoming purges")).to_be_visible()
    assert sideways(page) <= 0
    page.get_by_role("link", name="Change the periods").click()
    page.get_by_label("Keep a not-retained referral (days)").fill("14")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The retention periods were saved.")).to_be_visible()
    expect(page.get_by_text("14 days", exact=True)).to_be_visible()
    assert errors == []
