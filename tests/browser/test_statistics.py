"""The coordinator reads the cell's statistics in Chromium: from the menu to last year's report, a
chart on the page beside its table, and the annual report downloaded as a PDF that names the
year and states the suppression rule. Screenshots go to test-results/ (or $LIVC_SCREENSHOTS)."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from livc.statistics.demo import invent_events
from livc.statistics.selectors import suppression_rule
from tests.base import make_cast
from tests.browser.helpers import logged_in_context
from tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LIVC_SCREENSHOTS", "test-results")


def words(text: str) -> str:
    return " ".join(text.split())


def csp_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_the_coordinator_sees_a_chart_and_downloads_the_annual_report(live_server, browser: Browser):
    cast = make_cast()
    invent_events(cast.cell_a)
    last_year = str(timezone.localdate().year - 1)
    page = logged_in_context(browser, live_server.url, cast.alice).new_page()
    errors = csp_errors(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/c/alfa/")
    page.get_by_role("navigation", name="Cell").get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="Statistics", level=1)).to_be_visible()
    page.get_by_role("combobox", name="Year").select_option(last_year)
    page.get_by_role("button", name="Show").click()
    chart = page.get_by_role("img", name="Referrals received per quarter")
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.complete && image.naturalWidth") == 640  # the SVG was drawn
    assert chart.bounding_box()["height"] > 100
    expect(page.get_by_role("table", name="The year per quarter")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/statistics-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.screenshot(path=f"{SHOTS}/statistics-390.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Annual report (PDF)").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    reader = PdfReader(path)
    title_page = words(reader.pages[0].extract_text())
    assert last_year in title_page and "LIVC-R Alfa" in title_page
    assert words(suppression_rule()) in title_page
    assert "Referrals received per quarter" not in title_page  # the charts follow the title page
    assert errors == []
    if SHOTS != "test-results":
        with open(f"{SHOTS}/statistics.pdf", "wb") as copy, open(path, "rb") as original:
            copy.write(original.read())


def test_a_joint_cells_coordinator_reads_one_municipality(live_server, browser: Browser):
    cast = make_cast()
    for code, name in (("99102", "Lindeveld"), ("99103", "Beukendaal")):
        cast.cell_a.municipalities.add(MunicipalityFactory(nis_code=code, name_nl=name))
    invent_events(cast.cell_a)
    last_year = str(timezone.localdate().year - 1)
    page = logged_in_context(browser, live_server.url, cast.alice).new_page()
    errors = csp_errors(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/c/alfa/statistics/?year={last_year}")
    expect(page.get_by_role("table", name="The year per municipality")).to_be_visible()
    expect(page.get_by_role("img", name="Referrals received in the year, by municipality")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/statistics-joint-1280.png", full_page=True)
    page.get_by_role("combobox", name="Municipality").select_option(label="Lindeveld")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name=f"{last_year}: Lindeveld")).to_be_visible()
    expect(page.get_by_role("table", name="The year per municipality")).to_have_count(0)
    assert errors == []
