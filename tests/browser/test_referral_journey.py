import pytest
from playwright.sync_api import Browser, expect

from participants.rules import acknowledgement_record
from tests.base import make_cast
from tests.browser.helpers import logged_in_context
from tests.factories import OrganisationFactory, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_referral_becomes_a_case_the_referrer_then_sees_alone(live_server, browser: Browser):
    cast = make_cast()
    clb = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb")
    ParticipantFactory(membership=cast.bob.memberships.get(), organisation=clb)
    for user in (cast.alice, cast.bob):
        acknowledgement_record(cell=cast.cell_a, user=user)

    bob = logged_in_context(browser, live_server.url, cast.bob).new_page()
    bob.goto(f"{live_server.url}/c/alfa/referrals/new/")
    bob.get_by_label("Pseudonym:", exact=True).fill("Persoon Linde")
    bob.get_by_label("Signals and concerns:", exact=True).fill("Verheerlijkt aanslagen in de klas.")
    bob.get_by_label("I discussed this signal within my own organisation first").check()
    bob.get_by_role("button", name="Send the referral").click()
    expect(bob.get_by_text("Referral sent to the coordinator.")).to_be_visible()
    expect(bob.get_by_text("Awaiting qualification")).to_be_visible()

    alice = logged_in_context(browser, live_server.url, cast.alice).new_page()
    alice.goto(f"{live_server.url}/c/alfa/referrals/")
    alice.get_by_role("link", name="Persoon Linde").click()
    alice.get_by_label("Retained: became a case").check()
    alice.get_by_label("Signals that tie the case to preventing terrorist offences:", exact=True).fill(
        "Verheerlijking van aanslagen."
    )
    alice.get_by_label("Seat the referrer at the case's table").uncheck()
    alice.get_by_role("button", name="Record the qualification").click()
    expect(alice.get_by_text("Retained: case")).to_be_visible()
    alice.get_by_role("combobox", name="Participant").select_option(label="Bob Bosmans (CLB Alfa)")
    alice.get_by_role("button", name="Seat at the table").click()
    expect(alice.get_by_text("Seated at the table")).to_be_visible()

    bob.goto(f"{live_server.url}/c/alfa/cases/")
    rows = bob.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Persoon Linde")
