import pytest
from playwright.sync_api import Page, expect

from livc.accounts.otp import backup_codes_renew
from tests.base import PASSWORD
from tests.factories import CellFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_logs_in_with_a_backup_code_and_reaches_the_cell_home(live_server, page: Page):
    cell = CellFactory(name="LIVC-R Browserdorp", slug="browserdorp")
    user = UserFactory(email="coord@example.test", name="Nele Browserfeld", language="en")
    MembershipFactory(cell=cell, user=user, coordinator=True)
    code = backup_codes_renew(user=user)[0]

    page.goto(f"{live_server.url}/")
    page.get_by_label("E-mail address").fill("coord@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()

    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("LIVC-R Browserdorp")
    expect(page.get_by_text("Nele Browserfeld").first).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("458ter")
    assert page.url == f"{live_server.url}/c/browserdorp/"
