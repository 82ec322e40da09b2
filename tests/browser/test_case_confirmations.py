"""The coordinator closes a case and removes a participant from its table: each asks first, on a
page that says what happens, and says afterwards that it was done."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from cases.services.seats import seat_participant
from livc.cells.models import Membership
from participants.rules import acknowledgement_record
from tests.base import make_cast
from tests.browser.helpers import logged_in_context
from tests.factories import OrganisationFactory, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_closing_and_unseating_ask_first_and_confirm_after(live_server, browser: Browser):
    cast = make_cast()
    clb = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb")
    bob = ParticipantFactory(membership=cast.bob.memberships.get(), organisation=clb)
    for user in (cast.alice, cast.bob):
        acknowledgement_record(cell=cast.cell_a, user=user)
    coordinator = Membership.objects.get(user=cast.alice)
    referral = referral_submit(
        member=Membership.objects.get(user=cast.bob),
        data=ReferralData(referred_on=timezone.localdate() - datetime.timedelta(days=2),
                          signals="Verheerlijkt aanslagen.", pseudonym="Persoon Linde", discussed_internally=True),
    )  # fmt: skip
    case = referral_qualify(member=coordinator, referral=referral,
                            data=QualificationData(outcome="retained", aim_signals="Oproepen.", seat_referrer=False))  # fmt: skip
    assert case is not None
    seat_participant(member=coordinator, case=case, participant=bob)
    base = f"{live_server.url}/c/alfa/cases/{case.pk}"

    page = logged_in_context(browser, live_server.url, cast.alice).new_page()
    page.goto(f"{base}/table/")
    expect(page.get_by_text("Everyone who may sit at this table already does.")).to_be_visible()
    page.get_by_role("link", name=f"Remove {cast.bob.name}").click()
    expect(
        page.get_by_role("heading", name=f"Remove {cast.bob.name} from this case's table?")
    ).to_be_visible()
    page.get_by_role("button", name="Remove from the table").click()
    expect(page.get_by_text(f"{cast.bob.name} was removed from the table")).to_be_visible()
    expect(page.get_by_label("Participant:")).to_have_value("")  # the form is back, nobody chosen

    page.goto(f"{base}/")
    status = page.get_by_label("New status:")
    expect(status).to_have_value("")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("Choose the case's new status.")).to_be_visible()
    page.get_by_label("New status:").select_option("closed")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("heading", name="Close this case?")).to_be_visible()
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".field--error")).to_be_visible()  # the reason is required
    page.get_by_label("Reason for closing:").fill("Traject afgerond.")
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text(f"Case {case.reference} closed.")).to_be_visible()
