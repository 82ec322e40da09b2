"""Shared steps for browser journeys."""

from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import Browser, BrowserContext

from livc.accounts.models import User
from livc.cells.models import Membership
from participants.models import RulesOfProcedure, RulesStatus
from participants.rules import acknowledgement_record
from tests.base import Cast, login_verified, make_cast
from tests.factories import OrganisationFactory, ParticipantFactory


def logged_in_context(browser: Browser, live_server_url: str, user: User) -> BrowserContext:
    """A browser context already past password and second factor (the login itself is tested elsewhere)."""
    client = login_verified(Client(), user)
    context = browser.new_context(locale="en-GB")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server_url}])
    return context


def current_totp(device: object) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)  # type: ignore[attr-defined]
    return f"{totp.token():06d}"


def meeting_cell() -> tuple[Cast, dict[str, Membership]]:
    """Cell alfa with rules in force and a coordinator, mayor, information officer and participant
    (bob) seated for one organisation, each having acknowledged the secrecy."""
    cast = make_cast()
    RulesOfProcedure.objects.create(cell=cast.cell_a, version=1, text="Regels.", status=RulesStatus.IN_FORCE,
                                    drafted_by=cast.alice, approved_by=cast.mayor, approved_at=timezone.now())  # fmt: skip
    members = {
        m.role if m.user != cast.bob else "participant": m
        for m in Membership.objects.filter(cell=cast.cell_a).exclude(user=cast.dries)
    }
    org = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa")
    for role in ("participant", "coordinator", "mayor", "information_officer"):
        ParticipantFactory(membership=members[role], organisation=org)
    for member in members.values():
        acknowledgement_record(cell=cast.cell_a, user=member.user)
    return cast, members
