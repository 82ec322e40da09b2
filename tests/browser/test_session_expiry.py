"""The idle timeout in the browser: the warning, staying logged in, and typed text kept across
an expiry and a new login (static/js/session.js, docs/adr/0007-session-expiry-drafts.md).

The idle timeout is one minute here, so the warning comes after 30 seconds (half the timeout).
"""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, Page, expect

from livc.accounts.models import User
from livc.cells.models import Membership
from meetings.models import AgendaItem, Meeting
from meetings.services import meetings as meeting_services
from participants.models import RulesOfProcedure, RulesStatus
from participants.rules import acknowledgement_record
from tests.base import PASSWORD, earlier_today
from tests.browser.helpers import current_totp, logged_in_context
from tests.cases.conftest import make_case
from tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESTORED = "What you typed before your session expired has been put back. Check it, then save."
DRAFTS = "() => Object.keys(sessionStorage).filter((key) => key.startsWith('livc:draft:'))"


@pytest.fixture(autouse=True)
def one_minute_timeout(settings):
    settings.SESSION_COOKIE_AGE = 60


def chairing(cast) -> tuple[Meeting, AgendaItem, dict[str, Membership]]:
    """A meeting of cell A in progress, one case on its agenda, everyone present."""
    RulesOfProcedure.objects.create(cell=cast.cell_a, version=1, text="Regels.", status=RulesStatus.IN_FORCE,
                                    drafted_by=cast.alice, approved_by=cast.mayor, approved_at=timezone.now())  # fmt: skip
    members = {
        role: Membership.objects.get(cell=cast.cell_a, user=user)
        for role, user in [("participant", cast.bob), ("coordinator", cast.alice),
                           ("mayor", cast.mayor), ("officer", cast.officer)]
    }  # fmt: skip
    town = OrganisationFactory(cell=cast.cell_a, name="Gemeente Alfa", type="prevention_service")
    for role, kind in [
        ("participant", "clb"),
        ("officer", "local_police"),
        ("coordinator", None),
        ("mayor", None),
    ]:
        organisation = OrganisationFactory(cell=cast.cell_a, type=kind) if kind else town
        ParticipantFactory(membership=members[role], organisation=organisation)
        acknowledgement_record(cell=cast.cell_a, user=members[role].user)
    case = make_case(members)
    coordinator = members["coordinator"]
    meeting = meeting_services.meeting_create(
        member=coordinator, kind="operational", title="Casusoverleg december",
        starts_at=earlier_today(hours=1),
    )  # fmt: skip
    item = meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=case)
    meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    for member in members.values():
        present(meeting, coordinator, member)
    return meeting, item, members


def present(meeting: Meeting, coordinator: Membership, member: Membership) -> None:
    meeting_services.attendance_record(
        member=coordinator,
        meeting=meeting,
        participant=member.participant,
        status="present",
        acknowledged=True,
    )


def with_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def session_key(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME)


def end_session_on_the_server(context: BrowserContext) -> None:
    Session.objects.filter(session_key=session_key(context)).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )


def log_in_again(page: Page, user: User, device: TOTPDevice) -> None:
    expect(page.get_by_text("Your session has expired.")).to_be_visible()
    assert "expired=1" in page.url
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_label("Code").fill(current_totp(device))
    page.get_by_role("button", name="Verify").click()


def test_the_warning_comes_staying_logged_in_renews_and_a_referral_survives_the_expiry(
    live_server, browser, cast
):
    clb = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb")
    ParticipantFactory(membership=cast.alice.memberships.get(), organisation=clb)
    acknowledgement_record(cell=cast.cell_a, user=cast.alice)
    device = with_totp(cast.alice)
    context = logged_in_context(browser, live_server.url, cast.alice)
    page = context.new_page()
    referral = f"{live_server.url}/c/alfa/referrals/new/"
    page.goto(referral)
    page.get_by_label("Pseudonym:", exact=True).fill("Persoon Wilg")
    page.get_by_label("Signals and concerns:", exact=True).fill("Typed before the session expired.")
    page.get_by_label("I discussed this signal within my own organisation first").check()

    warning = page.get_by_role("alertdialog", name="You will soon be logged out")
    expect(warning).to_be_visible(timeout=40_000)  # 30 s after the page loaded
    expect(warning.get_by_role("button", name="Stay logged in")).to_be_focused()
    before = Session.objects.get(session_key=session_key(context)).expire_date
    warning.get_by_role("button", name="Stay logged in").click()
    expect(warning).to_be_hidden()
    page.wait_for_timeout(1_000)  # the renewing POST
    renewed = Session.objects.get(session_key=session_key(context)).expire_date
    assert renewed - before > datetime.timedelta(seconds=20)

    # Another tab, or the server, has the last word: the page asks before it gives up.
    end_session_on_the_server(context)
    expect(page.get_by_role("heading", name="Log in")).to_be_visible(timeout=40_000)
    assert page.evaluate(DRAFTS) == ["livc:draft:/c/alfa/referrals/new/"]
    log_in_again(page, cast.alice, device)

    assert page.url == referral
    expect(page.get_by_text(RESTORED)).to_be_visible()
    expect(page.get_by_label("Pseudonym:", exact=True)).to_have_value("Persoon Wilg")
    expect(page.get_by_label("Signals and concerns:", exact=True)).to_have_value(
        "Typed before the session expired."
    )
    expect(page.get_by_label("I discussed this signal within my own organisation first")).to_be_checked()
    assert page.evaluate(DRAFTS) == []  # put back once, then gone


def test_minutes_typed_on_the_chairing_screen_after_the_expiry_are_kept_and_saved(live_server, browser, cast):
    running, item, _ = chairing(cast)
    device = with_totp(cast.alice)
    context = logged_in_context(browser, live_server.url, cast.alice)
    page = context.new_page()
    run = f"{live_server.url}/c/alfa/meetings/{running.pk}/run/"
    page.goto(run)
    page.wait_for_load_state("load")  # htmx has set up the autosave
    signals = page.get_by_label("Signals:", exact=True)
    signals.fill("Saved while logged in.")
    expect(page.locator("#minutes-status")).to_have_text("Saved.", timeout=15_000)

    end_session_on_the_server(context)
    signals.fill("Saved while logged in. Typed after the expiry.")
    # The autosave gets a 401: the login page opens instead of being pasted into the screen.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible(timeout=15_000)
    assert page.locator("#item-panel").count() == 0
    log_in_again(page, cast.alice, device)

    assert page.url == run
    expect(page.get_by_text(RESTORED)).to_be_visible()
    signals = page.get_by_label("Signals:", exact=True)
    expect(signals).to_have_value("Saved while logged in. Typed after the expiry.")
    expect(page.locator("#minutes-status")).to_have_text("Saved.", timeout=15_000)  # the autosave ran
    item.refresh_from_db()
    assert item.signals == "Saved while logged in. Typed after the expiry."
    assert page.evaluate(DRAFTS) == []


def test_someone_else_logging_in_in_the_same_tab_does_not_get_the_draft(live_server, browser, cast):
    running, _, members = chairing(cast)
    other = UserFactory(email="nora@example.test", name="Nora Nachtegaal")
    membership = MembershipFactory(cell=cast.cell_a, user=other, coordinator=True)
    ParticipantFactory(membership=membership, organisation=members["coordinator"].participant.organisation)
    acknowledgement_record(cell=cast.cell_a, user=other)
    present(running, members["coordinator"], membership)
    device = with_totp(other)
    context = logged_in_context(browser, live_server.url, cast.alice)
    page = context.new_page()
    run = f"{live_server.url}/c/alfa/meetings/{running.pk}/run/"
    page.goto(run)
    page.wait_for_load_state("load")
    end_session_on_the_server(context)
    page.get_by_label("Signals:", exact=True).fill("ALICE-ONLY: not for anyone else.")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible(timeout=15_000)
    assert len(page.evaluate(DRAFTS)) == 1

    log_in_again(page, other, device)
    assert page.url == run
    expect(page.get_by_label("Signals:", exact=True)).to_have_value("")
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    assert page.evaluate(DRAFTS) == []  # discarded unread
